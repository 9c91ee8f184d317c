"""Subscribable calendars: a programme, one session, an organisation's events, a person's agenda.

Feeds are published calendars (METHOD:PUBLISH, RFC 5545 with the RFC 7986 names), not
invitations: nobody is asked to accept anything. Each entry keeps the UID it has everywhere
else, DTSTAMP is the entry's last change (for a published calendar it stands for
LAST-MODIFIED), so the same programme always gives the same bytes and an ETag taken from
the content changes exactly when the calendar does.

Also here: the links of "Add to calendar" for Google Calendar and Outlook on the web.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from flask_babel import gettext
from icalendar import Calendar, Event as VEvent, vDuration

from conference.calendars import ics, itip
from conference.events import labels
from conference.events import services as programme
from conference.events.models import Event, EventFormat, Organisation, OrganiserRole, Session, SpeakerRole
from conference.outbox.compose import external_url

REFRESH = timedelta(hours=1)  # how often a subscribed client should look again
DETAILS_MAX = 1000  # characters of description in a Google or Outlook link; long URLs get cut by browsers
ORGANISING_ROLES = (OrganiserRole.HOST, OrganiserRole.CO_ORGANISER)


@dataclass(frozen=True)
class CalendarFile:
    """A calendar ready to serve, with the newest change it shows (for Last-Modified)."""

    body: bytes
    last_modified: datetime


# ---------------------------------------------------------------- identities and texts

def session_uid(session: Session) -> str:
    """Stable for the session's life: a new UID would be a second copy in every calendar."""
    return f"session-{session.id}@{ics.UID_DOMAIN}"


def event_url(event: Event) -> str:
    return external_url("events.event", slug=event.slug)


def session_url(session: Session) -> str:
    return external_url("events.session", slug=session.event.slug, session_id=session.id)


def location_of(event: Event, session: Session | None = None) -> str:
    """Stage and venue; where the event happens online, its page, where the stream is linked."""
    parts = []
    if session is not None and session.stage is not None:
        parts.append(session.stage.name)
    if event.format is not EventFormat.DIGITAL and event.venue:
        parts.append(event.venue)
    else:
        parts.append(event_url(event))
    return ", ".join(parts)


def speaker_lines(session: Session) -> list[str]:
    """Each speaker with the title they held on the day of the session."""
    lines = []
    for speaker in programme.speakers_of(session):
        parts = [speaker.person.name]
        if speaker.appointment is not None:
            parts.append(speaker.appointment.title)
            if speaker.appointment.organisation is not None:
                parts.append(speaker.appointment.organisation.name)
        line = ", ".join(parts)
        if speaker.role is SpeakerRole.MODERATOR:
            line += f" ({str(labels.SPEAKER_ROLE[speaker.role]).lower()})"
        lines.append(line)
    return lines


def session_text(session: Session) -> str:
    """The abstract, then who speaks."""
    blocks = [session.abstract.strip()] if session.abstract.strip() else []
    speakers = speaker_lines(session)
    if speakers:
        blocks.append("\n".join([gettext("Speakers") + ":", *speakers]))
    return "\n\n".join(blocks)


def with_link(text: str, url: str) -> str:
    """The page's address last: clients that ignore URL still show it in the description."""
    return f"{text}\n\n{url}" if text else url


def session_description(session: Session) -> str:
    return with_link(session_text(session), session_url(session))


def event_description(event: Event) -> str:
    return with_link(event.summary.strip(), event_url(event))


# ---------------------------------------------------------------- calendar objects

def has_fixed_zone(tz_name: str) -> bool:
    """Zones with a checked VTIMEZONE get local times with TZID; any other zone gets UTC times."""
    return tz_name in ics.ZONE_RULES


def _moment(moment: datetime, tz_name: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz_name) if has_fixed_zone(tz_name) else timezone.utc)


def _vevent(*, uid: str, changed_at: datetime, summary: str, description: str, location: str, url: str,
            starts_at: datetime, ends_at: datetime, tz_name: str, cancelled: bool, sequence: int = 0) -> VEvent:
    entry = VEvent()
    entry.add("UID", uid)
    entry.add("DTSTAMP", changed_at.astimezone(timezone.utc))
    entry.add("LAST-MODIFIED", changed_at.astimezone(timezone.utc))
    entry.add("SEQUENCE", sequence)
    entry.add("DTSTART", _moment(starts_at, tz_name))
    entry.add("DTEND", _moment(ends_at, tz_name))
    entry.add("SUMMARY", summary)
    if description:
        entry.add("DESCRIPTION", description)
    entry.add("LOCATION", location)
    entry.add("URL", url)
    # a cancelled event stays in the feed, marked, so subscribed calendars strike it out
    entry.add("STATUS", "CANCELLED" if cancelled else "CONFIRMED")
    entry.add("TRANSP", "TRANSPARENT" if cancelled else "OPAQUE")
    return entry


def event_vevent(event: Event, sequence: int) -> VEvent:
    # the same UID and SEQUENCE as the invitations (calendars.itip): the feed never looks older than the mail
    return _vevent(uid=ics.event_uid(event.id), changed_at=event.updated_at, summary=event.title,
                   description=event_description(event), location=location_of(event), url=event_url(event),
                   starts_at=event.starts_at, ends_at=event.ends_at, tz_name=event.timezone,
                   cancelled=event.cancelled_at is not None, sequence=sequence)


def session_vevent(session: Session) -> VEvent:
    event = session.event
    return _vevent(uid=session_uid(session), changed_at=session.updated_at, summary=session.title,
                   description=session_description(session), location=location_of(event, session),
                   url=session_url(session), starts_at=session.starts_at, ends_at=session.ends_at,
                   tz_name=event.timezone, cancelled=event.cancelled_at is not None)


