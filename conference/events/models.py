"""Tables of the programme."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from conference.core.timeutil import local_date, utcnow
from conference.core.types import UTCDateTime, enum_column
from conference.extensions import db


class OrganisationKind(enum.Enum):
    AUTHORITY = "authority"
    REGION = "region"
    MUNICIPALITY = "municipality"
    NGO = "ngo"
    RESEARCH = "research"
    EDUCATION = "education"
    MEDIA = "media"
    OTHER = "other"


class EventKind(enum.Enum):
    CONFERENCE = "conference"
    WORKSHOP = "workshop"
    DISCUSSION_MEETING = "discussion_meeting"
    CONSULTATION = "consultation"  # samråd
    FOLLOW_UP_DIALOGUE = "follow_up_dialogue"  # sakråd
    KICK_OFF = "kick_off"


class EventFormat(enum.Enum):
    DIGITAL = "digital"
    ON_SITE = "on_site"
    HYBRID = "hybrid"


class RegistrationPolicy(enum.Enum):
    OPEN = "open"
    INVITATION_ONLY = "invitation_only"
    CLOSED = "closed"


class OrganiserRole(enum.Enum):
    HOST = "host"
    CO_ORGANISER = "co_organiser"
    PARTNER = "partner"


class SessionKind(enum.Enum):
    TALK = "talk"
    PANEL = "panel"
    BREAK = "break"
    GROUP_DISCUSSION = "group_discussion"


class SpeakerRole(enum.Enum):
    SPEAKER = "speaker"
    MODERATOR = "moderator"


class Organisation(db.Model):
    """A public body or other organisation that hosts, co-organises or employs speakers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    # Swedish organisationsnummer (NNNNNN-NNNN) or Finnish Y-tunnus (NNNNNNN-N), checksum-validated
    registry_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    country: Mapped[str | None] = mapped_column(String(2))  # "SE" or "FI", from the number's form
    website: Mapped[str] = mapped_column(String(300), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_content_type: Mapped[str | None] = mapped_column(String(40))
    logo_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # cache key for the logo URL

    event_links: Mapped[list["EventOrganisation"]] = relationship(back_populates="organisation",
                                                                  cascade="all, delete-orphan")

    @property
    def display_name(self) -> str:
        return self.name


class EventSeries(db.Model):
    """A recurring event, such as a yearly forum, or a series of meetings invited to at once."""

    __tablename__ = "event_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # set when the meetings follow "every N weeks": invitations then carry one RRULE
    interval_weeks: Mapped[int | None]

    events: Mapped[list["Event"]] = relationship(back_populates="series", order_by="Event.starts_at")


class Event(db.Model):
    """A conference, workshop or meeting, with its programme and organisers."""

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("event_series.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    format: Mapped[EventFormat] = mapped_column(enum_column(EventFormat))
    timezone: Mapped[str] = mapped_column(String(40), default="Europe/Stockholm")  # IANA name
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue: Mapped[str] = mapped_column(String(300), default="")  # address for on-site and hybrid
    audience: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    registration_policy: Mapped[RegistrationPolicy] = mapped_column(enum_column(RegistrationPolicy),
                                                                     default=RegistrationPolicy.OPEN)
    capacity: Mapped[int | None]  # None: no limit
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published: Mapped[bool] = mapped_column(default=False)  # drafts are seen by organisers only
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the event will not take place
    attendees_pick_sessions: Mapped[bool] = mapped_column(default=False, server_default="0")  # calendars per session
    # the start the series' rule gave this meeting: its RECURRENCE-ID, kept when the meeting moves
    occurrence_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    series: Mapped[EventSeries | None] = relationship(back_populates="events")
    stages: Mapped[list["Stage"]] = relationship(back_populates="event", cascade="all, delete-orphan",
                                                 order_by="Stage.position")
    sessions: Mapped[list["Session"]] = relationship(back_populates="event", cascade="all, delete-orphan",
                                                     order_by="(Session.starts_at, Session.id)")
    organisation_links: Mapped[list["EventOrganisation"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventOrganisation.position")

    @property
    def local_date(self) -> date:
        """The event's date where it happens; appointments are read on this date."""
        return local_date(self.starts_at, self.timezone)


class EventOrganisation(db.Model):
    """An organisation's role on an event: host, co-organiser or partner."""

    __tablename__ = "event_organisation"
    __table_args__ = (UniqueConstraint("event_id", "organisation_id", name="uq_event_organisation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    role: Mapped[OrganiserRole] = mapped_column(enum_column(OrganiserRole))
    position: Mapped[int] = mapped_column(default=0)  # hosts first, then the order the organiser chose

    event: Mapped[Event] = relationship(back_populates="organisation_links")
    organisation: Mapped[Organisation] = relationship(back_populates="event_links")


class Stage(db.Model):
    """A room or stream stage of an event; sessions run on a stage."""

    __table_args__ = (UniqueConstraint("event_id", "name", name="uq_stage_event_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="stages")
    sessions: Mapped[list["Session"]] = relationship(back_populates="stage")


class Session(db.Model):
    """A programme item: a talk, panel, break or group discussion."""

    __tablename__ = "programme_session"  # "session" is a reserved word in some SQL dialects
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stage.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(250))
    abstract: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[SessionKind] = mapped_column(enum_column(SessionKind), default=SessionKind.TALK)
    language: Mapped[str] = mapped_column(String(5), default="sv")  # language spoken in the session
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="sessions")
    stage: Mapped[Stage | None] = relationship(back_populates="sessions")
    speaker_links: Mapped[list["SessionSpeaker"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionSpeaker.position")


class Person(db.Model):
    """A speaker or moderator; titles and affiliations live in dated appointments."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    bio: Mapped[str] = mapped_column(Text, default="")

    appointments: Mapped[list["Appointment"]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Appointment.valid_from.desc()")
    session_links: Mapped[list["SessionSpeaker"]] = relationship(back_populates="person",
                                                                 cascade="all, delete-orphan")


class Appointment(db.Model):
    """A title a person held at an organisation between two dates (inclusive)."""

    __table_args__ = (CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"),
                                                        index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)  # None: still held

    person: Mapped[Person] = relationship(back_populates="appointments")
    organisation: Mapped[Organisation | None] = relationship()

    def held_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class SessionSpeaker(db.Model):
    """A person on a session, in the order shown, with a role."""

    __tablename__ = "session_speaker"
    __table_args__ = (UniqueConstraint("session_id", "person_id", name="uq_session_speaker"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("programme_session.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[SpeakerRole] = mapped_column(enum_column(SpeakerRole), default=SpeakerRole.SPEAKER)
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[Session] = relationship(back_populates="speaker_links")
    person: Mapped[Person] = relationship(back_populates="session_links")
