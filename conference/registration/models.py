"""Tables of registration: a person's place, an invitation, a check-in, the count of an event's places."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from conference.core.timeutil import utcnow
from conference.core.types import UTCDateTime, enum_column
from conference.events.models import Event, Organisation, OrganisationKind
from conference.extensions import db

LIVE = "state NOT IN ('cancelled', 'expired')"


class RegistrationState(enum.Enum):
    PENDING = "pending"  # holds a place; the e-mail address is not confirmed yet
    CONFIRMED = "confirmed"  # holds a place
    WAITLISTED = "waitlisted"  # in line for a place, by waitlist_position
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # the address was never confirmed; the place went back

    @property
    def holds_seat(self) -> bool:
        return self in (RegistrationState.PENDING, RegistrationState.CONFIRMED)


class Registration(db.Model):
    """One person's place (or place in line) at one event."""

    __table_args__ = (
        # one live registration per address and event; cancelled and expired ones don't count
        db.Index("uq_registration_live_email", "event_id", "email_normalised", unique=True,
                 sqlite_where=text(LIVE), postgresql_where=text(LIVE)),
        db.Index("ix_registration_waitlist", "event_id", "state", "waitlist_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    state: Mapped[RegistrationState] = mapped_column(enum_column(RegistrationState),
                                                     default=RegistrationState.PENDING)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))  # as typed, for the greeting and the To: header
    email_normalised: Mapped[str] = mapped_column(String(254))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    organisation_name: Mapped[str] = mapped_column(String(200), default="")  # typed, or the picked one's name
    organisation_kind: Mapped[OrganisationKind | None] = mapped_column(enum_column(OrganisationKind))
    stakeholder_group: Mapped[str] = mapped_column(String(100), default="")
    # sensitive (e.g. interpretation, diet for health reasons): organisers only, purged first
    accessibility_needs: Mapped[str | None] = mapped_column(Text)
    consent_version: Mapped[str] = mapped_column(String(20))  # the privacy notice the person accepted
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    language: Mapped[str] = mapped_column(String(5), default="sv")  # for every mail to this person
    manage_nonce: Mapped[str] = mapped_column(String(64))  # the personal link and ticket are derived from it
    manage_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ticket_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    waitlist_position: Mapped[int | None]  # order of arrival on the waiting list
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    seat_since: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when the place was given
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[str | None] = mapped_column(String(20))  # "self", "organiser" or "expiry"
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id", ondelete="SET NULL"))
    added_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    check_ins: Mapped[list["CheckIn"]] = relationship(back_populates="registration", cascade="all, delete-orphan",
                                                      order_by="CheckIn.at")

    @property
    def active_check_in(self) -> "CheckIn | None":
        return next((c for c in self.check_ins if c.undone_at is None), None)


class InvitationState(enum.Enum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Invitation(db.Model):
    """A personal invitation to an invitation-only event, answered from a link."""

    __table_args__ = (
        db.UniqueConstraint("event_id", "email_normalised", name="uq_invitation_event_email"),
        # what an upload's job has yet to mail: small, and empty once the mail has gone out
        db.Index("ix_invitation_unmailed", "batch", sqlite_where=text("mailed_at IS NULL"),
                 postgresql_where=text("mailed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254))
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    stakeholder_group: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(5), default="sv")
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[InvitationState] = mapped_column(enum_column(InvitationState), default=InvitationState.INVITED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    batch: Mapped[str | None] = mapped_column(String(40))  # the upload it came in, for progress
    # when its invitation mail was queued; NULL while the upload's job has yet to write it
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    series_invitee_id: Mapped[int | None] = mapped_column(ForeignKey("series_invitee.id", ondelete="CASCADE"),
                                                          index=True)  # invited with the whole series

    event: Mapped[Event] = relationship()
    registration: Mapped["Registration | None"] = relationship(
        primaryjoin="Invitation.id == foreign(Registration.invitation_id)", viewonly=True, uselist=False)


class SessionChoice(db.Model):
    """A session a registrant picked, where the event lets attendees pick sessions."""

    __tablename__ = "session_choice"
    __table_args__ = (db.UniqueConstraint("registration_id", "session_id", name="uq_session_choice"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("programme_session.id", ondelete="CASCADE"), index=True)


class SeriesInvitee(db.Model):
    """A person invited once to every meeting of a series; each meeting has its own Invitation."""

    __tablename__ = "series_invitee"
    __table_args__ = (
        db.UniqueConstraint("series_id", "email_normalised", name="uq_series_invitee_email"),
        db.Index("ix_series_invitee_unmailed", "batch", sqlite_where=text("mailed_at IS NULL"),
                 postgresql_where=text("mailed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("event_series.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254))
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    stakeholder_group: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(5), default="sv")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    batch: Mapped[str | None] = mapped_column(String(40))  # the upload it came in
    # when the invitation mail (or mails, one per meeting) was queued; NULL while the upload's job has yet to
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CheckIn(db.Model):
    """A person let in at the door: who scanned, when; undone rather than deleted."""

    __tablename__ = "check_in"
    __table_args__ = (
        # at most one standing check-in per registration
        db.Index("uq_check_in_standing", "registration_id", unique=True,
                 sqlite_where=text("undone_at IS NULL"), postgresql_where=text("undone_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # one per scan form shown: a retried submission of the same scan is recognised
    scan_nonce: Mapped[str] = mapped_column(String(64), unique=True)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    registration: Mapped[Registration] = relationship(back_populates="check_ins")
    by_user = relationship("User", foreign_keys=[by_user_id])

    @property
    def event_id(self) -> int:
        """The event the person was let in at: a check-in named in a URL must be of that URL's event."""
        return self.registration.event_id


class EventPlaces(db.Model):
    """Registration's running count of one event's places, beside the capacity the event states.

    Held by pending and confirmed registrations; changed only by atomic conditional UPDATEs, so
    the same statements are safe under concurrency on SQLite and PostgreSQL.
    """

    __tablename__ = "event_places"
    __table_args__ = (CheckConstraint("taken >= 0", name="taken_not_negative"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    taken: Mapped[int] = mapped_column(default=0, server_default="0")
    waitlist_counter: Mapped[int] = mapped_column(default=0, server_default="0")  # last place in line handed out