def published_calendar(name: str, source: str, entries: list[tuple[VEvent, str]], *,
                       default_zone: str = "Europe/Stockholm") -> bytes:
    """A subscribable calendar of (VEVENT, zone) pairs, with a VTIMEZONE for every zone used."""
    calendar = Calendar()
    calendar.add("PRODID", ics.PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("NAME", name)
    calendar.add("X-WR-CALNAME", name)
    calendar.add("SOURCE", source)
    calendar.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    zones = list(dict.fromkeys(zone for _, zone in entries if has_fixed_zone(zone)))
    if not entries and has_fixed_zone(default_zone):
        zones = [default_zone]  # a calendar needs one component; an empty feed still says where it is
    for zone in zones:
        calendar.add_component(ics.vtimezone(zone))
    for entry, _ in entries:
        calendar.add_component(entry)
    return calendar.to_ical()


def _newest(*moments: datetime) -> datetime:
    return max(moment.astimezone(timezone.utc) for moment in moments)


# ---------------------------------------------------------------- the feeds

def programme_feed(event: Event) -> CalendarFile:
    """Every session of the event; an event without a programme yet is one entry itself."""
    entries = ([(session_vevent(session), event.timezone) for session in event.sessions]
               or [(event_vevent(event, itip.sequences_of([event]).get(event.id, 0)), event.timezone)])
    body = published_calendar(event.title, external_url("calendars.programme", slug=event.slug), entries)
    return CalendarFile(body, _newest(event.updated_at, *(s.updated_at for s in event.sessions)))


def session_feed(session: Session) -> CalendarFile:
    event = session.event
    body = published_calendar(f"{session.title} – {event.title}",
                              external_url("calendars.session", slug=event.slug, session_id=session.id),
                              [(session_vevent(session), event.timezone)])
    return CalendarFile(body, _newest(event.updated_at, session.updated_at))


def organised_events(organisation: Organisation) -> list[Event]:
    """The published events the organisation hosts or co-organises (partners are not organisers)."""
    return sorted((event for event, role in programme.events_of_organisation(organisation)
                   if role in ORGANISING_ROLES), key=lambda e: (e.starts_at, e.id))


def organisation_feed(organisation: Organisation, *, now: datetime) -> CalendarFile:
    events = organised_events(organisation)
    sequences = itip.sequences_of(events)
    body = published_calendar(organisation.name, external_url("calendars.organisation", slug=organisation.slug),
                              [(event_vevent(event, sequences.get(event.id, 0)), event.timezone) for event in events])
    # with nothing to show, the feed changes when an event is added: its time is as good as any
    return CalendarFile(body, _newest(*(e.updated_at for e in events)) if events else now)


def personal_feed(event: Event, sessions: list[Session], *, name: str, source: str) -> CalendarFile:
    """One person's agenda: the event and the sessions they follow; `source` is the feed's own address."""
    entries = [(event_vevent(event, itip.sequences_of([event]).get(event.id, 0)), event.timezone)]
    entries += [(session_vevent(session), event.timezone) for session in sessions]
    body = published_calendar(name, source, entries)
    return CalendarFile(body, _newest(event.updated_at, *(s.updated_at for s in event.sessions)))


# ---------------------------------------------------------------- "Add to calendar" on the web

@dataclass(frozen=True)
class AddToCalendar:
    """The links offered on an event or session page."""

    file_url: str  # the .ics: one session, or the programme
    subscribe_url: str | None  # webcal:// of the programme, on the event page only
    google_url: str
    outlook_url: str


def _shortened(text: str, limit: int = DETAILS_MAX) -> str:
    """Long enough to tell what it is; the whole text is a click away on the page linked after it."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def _query(values: dict) -> str:
    # %20 for spaces, not "+": Outlook on the web shows a plus sign as it is
    return urlencode(values, quote_via=quote, safe="/")


def google_calendar_url(*, title: str, starts_at: datetime, ends_at: datetime, details: str, location: str) -> str:
    dates = f"{_utc(starts_at):%Y%m%dT%H%M%SZ}/{_utc(ends_at):%Y%m%dT%H%M%SZ}"
    query = _query({"action": "TEMPLATE", "text": title, "dates": dates, "details": details, "location": location})
    return f"https://calendar.google.com/calendar/render?{query}"


def outlook_url(*, title: str, starts_at: datetime, ends_at: datetime, details: str, location: str) -> str:
    query = _query({"rru": "addevent", "subject": title,
                       "startdt": f"{_utc(starts_at):%Y-%m-%dT%H:%M:%SZ}",
                       "enddt": f"{_utc(ends_at):%Y-%m-%dT%H:%M:%SZ}",
                       "body": details, "location": location})
    return f"https://outlook.live.com/calendar/0/action/compose?{query}"


def webcal(url: str) -> str:
    """The same address for calendar apps: webcal:// makes them subscribe instead of import."""
    return "webcal://" + url.split("://", 1)[1]


def add_to_calendar(event: Event, session: Session | None = None) -> AddToCalendar:
    programme_url = external_url("calendars.programme", slug=event.slug)
    if session is None:
        what = dict(title=event.title, starts_at=event.starts_at, ends_at=event.ends_at,
                    details=with_link(_shortened(event.summary.strip()), event_url(event)),
                    location=location_of(event))
        return AddToCalendar(programme_url, webcal(programme_url), google_calendar_url(**what), outlook_url(**what))
    what = dict(title=session.title, starts_at=session.starts_at, ends_at=session.ends_at,
                details=with_link(_shortened(session_text(session)), session_url(session)),
                location=location_of(event, session))
    return AddToCalendar(external_url("calendars.session", slug=event.slug, session_id=session.id), None,
                         google_calendar_url(**what), outlook_url(**what))
