"""Invitations that stay true: iTIP REQUEST, updates with a rising SEQUENCE, and CANCEL (RFC 5546).

One calendar object per event (its UID never changes). Changes that matter to a calendar --
title, times, place, cancellation -- raise the event's SEQUENCE and go out to everyone with a
place or an open invitation; a typo in the abstract does not, unless the organiser asks.
"""

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from conference.calendars import ics, mails
from conference.calendars.models import CalendarDelivery, CalendarState
from conference.core.addresses import normalise_email
from conference.core.rows import get_or_insert
from conference.core.timeutil import utcnow
from conference.events.meetings import follows_rule, meetings_of
from conference.events.models import Event, EventSeries, Session
from conference.extensions import db
from conference.outbox.compose import envelope_sender, external_url

REQUEST = "REQUEST"
CANCEL = "CANCEL"


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    language: str
    partstat: str  # ACCEPTED for registrants, NEEDS-ACTION for an unanswered invitation


def fingerprint(event: Event) -> str:
    """What a calendar shows of the event; any change here is news to every calendar."""
    parts = [event.title, event.starts_at.isoformat(), event.ends_at.isoformat(), event.venue, event.timezone,
             "cancelled" if event.cancelled_at else "confirmed"]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


OWNER_COLUMN = {Event: CalendarState.event_id, Session: CalendarState.session_id,
                EventSeries: CalendarState.series_id}


def state_of(owner: Event | Session | EventSeries) -> CalendarState:
    """The owner's calendar state, made on first use (by one of two requests that race for it)."""
    return get_or_insert(CalendarState, **{OWNER_COLUMN[type(owner)].key: owner.id})


def sequences_of(events: list[Event]) -> dict[int, int]:
    """The SEQUENCE of each event's calendar object, read in one query; 0 where nothing was sent."""
    ids = [event.id for event in events]
    return dict(db.session.execute(select(CalendarState.event_id, CalendarState.sequence)
                                   .where(CalendarState.event_id.in_(ids))).all()) if ids else {}


def note_change(event: Event, *, force: bool = False) -> bool:
    """Raise the sequence if the calendar's view of the event changed (or the organiser asks)."""
    current, state = fingerprint(event), state_of(event)
    if not state.fingerprint:
        state.fingerprint = current  # the first look: nothing was sent from an older state
        return force
    if current == state.fingerprint and not force:
        return False
    state.sequence += 1
    state.fingerprint = current
    return True


# ---------------------------------------------------------------- weekly series (one RRULE)

def series_calendar(series, recipient: Recipient) -> bytes:
    """The whole series as it stands now, for a new invitee."""
    meetings = meetings_of(series)
    for meeting in meetings:
        meeting_state = state_of(meeting)
        if not meeting_state.fingerprint:
            meeting_state.fingerprint = fingerprint(meeting)  # later moves are measured against this
    first = meetings[0]
    return ics.series_request(
        method=REQUEST, uid=ics.series_uid(series.id), sequence=state_of(series).sequence, summary=series.name,
        description=series.description, url=external_url("events.event", slug=first.slug), location=first.venue,
        tz_name=first.timezone, organizer_name=first.contact_name or series.name,
        organizer_email=first.contact_email or envelope_sender(), attendee_name=recipient.name,
        attendee_email=recipient.email, first_start=first.occurrence_start,
        first_end=first.occurrence_start + (first.ends_at - first.starts_at), interval_weeks=series.interval_weeks,
        count=len(meetings), cancelled_occurrences=[m.occurrence_start for m in meetings if m.cancelled_at],
        moved=[(m.occurrence_start, m.starts_at, m.ends_at) for m in meetings
               if not m.cancelled_at and m.starts_at != m.occurrence_start],
        partstat=recipient.partstat, rsvp=recipient.partstat == "NEEDS-ACTION")


def occurrence_calendar(event: Event, recipient: Recipient, method: str) -> bytes:
    series = event.series
    return ics.occurrence(
        method=method, uid=ics.series_uid(series.id), sequence=state_of(series).sequence, summary=series.name,
        description=series.description, url=external_url("events.event", slug=event.slug), location=event.venue,
        tz_name=event.timezone, organizer_name=event.contact_name or series.name,
        organizer_email=event.contact_email or envelope_sender(), attendee_name=recipient.name,
        attendee_email=recipient.email, original_start=event.occurrence_start, starts_at=event.starts_at,
        ends_at=event.ends_at, partstat=recipient.partstat, rsvp=recipient.partstat == "NEEDS-ACTION")


def send_occurrence(event: Event, method: str, people: list[Recipient]) -> int:
    """One meeting of a weekly series moved or was cancelled: that occurrence only, with a higher sequence,
    to the series' invitees given."""
    if not follows_rule(event.series) or event.occurrence_start is None:
        return 0
    state_of(event.series).sequence += 1
    for recipient in people:
        body = occurrence_calendar(event, recipient, method)
        if method == CANCEL:
            mails.event_cancelled(event, recipient, body)
        else:
            mails.update(event, recipient, body)
    return len(people)


def delivery(event: Event, email: str, uid: str | None = None) -> CalendarDelivery | None:
    """The last message about a calendar object (the event's own, unless a session's uid is given)."""
    return db.session.scalar(select(CalendarDelivery).where(
        CalendarDelivery.uid == (uid or ics.event_uid(event.id)),
        CalendarDelivery.email_normalised == normalise_email(email)))


