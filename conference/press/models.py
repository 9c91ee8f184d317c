"""Tables of stream access: the stream's settings, press requests, personal watch links and their log,
the broadcast."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from conference.core.timeutil import utcnow
from conference.core.types import UTCDateTime, enum_column
from conference.events.models import Event
from conference.extensions import db


class StreamAudience(enum.Enum):
    PRESS = "press"  # approved press only
    PRESS_AND_REGISTRANTS = "press_and_registrants"  # each confirmed registrant gets a personal link too
    EVERYONE = "everyone"  # a public watch page


class StreamSettings(db.Model):
    """Who gets an event's stream and when, and where press requests go; an event without a row has the
    defaults of a new one."""

    __tablename__ = "stream_settings"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    audience: Mapped[StreamAudience] = mapped_column(enum_column(StreamAudience), default=StreamAudience.PRESS,
                                                     server_default="press")
    # the watch page shows the player from this long before the first session
    opens_minutes: Mapped[int] = mapped_column(default=30, server_default="30")
    recording_url: Mapped[str] = mapped_column(String(300), default="", server_default="")  # published after
    press_contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")

    @classmethod
    def defaults(cls, event_id: int | None = None) -> "StreamSettings":
        """The settings of an event nobody has set them for: a row not (yet) in the session."""
        return cls(event_id=event_id, audience=StreamAudience.PRESS, opens_minutes=30, recording_url="",
                   press_contact_email="")


class PressRequestState(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    REVOKED = "revoked"


class PressRequest(db.Model):
    """A journalist's request for the stream link of one event."""

    __tablename__ = "press_request"
    __table_args__ = (
        # one open request per address and event: a form posted twice stores nothing twice
        db.Index("uq_press_request_open_email", "event_id", "email_normalised", unique=True,
                 sqlite_where=text("state IN ('pending', 'approved')"),
                 postgresql_where=text("state IN ('pending', 'approved')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    outlet: Mapped[str] = mapped_column(String(200))
    outlet_normalised: Mapped[str] = mapped_column(String(200), index=True)  # to find the outlet's earlier requests
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")  # e.g. a press card number
    consent_version: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5), default="sv")
    state: Mapped[PressRequestState] = mapped_column(enum_column(PressRequestState),
                                                     default=PressRequestState.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decision_message: Mapped[str] = mapped_column(Text, default="")  # sent with a denial when written

    event: Mapped[Event] = relationship()
    access: Mapped["StreamAccess | None"] = relationship(back_populates="press_request", uselist=False)


class StreamAccessKind(enum.Enum):
    PRESS = "press"
    REGISTRANT = "registrant"


class StreamAccess(db.Model):
    """A personal, expiring, revocable link to an event's watch page."""

    __tablename__ = "stream_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[StreamAccessKind] = mapped_column(enum_column(StreamAccessKind))
    press_request_id: Mapped[int | None] = mapped_column(ForeignKey("press_request.id", ondelete="CASCADE"),
                                                         unique=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"),
                                                        unique=True)
    holder_name: Mapped[str] = mapped_column(String(200))  # shown to organisers in the view log
    nonce: Mapped[str] = mapped_column(String(64))  # the link is derived from it; a new nonce revokes it
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    press_request: Mapped[PressRequest | None] = relationship(back_populates="access")
    views: Mapped[list["StreamView"]] = relationship(back_populates="access", cascade="all, delete-orphan")


class ViewOutcome(enum.Enum):
    SHOWN = "shown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    UNKNOWN = "unknown"  # no link has this token


class StreamView(db.Model):
    """One opening of a watch page, or an attempt with a dead link."""

    __tablename__ = "stream_view"

    id: Mapped[int] = mapped_column(primary_key=True)
    access_id: Mapped[int | None] = mapped_column(ForeignKey("stream_access.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[ViewOutcome] = mapped_column(enum_column(ViewOutcome))

    access: Mapped[StreamAccess | None] = relationship(back_populates="views")


class Broadcast(db.Model):
    """The YouTube live broadcast of an event, and its last known state."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    youtube_id: Mapped[str] = mapped_column(String(20))
    created_here: Mapped[bool] = mapped_column(default=False)  # ours to reschedule when the event moves
    title: Mapped[str] = mapped_column(String(300), default="")
    scheduled_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scheduled_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    life_cycle_status: Mapped[str] = mapped_column(String(20), default="created")  # YouTube's own words
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last successful read
    problem: Mapped[str | None] = mapped_column(String(40))  # the last error's code, until a call succeeds
    problem_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()


class BroadcastAction(enum.Enum):
    LINK = "link"  # link the existing broadcast youtube_id
    CREATE = "create"  # create a scheduled, unlisted broadcast with the programme's times
    REFRESH = "refresh"  # read the linked broadcast's state now


class BroadcastRequest(db.Model):
    """What an organiser asked YouTube to do with an event's broadcast: the worker carries it out, the
    Stream tab shows it while it waits and how it ended."""

    __tablename__ = "broadcast_request"
    __table_args__ = (
        # one request at a time per event: a button pressed twice, or by two organisers, asks once
        db.Index("uq_broadcast_request_open", "event_id", unique=True,
                 sqlite_where=text("finished_at IS NULL"), postgresql_where=text("finished_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    action: Mapped[BroadcastAction] = mapped_column(enum_column(BroadcastAction))
    youtube_id: Mapped[str | None] = mapped_column(String(20))  # the broadcast to link, or the one created
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    requested_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # set and committed just before the worker sends a creation: a later run that finds it set cannot
    # know whether YouTube created the broadcast, and does not send it again
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    problem: Mapped[str | None] = mapped_column(String(40))  # the StreamingError's code, if YouTube said no
    outcome_unknown: Mapped[bool] = mapped_column(default=False)  # whether YouTube created the broadcast is not known

    event: Mapped[Event] = relationship()
