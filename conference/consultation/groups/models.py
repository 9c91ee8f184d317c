"""Tables of the groups a meeting is for."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from conference.extensions import db


class InvitedGroup(db.Model):
    """A stakeholder group or organisation a meeting is for; copied with the cycle, unlike the people invited."""

    __tablename__ = "invited_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))

    event = relationship("Event", backref=backref("invited_groups", order_by="InvitedGroup.id",
                                                  cascade="all, delete-orphan", passive_deletes=True))
    organisation = relationship("Organisation")
