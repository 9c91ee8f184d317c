"""What calendars hold: each calendar object's SEQUENCE, and what went to whom, so that an update never
carries a lower SEQUENCE."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
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


class CalendarState(db.Model):
    """What calendars were shown of one event, session or weekly series: the SEQUENCE they hold, raised
    on every change that matters to them, and a fingerprint of the fields that matter."""

    __tablename__ = "calendar_state"
    __table_args__ = (
        CheckConstraint("(CASE WHEN event_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN session_id IS NULL THEN 0 "
                        "ELSE 1 END) + (CASE WHEN series_id IS NULL THEN 0 ELSE 1 END) = 1", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # exactly one owner: the calendar object of an event, of a session attendees pick, or of a weekly series
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("programme_session.id", ondelete="CASCADE"),
                                                   unique=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("event_series.id", ondelete="CASCADE"), unique=True)
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # a hash of what the calendars show (title, times, place, state); empty until first sent
    fingerprint: Mapped[str] = mapped_column(String(64), default="", server_default="")
