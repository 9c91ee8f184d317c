"""Real objects for tests, built through the models and committed by the caller."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from conference.consultation.processes.models import ProcessMeeting
from conference.consultation.proposals.models import MeetingTopic
from conference.core.models import Grant, Role, User
from conference.events.models import (Appointment, Event, EventFormat, EventKind, EventOrganisation, Organisation,
                                      OrganisationKind, OrganiserRole, Person, RegistrationPolicy, Session,
                                      SessionSpeaker, SpeakerRole, Stage)
from conference.extensions import db
from conference.press.models import StreamSettings
from conference.registration import services as registration

PASSWORD = "correct horse battery"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(year, month, day, hour=9, minute=0, tz=STOCKHOLM) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def user(email: str, *, admin: bool = False, organiser_of: list[Event] | None = None,
         organiser_of_all: bool = False, press_officer_of: list[Event] | None = None) -> User:
    u = User(email=email, name=email.split("@")[0], is_admin=admin)
    u.set_password(PASSWORD)
    db.session.add(u)
    db.session.flush()
    for event in organiser_of or []:
        db.session.add(Grant(user_id=u.id, role=Role.ORGANISER, event_id=event.id))
    if organiser_of_all:
        db.session.add(Grant(user_id=u.id, role=Role.ORGANISER, event_id=None))
    for event in press_officer_of or []:
        db.session.add(Grant(user_id=u.id, role=Role.PRESS_OFFICER, event_id=event.id))
    db.session.flush()
    return u


def event(slug: str = "forum", *, title: str | None = None, starts_at: datetime | None = None,
          hours: int = 7, published: bool = True, **fields) -> Event:
    starts_at = starts_at or local(2030, 11, 26, 9)
    stream = {key: fields.pop(key) for key in STREAM_FIELDS if key in fields}
    process_id, topic_proposal_id = fields.pop("process_id", None), fields.pop("topic_proposal_id", None)
    e = Event(slug=slug, title=title or slug.replace("-", " ").title(), kind=fields.pop("kind", EventKind.CONFERENCE),
              format=fields.pop("format", EventFormat.DIGITAL), timezone=fields.pop("timezone", "Europe/Stockholm"),
              starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), published=published,
              registration_policy=fields.pop("registration_policy", RegistrationPolicy.OPEN), **fields)
    db.session.add(e)
    db.session.flush()
    if stream:
        stream_settings(e, **stream)
    if process_id is not None:
        meeting_of(e, process_id, topic_proposal_id)
    return e


def meeting_of(e: Event, process_id: int, topic_proposal_id: int | None = None) -> ProcessMeeting:
    """Make the event a meeting of the process, deepening a proposal if one is given."""
    meeting = ProcessMeeting(event_id=e.id, process_id=process_id)
    db.session.add(meeting)
    if topic_proposal_id is not None:
        db.session.add(MeetingTopic(event_id=e.id, proposal_id=topic_proposal_id))
    db.session.flush()
    return meeting


def process_id_of(event_id: int) -> int | None:
    return db.session.scalar(select(ProcessMeeting.process_id).where(ProcessMeeting.event_id == event_id))


def topic_id_of(event_id: int) -> int | None:
    return db.session.scalar(select(MeetingTopic.proposal_id).where(MeetingTopic.event_id == event_id))


# the stream's settings belong to the press feature; tests may still give them with the event
STREAM_FIELDS = {"stream_audience": "audience", "stream_opens_minutes": "opens_minutes",
                 "recording_url": "recording_url", "press_contact_email": "press_contact_email"}


def stream_settings(e: Event, **changes) -> StreamSettings:
    """Set the event's stream settings (by the event form's old names or the table's own)."""
    settings = db.session.get(StreamSettings, e.id)
    if settings is None:
        settings = StreamSettings.defaults(e.id)
        db.session.add(settings)
    for key, value in changes.items():
        setattr(settings, STREAM_FIELDS.get(key, key), value)
    db.session.flush()
    return settings


def stage(e: Event, name: str = "Stora salen", position: int = 0) -> Stage:
    s = Stage(name=name, position=position)
    e.stages.append(s)
    db.session.flush()
    return s


def session(e: Event, title: str, start: datetime, minutes: int = 45, *, stage: Stage | None = None,
            speakers: list[tuple[Person, SpeakerRole]] = (), **fields) -> Session:
    s = Session(title=title, starts_at=start, ends_at=start + timedelta(minutes=minutes), **fields)
    e.sessions.append(s)
    s.stage = stage
    for position, (p, role) in enumerate(speakers):
        s.speaker_links.append(SessionSpeaker(person=p, role=role, position=position))
    db.session.flush()
    return s


def organisation(slug: str = "arbetsformedlingen", name: str = "Arbetsförmedlingen",
                 kind: OrganisationKind = OrganisationKind.AUTHORITY, **fields) -> Organisation:
    o = Organisation(slug=slug, name=name, kind=kind, **fields)
    db.session.add(o)
    db.session.flush()
    return o


def person(name: str, *appointments: tuple[str, Organisation | None, date, date | None]) -> Person:
    p = Person(name=name)
    for title, org, valid_from, valid_to in appointments:
        p.appointments.append(Appointment(title=title, organisation=org, valid_from=valid_from, valid_to=valid_to))
    db.session.add(p)
    db.session.flush()
    return p


def link(e: Event, o: Organisation, role: OrganiserRole = OrganiserRole.HOST) -> EventOrganisation:
    l = EventOrganisation(organisation=o, role=role, position=len(e.organisation_links))
    e.organisation_links.append(l)
    db.session.flush()
    return l


def seats_taken(event_id: int) -> int:
    """Places the event's registrations hold, as registration counts them."""
    return registration.seats_taken(db.session.get(Event, event_id))
