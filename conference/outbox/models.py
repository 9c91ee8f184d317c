import enum
from datetime import datetime

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from conference.core.timeutil import utcnow
from conference.core.types import UTCDateTime, enum_column
from conference.extensions import db


class OutboxState(enum.Enum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by a worker; claimed_until says when the claim lapses
    SENT = "sent"
    FAILED = "failed"  # permanently refused, or out of attempts: last_error says why


class OutboxMessage(db.Model):
    """One e-mail to one recipient, written in the transaction of the change that caused it."""

    __tablename__ = "outbox_message"
    __table_args__ = (db.Index("ix_outbox_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[OutboxState] = mapped_column(enum_column(OutboxState), default=OutboxState.QUEUED)
    kind: Mapped[str] = mapped_column(String(60))  # what the mail is, e.g. "registration.confirmed"
    sender: Mapped[str] = mapped_column(String(254))  # the envelope sender
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))  # shown to organisers; the message holds its own copy
    message: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # the whole RFC 5322 message, as sent
    event_id: Mapped[int | None] = mapped_column(db.ForeignKey("event.id", ondelete="SET NULL"), index=True)
    batch: Mapped[str | None] = mapped_column(String(40), index=True)  # messages queued together, for progress
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a crashed worker's claim lapses
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
