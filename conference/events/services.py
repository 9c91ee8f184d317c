"""The rules of the programme. Services never commit: the caller's unit of work does."""

import enum
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.exc import IntegrityError

from conference.core import audit
from conference.core.access import managed_event_filter, organises_all_events
from conference.core.errors import Refusal
from conference.core.models import Grant, Role, User
from conference.core.timeutil import local_date
from conference.events import hooks
from conference.events.models import (Appointment, Event, EventFormat, EventKind, EventOrganisation, EventSeries,
                                      Organisation, OrganiserRole, Person, RegistrationPolicy, Session, SessionKind,
                                      SessionSpeaker, SpeakerRole, Stage)
from conference.extensions import db


class RegistrationState(enum.Enum):
    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    INVITATION_ONLY = "invitation_only"
    NONE = "none"


class ProgrammeError(Refusal):
    """A change the programme's rules refuse; `field` names the form field to blame."""

    messages = {
        "ends_before_start": _l("The end must be after the start."),
        "registration_closes_before_it_opens": _l("Registration must close after it opens."),
        "sessions_outside_event": _l("Some sessions would fall outside the event's new times. Move them first."),
        "session_outside_event": _l("The session must take place within the event's start and end."),
        "stage_of_other_event": _l("Choose a stage of this event."),
        "speaker_already_on_session": _l("This person is already on the session."),
        "organisation_already_linked": _l("This organisation is already linked to the event."),
        "valid_to_before_valid_from": _l("The end date must not be before the start date."),
        "no_such_speaker": _l("That speaker is no longer on the session."),
        "no_such_link": _l("That organisation is no longer linked to the event."),
        "stage_name_taken": _l("This event already has a stage with that name."),
        "slug_taken": _l("Another event already has this address."),
        "organisation_slug_taken": _l("Another organisation already has this address."),
        "registry_number_taken": _l("Another organisation already has this number."),
        "series_slug_taken": _l("Another series already has this address."),
        "logo_too_large": _l("The logo file is too large."),
        "logo_too_many_pixels": _l("The logo is too large: at most 2000 × 2000 pixels."),
        "series_without_dates": _l("Give the first date, every how many weeks and the number of meetings, "
                                   "or list the dates."),
        "series_too_long": _l("A series has at most 52 meetings."),
        "series_date_twice": _l("A date is listed twice."),
        "series_time_on_clock_change": _l("A meeting would start or end in the hour the clocks change. "
                                          "Choose another time."),
        "logo_not_image": _l("The logo must be a PNG, JPEG or WebP image."),
    }


# ---------------------------------------------------------------- slugs

def slugify(text: str, max_length: int = 72) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return slug[:max_length].strip("-") or "item"


def unique_slug(model, text: str, *, exclude_id: int | None = None) -> str:
    base = slugify(text)
    candidate, n = base, 2
    while True:
        query = select(model.id).where(model.slug == candidate)
        if exclude_id is not None:
            query = query.where(model.id != exclude_id)
        if db.session.scalar(query) is None:
            return candidate
        candidate, n = f"{base}-{n}", n + 1


# ---------------------------------------------------------------- public reading

def with_programme():
    """Load what an event page shows in a handful of queries, not one per speaker."""
    return (
        selectinload(Event.sessions).selectinload(Session.speaker_links).selectinload(SessionSpeaker.person)
        .selectinload(Person.appointments).joinedload(Appointment.organisation),
        selectinload(Event.sessions).joinedload(Session.stage),
        selectinload(Event.organisation_links).joinedload(EventOrganisation.organisation),
        selectinload(Event.stages),
        joinedload(Event.series),
    )


def events_managed_by(user: User) -> list[Event]:
    """The events on an organiser's dashboard, the latest first."""
    return list(db.session.scalars(
        select(Event).where(managed_event_filter(user, Event)).order_by(Event.starts_at.desc())))


def upcoming_events(now: datetime) -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.published.is_(True), Event.ends_at >= now).order_by(Event.starts_at)))


def past_events(now: datetime) -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.published.is_(True), Event.ends_at < now).order_by(Event.starts_at.desc())))


