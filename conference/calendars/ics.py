"""Calendar objects with icalendar: stable UIDs, UTC DTSTAMP, a VTIMEZONE for every TZID."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event as VEvent, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText

from conference.core.timeutil import utcnow

PRODID = "-//conference//Konferens och samråd//SV"
UID_DOMAIN = "conference.example.org"

# Fixed RRULE-based blocks, checked against zoneinfo: generated ones put the spring change an
# hour late, and Outlook ignores RDATE lists.
ZONE_RULES = {
    "Europe/Stockholm": (("19700329T020000", "+0100", "+0200", "CEST"), ("19701025T030000", "+0200", "+0100", "CET")),
    "Europe/Helsinki": (("19700329T030000", "+0200", "+0300", "EEST"), ("19701025T040000", "+0300", "+0200", "EET")),
}


def vtimezone(tz_name: str) -> Timezone:
    (day_start, day_from, day_to, day_name), (std_start, std_from, std_to, std_name) = ZONE_RULES[tz_name]
    zone = Timezone()
    zone.add("TZID", tz_name)
    daylight = TimezoneDaylight()
    daylight.add("DTSTART", datetime.strptime(day_start, "%Y%m%dT%H%M%S"))
    daylight.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"})
    daylight.add("TZOFFSETFROM", _offset(day_from))
    daylight.add("TZOFFSETTO", _offset(day_to))
    daylight.add("TZNAME", day_name)
    standard = TimezoneStandard()
    standard.add("DTSTART", datetime.strptime(std_start, "%Y%m%dT%H%M%S"))
    standard.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"})
    standard.add("TZOFFSETFROM", _offset(std_from))
    standard.add("TZOFFSETTO", _offset(std_to))
    standard.add("TZNAME", std_name)
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone


def _offset(text: str):
    sign = -1 if text[0] == "-" else 1
    return sign * timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


def event_uid(event_id: int) -> str:
    return f"event-{event_id}@{UID_DOMAIN}"


def invitation(*, method: str, uid: str, sequence: int, summary: str, description: str, url: str, location: str,
               starts_at: datetime, ends_at: datetime, tz_name: str, organizer_name: str, organizer_email: str,
               attendee_name: str, attendee_email: str, status: str = "CONFIRMED",
               partstat: str = "ACCEPTED", rsvp: bool = False) -> bytes:
    """One VEVENT for one attendee, as an iTIP REQUEST or CANCEL; a PUBLISH leaves the attendee out."""
    zone = ZoneInfo(tz_name)
    calendar = _calendar(method, tz_name)
    calendar.add_component(_event(uid, sequence, summary, description, url, location, starts_at.astimezone(zone),
                                  ends_at.astimezone(zone), organizer_name, organizer_email, attendee_name,
                                  attendee_email, status, partstat, rsvp))
    return calendar.to_ical()


def session_uid(session_id: int) -> str:
    return f"session-{session_id}@{UID_DOMAIN}"


def series_uid(series_id: int) -> str:
    return f"series-{series_id}@{UID_DOMAIN}"


def series_request(*, method: str, uid: str, sequence: int, summary: str, description: str, url: str,
                   location: str, tz_name: str, organizer_name: str, organizer_email: str, attendee_name: str,
                   attendee_email: str, first_start: datetime, first_end: datetime, interval_weeks: int, count: int,
                   cancelled_occurrences: list[datetime], moved: list[tuple[datetime, datetime, datetime]],
                   partstat: str = "NEEDS-ACTION", rsvp: bool = True) -> bytes:
    """A whole weekly series as one VEVENT with an RRULE; cancelled meetings as EXDATE and
    moved ones as overriding VEVENTs (same UID, RECURRENCE-ID), so a new invitee sees the truth."""
    zone = ZoneInfo(tz_name)
    calendar = _calendar(method, tz_name)
    master = _event(uid, sequence, summary, description, url, location, first_start.astimezone(zone),
                    first_end.astimezone(zone), organizer_name, organizer_email, attendee_name, attendee_email,
                    "CONFIRMED", partstat, rsvp)
    master.add("RRULE", {"FREQ": "WEEKLY", "INTERVAL": interval_weeks, "COUNT": count})
    for occurrence in cancelled_occurrences:
        master.add("EXDATE", occurrence.astimezone(zone))
    calendar.add_component(master)
    for original, starts_at, ends_at in moved:
        override = _event(uid, sequence, summary, description, url, location, starts_at.astimezone(zone),
                          ends_at.astimezone(zone), organizer_name, organizer_email, attendee_name, attendee_email,
                          "CONFIRMED", partstat, rsvp)
        override.add("RECURRENCE-ID", original.astimezone(zone))
        calendar.add_component(override)
    return calendar.to_ical()


def occurrence(*, method: str, uid: str, sequence: int, summary: str, description: str, url: str, location: str,
               tz_name: str, organizer_name: str, organizer_email: str, attendee_name: str, attendee_email: str,
               original_start: datetime, starts_at: datetime, ends_at: datetime, partstat: str = "NEEDS-ACTION",
               rsvp: bool = True) -> bytes:
    """One meeting of a series changed or cancelled: only that occurrence, by its RECURRENCE-ID."""
    zone = ZoneInfo(tz_name)
    calendar = _calendar(method, tz_name)
    component = _event(uid, sequence, summary, description, url, location, starts_at.astimezone(zone),
                       ends_at.astimezone(zone), organizer_name, organizer_email, attendee_name, attendee_email,
                       "CANCELLED" if method == "CANCEL" else "CONFIRMED", partstat, rsvp)
    component.add("RECURRENCE-ID", original_start.astimezone(zone))
    calendar.add_component(component)
    return calendar.to_ical()


def _calendar(method: str, tz_name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", method)
    calendar.add_component(vtimezone(tz_name))
    return calendar


def _event(uid, sequence, summary, description, url, location, starts_at, ends_at, organizer_name, organizer_email,
           attendee_name, attendee_email, status, partstat, rsvp) -> VEvent:
    event = VEvent()
    event.add("UID", uid)
    event.add("DTSTAMP", utcnow())
    event.add("SEQUENCE", sequence)
    event.add("DTSTART", starts_at)
    event.add("DTEND", ends_at)
    event.add("SUMMARY", summary)
    if description:
        event.add("DESCRIPTION", description)
    event.add("URL", url)
    event.add("LOCATION", location or url)
    event.add("STATUS", status)
    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["CN"] = vText(organizer_name or organizer_email)
    event.add("ORGANIZER", organizer)
    if attendee_email:  # an iTIP PUBLISH names no attendees (RFC 5546, 3.2.1): a file to import, not a meeting
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params["CN"] = vText(attendee_name)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText(partstat)
        attendee.params["RSVP"] = vText("TRUE" if rsvp else "FALSE")
        event.add("ATTENDEE", attendee)
    return event