def next_sequence(event: Event, email: str, method: str, *, uid: str | None = None, base: int | None = None) -> int:
    """Never lower than anything sent before; a CANCEL, and a REQUEST after one, move it up."""
    # read, not made: a calendar file downloaded on a GET must not write a row
    base = sequences_of([event]).get(event.id, 0) if base is None else base
    last = delivery(event, email, uid)
    if last is None:
        return base
    bump = 1 if CANCEL in (method, last.method) else 0
    return max(base, last.sequence + bump)


def record(event: Event, email: str, sequence: int, method: str, *, uid: str | None = None) -> None:
    last = delivery(event, email, uid)
    if last is None:
        last = CalendarDelivery(event_id=event.id, uid=uid or ics.event_uid(event.id),
                                email_normalised=normalise_email(email), sequence=sequence, method=method)
        db.session.add(last)
    last.sequence = max(last.sequence, sequence)
    last.method = method
    last.sent_at = utcnow()


def calendar(event: Event, recipient: Recipient, method: str) -> bytes:
    """The calendar object for one recipient, its sequence recorded as sent."""
    state = state_of(event)
    if not state.fingerprint:
        state.fingerprint = fingerprint(event)  # later changes are measured against what was sent
    sequence = next_sequence(event, recipient.email, method)
    body = ics.invitation(
        method=method, uid=ics.event_uid(event.id), sequence=sequence, summary=event.title,
        description=event.summary, url=external_url("events.event", slug=event.slug), location=event.venue,
        starts_at=event.starts_at, ends_at=event.ends_at, tz_name=event.timezone,
        organizer_name=event.contact_name or event.title, organizer_email=event.contact_email or envelope_sender(),
        attendee_name=recipient.name, attendee_email=recipient.email,
        status="CANCELLED" if method == CANCEL else "CONFIRMED", partstat=recipient.partstat,
        rsvp=recipient.partstat == "NEEDS-ACTION")
    record(event, recipient.email, sequence, method)
    return body


def send_updates(event: Event, people: list[Recipient], series_people: list[Recipient]) -> int:
    """An update to everyone given (and, for a meeting of a weekly series, its invitees); how many went out."""
    for recipient in people:
        mails.update(event, recipient, calendar(event, recipient, REQUEST))
    return len(people) + send_occurrence(event, REQUEST, series_people)


def send_session_updates(picked: list[tuple[Session, list[Recipient]]]) -> int:
    """Every picked session goes out again to those who picked it, with a higher sequence."""
    sent = 0
    for session, people in picked:
        state_of(session).sequence += 1
        for recipient in people:
            mails.session_message(session, recipient, session_calendar(session, recipient, REQUEST), REQUEST)
            sent += 1
    return sent


def send_cancellations(event: Event, people: list[Recipient], picked: list[tuple[Session, list[Recipient]]],
                       series_people: list[Recipient]) -> int:
    """A CANCEL for the event to everyone given, for each picked session to those who picked it,
    and for the occurrence to a weekly series' invitees."""
    for recipient in people:
        mails.event_cancelled(event, recipient, calendar(event, recipient, CANCEL))
    cancelled = 0
    for session, pickers in picked:
        for recipient in pickers:
            mails.session_message(session, recipient, session_calendar(session, recipient, CANCEL), CANCEL)
            cancelled += 1
    return len(people) + cancelled + send_occurrence(event, CANCEL, series_people)


# ---------------------------------------------------------------- sessions attendees picked

def session_fingerprint(session: Session) -> str:
    parts = [session.title, session.starts_at.isoformat(), session.ends_at.isoformat(),
             session.stage.name if session.stage else "", session.event.venue,
             "cancelled" if session.event.cancelled_at else "confirmed"]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def note_session_change(session: Session) -> bool:
    current, state = session_fingerprint(session), state_of(session)
    if not state.fingerprint:
        state.fingerprint = current
        return False
    if current == state.fingerprint:
        return False
    state.sequence += 1
    state.fingerprint = current
    return True


def session_calendar(session: Session, recipient: Recipient, method: str) -> bytes:
    """One picked session as its own calendar object, its sequence recorded as sent."""
    event = session.event
    state = state_of(session)
    if not state.fingerprint:
        state.fingerprint = session_fingerprint(session)
    uid = ics.session_uid(session.id)
    sequence = next_sequence(event, recipient.email, method, uid=uid, base=state.sequence)
    location = ", ".join(part for part in (session.stage.name if session.stage else "", event.venue) if part)
    body = ics.invitation(
        method=method, uid=uid, sequence=sequence, summary=f"{session.title} ({event.title})",
        description=session.abstract, url=external_url("events.session", slug=event.slug, session_id=session.id),
        location=location, starts_at=session.starts_at, ends_at=session.ends_at, tz_name=event.timezone,
        organizer_name=event.contact_name or event.title, organizer_email=event.contact_email or envelope_sender(),
        attendee_name=recipient.name, attendee_email=recipient.email,
        status="CANCELLED" if method == CANCEL else "CONFIRMED", partstat=recipient.partstat)
    record(event, recipient.email, sequence, method, uid=uid)
    return body


def send_picked_sessions(recipient: Recipient, sessions: list[Session], method: str) -> int:
    """REQUEST (or CANCEL) each picked session to a registrant, one message per calendar object."""
    sent = 0
    for session in sessions:
        if method == CANCEL and delivery(session.event, recipient.email, ics.session_uid(session.id)) is None:
            continue  # nothing in their calendar to remove
        mails.session_message(session, recipient, session_calendar(session, recipient, method), method)
        sent += 1
    return sent