def registration_state(event: Event, now: datetime) -> RegistrationState:
    if event.cancelled_at is not None:
        return RegistrationState.CLOSED
    if event.registration_policy is RegistrationPolicy.CLOSED:
        return RegistrationState.NONE
    if event.registration_policy is RegistrationPolicy.INVITATION_ONLY:
        return RegistrationState.INVITATION_ONLY
    if event.registration_opens_at and now < event.registration_opens_at:
        return RegistrationState.NOT_YET_OPEN
    closes_at = event.registration_closes_at or event.starts_at
    if now >= closes_at:
        return RegistrationState.CLOSED
    return RegistrationState.OPEN


def appointment_on(person: Person, day: date) -> Appointment | None:
    """The title a person held on a day; the most recently started one if several."""
    held = [a for a in person.appointments if a.held_on(day)]
    return max(held, key=lambda a: a.valid_from) if held else None


@dataclass
class SpeakerOnDay:
    person: Person
    role: SpeakerRole
    appointment: Appointment | None


def speakers_of(session: Session) -> list[SpeakerOnDay]:
    day = local_date(session.starts_at, session.event.timezone)
    return [SpeakerOnDay(link.person, link.role, appointment_on(link.person, day))
            for link in session.speaker_links]


@dataclass
class StageSlot:
    stage: Stage | None
    sessions: list[Session] = field(default_factory=list)


@dataclass
class ProgrammeDay:
    day: date
    stages: list[StageSlot]


def programme_by_day_and_stage(event: Event) -> list[ProgrammeDay]:
    """Sessions grouped by local day, then by stage in the organiser's order (no stage last)."""
    days: "OrderedDict[date, dict]" = OrderedDict()
    stage_order = {stage.id: index for index, stage in enumerate(event.stages)}
    for session in sorted(event.sessions, key=lambda s: (s.starts_at, s.id)):
        day = local_date(session.starts_at, event.timezone)
        slots = days.setdefault(day, {})
        key = session.stage_id
        slots.setdefault(key, StageSlot(session.stage)).sessions.append(session)
    return [
        ProgrammeDay(day, sorted(slots.values(),
                                 key=lambda slot: stage_order.get(slot.stage.id, 0) if slot.stage else 1e9))
        for day, slots in days.items()
    ]


def sessions_of_person(person: Person) -> list[Session]:
    return sorted((link.session for link in person.session_links if link.session.event.published),
                  key=lambda s: s.starts_at)


def events_of_organisation(organisation: Organisation) -> list[tuple[Event, OrganiserRole]]:
    links = [link for link in organisation.event_links if link.event.published]
    return [(link.event, link.role) for link in sorted(links, key=lambda l: l.event.starts_at, reverse=True)]


def hosts_first(event: Event) -> list[EventOrganisation]:
    role_order = {OrganiserRole.HOST: 0, OrganiserRole.CO_ORGANISER: 1, OrganiserRole.PARTNER: 2}
    return sorted(event.organisation_links, key=lambda l: (role_order[l.role], l.position, l.id or 0))


# ---------------------------------------------------------------- changing the programme

def add_or_refuse(obj, code: str, field_name: str) -> None:
    """Add a row whose uniqueness the database guards; a duplicate (a form posted twice) is refused."""
    try:
        with db.session.begin_nested():
            db.session.add(obj)
            db.session.flush()
    except IntegrityError:
        raise ProgrammeError(code, field_name) from None


def save_stage(event: Event, stage: Stage | None, name: str) -> Stage:
    name = name.strip()
    if any(s.name == name and s is not stage for s in event.stages):
        raise ProgrammeError("stage_name_taken", "name")
    if stage is None:
        stage = Stage(event_id=event.id, name=name, position=len(event.stages))
        add_or_refuse(stage, "stage_name_taken", "name")
        db.session.expire(event, ["stages"])
    else:
        stage.name = name
    audit.record("stage.saved", stage, event_id=event.id)
    return stage


def slug_taken(model, slug: str, own_id: int | None) -> bool:
    query = select(model.id).where(model.slug == slug)
    if own_id is not None:
        query = query.where(model.id != own_id)
    return db.session.scalar(query) is not None

def check_event_times(event: Event) -> None:
    if event.ends_at <= event.starts_at:
        raise ProgrammeError("ends_before_start", "ends_at")
    if event.registration_opens_at and event.registration_closes_at \
            and event.registration_closes_at <= event.registration_opens_at:
        raise ProgrammeError("registration_closes_before_it_opens", "registration_closes_at")
    outside = [s for s in event.sessions if s.starts_at < event.starts_at or s.ends_at > event.ends_at]
    if outside:
        raise ProgrammeError("sessions_outside_event", "starts_at")


