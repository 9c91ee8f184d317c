"""The programme in the frab/c3voc schedule format, for conference apps (Giggity, ConfClerk, …).

One document is built as data in the shape of schedule.json, and schedule.xml is written from
the same data, so the two never disagree. Both follow the c3voc schema (kept with the tests in
tests/calendars/schemas/).
Everything a client keys on is stable: GUIDs are UUID5 of our ids, `version` changes when
anything in the programme does.
"""

import hashlib
import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from conference.events import services as programme
from conference.events.models import Event, Person, Session, Stage
from conference.outbox.compose import external_url

# Fixed for ever: every GUID we hand out is derived from it; changing it changes them all.
NAMESPACE = uuid.UUID("55a4ff3e-943e-4b8e-b194-734ad5193d57")
GENERATOR = "conference"
TIMESLOT = "00:05"
SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# schema.json: an acronym is letters, digits and underscores, at least four (a hyphen only
# before a year suffix); slugs are ours, so hyphens become underscores.
ACRONYM_MIN = 4
# characters XML 1.0 cannot carry at all, even escaped
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Export:
    body: bytes
    last_modified: datetime


# ---------------------------------------------------------------- identities

def session_guid(event: Event, session: Session) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{event.slug}/session/{session.id}"))


def person_guid(person: Person) -> str:
    # from our id, not the address (schema's suggestion): a hash of an e-mail address is not public data
    return str(uuid.uuid5(NAMESPACE, f"person/{person.id}"))


def room_guid(event: Event, stage: Stage | None) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{event.slug}/stage/{stage.id}" if stage else f"{event.slug}/stage/none"))


def acronym(event: Event) -> str:
    text = event.slug.replace("-", "_")
    return text + "_" * (ACRONYM_MIN - len(text))


def session_slug(event: Event, session: Session) -> str:
    """`<acronym>-<id>-<title>`, unique through the id, as the c3voc tools expect."""
    return f"{acronym(event)}-{session.id}-{programme.slugify(session.title, max_length=50)}"


def room_name(event: Event, stage: Stage | None) -> str:
    """Sessions without a stage run in a room named after the event."""
    return stage.name if stage is not None else event.title


# ---------------------------------------------------------------- times

