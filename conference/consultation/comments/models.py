"""Tables of written feedback on a meeting: the window that takes comments, and the comments."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from conference.core.timeutil import utcnow
from conference.core.types import UTCDateTime, enum_column
from conference.extensions import db


class FeedbackAudience(enum.Enum):
    PARTICIPANTS = "participants"  # through a registration or invitation link
    ANYONE = "anyone"


class FeedbackWindow(db.Model):
    """Written comments on a meeting, accepted from its end until a deadline, and the published summary."""

    __tablename__ = "feedback_window"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the deadline; the window opens when the meeting ends
    audience: Mapped[FeedbackAudience] = mapped_column(enum_column(FeedbackAudience))
    instructions: Mapped[str] = mapped_column(Text, default="")  # what the organisers ask about
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    event = relationship("Event", backref=backref("feedback_window", uselist=False, passive_deletes=True))
    comments: Mapped[list["WrittenComment"]] = relationship(back_populates="window", cascade="all, delete-orphan",
                                                            order_by="WrittenComment.created_at")


class WrittenComment(db.Model):
    """A written comment sent in a feedback window, with an optional attachment checked by content."""

    __tablename__ = "written_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("feedback_window.id", ondelete="CASCADE"), index=True)
    # set when sent through a participant's personal link
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254))
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="sv")
    body: Mapped[str] = mapped_column(Text)
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    attachment_name: Mapped[str | None] = mapped_column(String(200))  # cleaned, for the download
    attachment_type: Mapped[str | None] = mapped_column(String(100))  # found from the content, not the name
    attachment_size: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    window: Mapped[FeedbackWindow] = relationship(back_populates="comments")