def check_session_times(session: Session, event: Event) -> None:
    if session.ends_at <= session.starts_at:
        raise ProgrammeError("ends_before_start", "ends_at")
    if session.starts_at < event.starts_at or session.ends_at > event.ends_at:
        raise ProgrammeError("session_outside_event", "starts_at")


@dataclass
class EventDetails:
    """What an organiser states about an event, in UTC; the event form gives it."""

    title: str
    slug: str  # empty: made from the title (a new event), or kept (an existing one)
    series_id: int | None
    kind: EventKind
    format: EventFormat
    timezone: str
    starts_at: datetime
    ends_at: datetime
    summary: str = ""
    venue: str = ""
    audience: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    registration_policy: RegistrationPolicy = RegistrationPolicy.OPEN
    capacity: int | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    published: bool = False
    attendees_pick_sessions: bool = False


def create_event(details: EventDetails, *, now: datetime, creator=None) -> tuple[Event, list[str]]:
    """A new event as stated; its creator organises it. Returns it and the other features' notices."""
    event = Event()
    with db.session.no_autoflush:
        apply_details(event, details)
    return event, save_event(event, created=True, now=now, creator=creator)


def change_event(event: Event, details: EventDetails, *, now: datetime) -> list[str]:
    """The event as now stated; other features react (calendars, places, the broadcast)."""
    with db.session.no_autoflush:
        apply_details(event, details)
    return save_event(event, created=False, now=now)


def apply_details(event: Event, details: EventDetails) -> None:
    for name, value in vars(details).items():
        if name == "slug":
            event.slug = value.strip() or event.slug
        else:
            setattr(event, name, value.strip() if name in ("title", "contact_email") else value)


def save_event(event: Event, *, created: bool, now: datetime, creator=None) -> list[str]:
    """Check and save an event; its creator, unless organiser of every event already, organises it.

    Other features react in the same transaction (calendars, places, the broadcast); what they
    did comes back as notices for the organiser.
    """
    check_event_times(event)
    if event.slug and slug_taken(Event, event.slug, event.id):
        raise ProgrammeError("slug_taken", "slug")
    if created:
        event.slug = event.slug or unique_slug(Event, event.title)
        add_or_refuse(event, "slug_taken", "slug")
        if creator is not None:
            let_creator_organise(event, creator)
    audit.record("event.created" if created else "event.updated", event)
    db.session.flush()
    return hooks.event_saved.run(event=event, now=now)


def let_creator_organise(event: Event, creator: User) -> None:
    """The organiser who creates an event organises it, unless they organise every event already."""
    if not organises_all_events(creator):
        db.session.add(Grant(user_id=creator.id, role=Role.ORGANISER, event_id=event.id))


@dataclass
class SessionDetails:
    """What an organiser states about a programme item, in UTC; the session form gives it."""

    title: str
    kind: SessionKind
    starts_at: datetime
    ends_at: datetime
    stage_id: int | None
    language: str
    abstract: str = ""


def put_session(event: Event, session: Session | None, details: SessionDetails, *,
                now: datetime) -> tuple[Session, list[str]]:
    """Add a programme item (`session` None) or change one; returns it and the other features' notices."""
    target = session or Session()
    with db.session.no_autoflush:
        target.title = details.title.strip()
        target.kind = details.kind
        target.starts_at = details.starts_at
        target.ends_at = details.ends_at
        target.stage = db.session.get(Stage, details.stage_id) if details.stage_id else None
        target.language = details.language
        target.abstract = details.abstract
    return target, save_session(target, event, created=session is None, now=now)


def save_session(session: Session, event: Event, *, created: bool, now: datetime) -> list[str]:
    """Check and save a programme item; those who follow it hear of changes through the hook."""
    if session.stage is not None and session.stage.event_id != event.id:
        raise ProgrammeError("stage_of_other_event", "stage_id")
    check_session_times(session, event)
    if created:
        session.event = event
        db.session.add(session)
    audit.record("session.created" if created else "session.updated", session, event_id=event.id)
    db.session.flush()
    return hooks.session_saved.run(session=session, now=now)


def cancel_event(event: Event, *, now: datetime) -> list[str]:
    """The event will not take place: registration stops, and every feature that told people of it
    tells them it is off. Cancelling twice changes nothing."""
    if event.cancelled_at is not None:
        return []
    event.cancelled_at = now
    db.session.flush()
    notices = hooks.event_cancelled.run(event=event, now=now)
    audit.record("event.cancelled", event)
    return notices