def hours_minutes(length: timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def local_iso(moment: datetime, tz_name: str) -> str:
    return moment.astimezone(ZoneInfo(tz_name)).isoformat()


def event_dates(event: Event) -> list[date]:
    """Every local date the event runs on (an end at midnight does not start another day)."""
    zone = ZoneInfo(event.timezone)
    first = event.starts_at.astimezone(zone).date()
    last = (event.ends_at - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass
class Day:
    index: int
    date: date
    starts_at: datetime
    ends_at: datetime
    rooms: "OrderedDict[str, list[Session]]"


def days_of(event: Event) -> list[Day]:
    """The days with sessions, each from its first session to its last, rooms in the stage order.

    An event without a programme yet has its own days, so apps still show when it is.
    """
    zone = ZoneInfo(event.timezone)
    by_date: dict[date, list[Session]] = {}
    for session in sorted(event.sessions, key=lambda s: (s.starts_at, s.id)):
        by_date.setdefault(session.starts_at.astimezone(zone).date(), []).append(session)
    stage_order = {stage.id: index for index, stage in enumerate(event.stages)}
    days = []
    for index, day in enumerate(sorted(by_date) or event_dates(event), start=1):
        sessions = by_date.get(day, [])
        if sessions:
            starts_at, ends_at = min(s.starts_at for s in sessions), max(s.ends_at for s in sessions)
        else:
            starts_at = max(event.starts_at, datetime.combine(day, time(0), zone))
            ends_at = min(event.ends_at, datetime.combine(day + timedelta(days=1), time(0), zone))
        rooms: OrderedDict[str, list[Session]] = OrderedDict()
        for session in sorted(sessions, key=lambda s: (stage_order.get(s.stage_id, 1e9) if s.stage else 1e9,
                                                       s.starts_at, s.id)):
            rooms.setdefault(room_name(event, session.stage), []).append(session)
        days.append(Day(index, day, starts_at, ends_at, rooms))
    return days


# ---------------------------------------------------------------- the document, as data

def _session_data(event: Event, session: Session) -> dict:
    tz = event.timezone
    return {
        "guid": session_guid(event, session),
        "id": session.id,
        "date": local_iso(session.starts_at, tz),
        "start": session.starts_at.astimezone(ZoneInfo(tz)).strftime("%H:%M"),
        "end": local_iso(session.ends_at, tz),
        "duration": hours_minutes(session.ends_at - session.starts_at),
        "room": room_name(event, session.stage),
        "slug": session_slug(event, session),
        "url": external_url("events.session", slug=event.slug, session_id=session.id),
        "title": session.title,
        "subtitle": "",
        "track": None,
        "type": session.kind.value,
        "language": session.language,
        "abstract": session.abstract,
        "persons": [{"name": s.person.name, "id": s.person.id, "guid": person_guid(s.person)}
                    for s in programme.speakers_of(session)],
        "links": [],
    }


def _rooms(event: Event) -> list[dict]:
    rooms: OrderedDict[str, dict] = OrderedDict()
    stage_order = {stage.id: index for index, stage in enumerate(event.stages)}
    used = sorted({s.stage for s in event.sessions}, key=lambda st: stage_order.get(st.id, 1e9) if st else 1e9)
    for stage in used:
        rooms.setdefault(room_name(event, stage), {"name": room_name(event, stage), "guid": room_guid(event, stage)})
    return list(rooms.values())


def last_change(event: Event) -> datetime:
    moments = [event.updated_at, *(s.updated_at for s in event.sessions)]
    return max(moment.astimezone(timezone.utc) for moment in moments)


def schedule(event: Event) -> dict:
    """The whole schedule.json document."""
    tz = event.timezone
    days = days_of(event)
    conference = {
        "acronym": acronym(event),
        "title": event.title,
        "description": event.summary,
        "start": local_iso(event.starts_at, tz),
        "end": local_iso(event.ends_at, tz),
        "daysCount": len(days),
        "timeslot_duration": TIMESLOT,
        "time_zone_name": tz,
        "url": external_url("events.event", slug=event.slug),
        "tracks": [],
        "rooms": _rooms(event),
        "days": [{
            "index": day.index,
            "date": day.date.isoformat(),
            "day_start": local_iso(day.starts_at, tz),
            "day_end": local_iso(day.ends_at, tz),
            "rooms": {name: [_session_data(event, s) for s in sessions] for name, sessions in day.rooms.items()},
        } for day in days],
    }
    content = {"base_url": external_url("events.index"), "conference": conference}
    # the time of the last change to read, and a digest for what leaves no time (a speaker's new title)
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:8]
    version = f"{last_change(event):%Y-%m-%d %H:%M:%S} {digest}"
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": GENERATOR},
        "schedule": {"version": version, **content},
    }


def schedule_json(event: Event) -> Export:
    body = json.dumps(schedule(event), ensure_ascii=False, indent=1).encode()
    return Export(body, last_change(event))


# ---------------------------------------------------------------- schedule.xml from the same data

def _clean(text) -> str:
    return NOT_IN_XML.sub("", "" if text is None else str(text))


def _child(parent: ET.Element, tag: str, text=None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: _clean(value) for key, value in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def schedule_xml(event: Event) -> Export:
    data = schedule(event)["schedule"]
    conference = data["conference"]
    root = ET.Element("schedule")
    _child(root, "generator", name=GENERATOR)
    _child(root, "url", external_url("calendars.schedule_xml", slug=event.slug))
    _child(root, "version", data["version"])
    head = _child(root, "conference")
    for tag in ("acronym", "title", "start", "end"):
        _child(head, tag, conference[tag])
    _child(head, "days", conference["daysCount"])
    _child(head, "timeslot_duration", conference["timeslot_duration"])
    _child(head, "base_url", data["base_url"])
    _child(head, "url", conference["url"])
    _child(head, "time_zone_name", conference["time_zone_name"])
    room_guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = _child(root, "day", index=day["index"], date=day["date"], start=day["day_start"],
                             end=day["day_end"])
        for name, sessions in day["rooms"].items():
            room = _child(day_element, "room", name=name, guid=room_guids[name])
            for item in sessions:
                entry = _child(room, "event", id=item["id"], guid=item["guid"])
                for tag in ("date", "start", "duration", "room", "slug", "url", "title", "subtitle", "track",
                            "type", "language", "abstract"):
                    _child(entry, tag, item[tag] or "")
                persons = _child(entry, "persons")
                for person in item["persons"]:
                    _child(persons, "person", person["name"], id=person["id"], guid=person["guid"])
                _child(entry, "links")
    ET.indent(root)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Export(body, last_change(event))
