"""What calendar object went to whom, so that an update never carries a lower SEQUENCE."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from conference.core.timeutil import utcnow
from conference.core.types import UTCDateTime
from conference.extensions import db


class CalendarDelivery(db.Model):
    """The last iTIP message about one calendar object (an event or a session) sent to one address."""

    __tablename__ = "calendar_delivery"
    __table_args__ = (db.UniqueConstraint("uid", "email_normalised", name="uq_calendar_delivery_recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(120))  # the calendar object's UID: the event's or a session's
    email_normalised: Mapped[str] = mapped_column(String(254))
    sequence: Mapped[int]  # the SEQUENCE last sent to this address
    method: Mapped[str] = mapped_column(String(10))  # REQUEST or CANCEL
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