def request_calendar_update(event: Event, *, now: datetime) -> list[str]:
    """The organiser asks that a change the rules call minor go to every calendar all the same."""
    notices = hooks.calendar_update_requested.run(event=event, now=now)
    audit.record("event.calendar_update_sent", event)
    return notices


def cancellation_consequences(event: Event) -> list[str]:
    """What cancelling would set off, in sentences for the organiser who is about to confirm."""
    return hooks.cancellation_consequences.run(event=event)


def add_speaker(session: Session, person: Person, role: SpeakerRole) -> SessionSpeaker:
    if any(link.person_id == person.id for link in session.speaker_links):
        raise ProgrammeError("speaker_already_on_session", "person_id")
    position = max((link.position for link in session.speaker_links), default=-1) + 1
    link = SessionSpeaker(session_id=session.id, person_id=person.id, role=role, position=position)
    add_or_refuse(link, "speaker_already_on_session", "person_id")
    db.session.expire(session, ["speaker_links"])
    audit.record("session.speaker_added", session, person_id=person.id, role=role.value)
    return link


def move_speaker(session: Session, link_id: int, offset: int) -> None:
    """Move a speaker up (-1) or down (+1) in the order shown."""
    links = list(session.speaker_links)
    index = next((i for i, link in enumerate(links) if link.id == link_id), None)
    if index is None:
        raise ProgrammeError("no_such_speaker")
    target = index + offset
    if 0 <= target < len(links):
        links[index], links[target] = links[target], links[index]
    for position, link in enumerate(links):
        link.position = position
    audit.record("session.speakers_reordered", session, order=[link.person_id for link in links])


def remove_speaker(session: Session, link_id: int) -> None:
    link = next((l for l in session.speaker_links if l.id == link_id), None)
    if link is None:
        raise ProgrammeError("no_such_speaker")
    session.speaker_links.remove(link)
    audit.record("session.speaker_removed", session, person_id=link.person_id)


def link_organisation(event: Event, organisation: Organisation, role: OrganiserRole) -> EventOrganisation:
    if any(link.organisation_id == organisation.id for link in event.organisation_links):
        raise ProgrammeError("organisation_already_linked", "organisation_id")
    position = max((link.position for link in event.organisation_links), default=-1) + 1
    link = EventOrganisation(event_id=event.id, organisation_id=organisation.id, role=role, position=position)
    add_or_refuse(link, "organisation_already_linked", "organisation_id")
    db.session.expire(event, ["organisation_links"])
    audit.record("event.organisation_linked", event, organisation_id=organisation.id, role=role.value)
    return link


def unlink_organisation(event: Event, link_id: int) -> None:
    link = next((l for l in event.organisation_links if l.id == link_id), None)
    if link is None:
        raise ProgrammeError("no_such_link")
    event.organisation_links.remove(link)
    audit.record("event.organisation_unlinked", event, organisation_id=link.organisation_id)


# ---------------------------------------------------------------- what uses a thing, before deleting it

@dataclass
class Usage:
    """What still refers to an object; shown before the organiser confirms a deletion."""

    events: list[Event] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.events or self.sessions or self.appointments or self.people)


def events_affected(usage: Usage) -> set[Event]:
    """Every event whose public page would change with the object."""
    affected = set(usage.events) | {session.event for session in usage.sessions}
    for appointment in usage.appointments:
        affected |= {link.session.event for link in appointment.person.session_links}
    return affected


def organisation_usage(organisation: Organisation) -> Usage:
    appointments = list(db.session.scalars(
        select(Appointment).where(Appointment.organisation_id == organisation.id)))
    return Usage(events=[link.event for link in organisation.event_links], appointments=appointments)


def person_usage(person: Person) -> Usage:
    return Usage(sessions=[link.session for link in person.session_links])


def series_usage(series: EventSeries) -> Usage:
    return Usage(events=list(series.events))


def stage_usage(stage: Stage) -> Usage:
    return Usage(sessions=list(stage.sessions))


def event_usage(event: Event) -> Usage:
    return Usage(sessions=list(event.sessions))


def delete(obj, action: str) -> None:
    audit.record(action, obj, name=getattr(obj, "name", None) or getattr(obj, "title", None))
    db.session.delete(obj)


def count_events() -> int:
    return db.session.scalar(select(func.count(Event.id))) or 0
