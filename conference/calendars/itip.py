"""Invitations that stay true: iTIP REQUEST, updates with a rising SEQUENCE, and CANCEL (RFC 5546).

One calendar object per event (its UID never changes). Changes that matter to a calendar --
title, times, place, cancellation -- raise the event's SEQUENCE and go out to everyone with a
place or an open invitation; a typo in the abstract does not, unless the organiser asks.
"""

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from conference.calendars import ics
from conference.calendars.models import CalendarDelivery
from conference.core.timeutil import utcnow
from conference.events.meetings import follows_rule, meetings_of
from conference.events.models import Event
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


def note_change(event: Event, *, force: bool = False) -> bool:
    """Raise the sequence if the calendar's view of the event changed (or the organiser asks)."""
    current = fingerprint(event)
    if not event.calendar_fingerprint:
        event.calendar_fingerprint = current  # the first look: nothing was sent from an older state
        return force
    if current == event.calendar_fingerprint and not force:
        return False
    event.calendar_sequence += 1
    event.calendar_fingerprint = current
    return True


def recipients(event: Event) -> list[Recipient]:
    """Everyone with a place, and everyone invited who has not declined or registered yet.

    Invitees of a weekly series are left out: their calendars hold the series, and hear of
    this meeting through `series_recipients`.
    """
    from conference.registration.models import Invitation, InvitationState, Registration, RegistrationState

    by_series = series_addresses(event)
    people = [] if event.attendees_pick_sessions else [  # those hold the sessions they picked instead
        Recipient(r.name, r.email, r.language, "ACCEPTED") for r in db.session.scalars(
            select(Registration).where(Registration.event_id == event.id,
                                       Registration.state == RegistrationState.CONFIRMED))]
    people += [Recipient(i.name, i.email, i.language, "NEEDS-ACTION") for i in db.session.scalars(
        select(Invitation).where(Invitation.event_id == event.id, Invitation.state == InvitationState.INVITED))]
    return [p for p in people if p.email.strip().lower() not in by_series]


# ---------------------------------------------------------------- weekly series (one RRULE)

def series_addresses(event: Event) -> set[str]:
    if not follows_rule(event.series) or event.occurrence_start is None:
        return set()
    from conference.registration.models import SeriesInvitee

    return set(db.session.scalars(select(SeriesInvitee.email_normalised).where(
        SeriesInvitee.series_id == event.series_id)))


def series_recipients(event: Event) -> list[Recipient]:
    """The series' invitees who have not declined this meeting."""
    from conference.registration.models import Invitation, InvitationState, SeriesInvitee

    rows = db.session.execute(
        select(SeriesInvitee, Invitation.state).join(Invitation, Invitation.series_invitee_id == SeriesInvitee.id)
        .where(Invitation.event_id == event.id, Invitation.state != InvitationState.DECLINED)).all()
    return [Recipient(invitee.name, invitee.email, invitee.language,
                      "ACCEPTED" if state is InvitationState.ACCEPTED else "NEEDS-ACTION") for invitee, state in rows]


def series_calendar(series, recipient: Recipient) -> bytes:
    """The whole series as it stands now, for a new invitee."""
    meetings = meetings_of(series)
    for meeting in meetings:
        if not meeting.calendar_fingerprint:
            meeting.calendar_fingerprint = fingerprint(meeting)  # later moves are measured against this
    first = meetings[0]
    return ics.series_request(
        method=REQUEST, uid=ics.series_uid(series.id), sequence=series.calendar_sequence, summary=series.name,
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
        method=method, uid=ics.series_uid(series.id), sequence=series.calendar_sequence, summary=series.name,
        description=series.description, url=external_url("events.event", slug=event.slug), location=event.venue,
        tz_name=event.timezone, organizer_name=event.contact_name or series.name,
        organizer_email=event.contact_email or envelope_sender(), attendee_name=recipient.name,
        attendee_email=recipient.email, original_start=event.occurrence_start, starts_at=event.starts_at,
        ends_at=event.ends_at, partstat=recipient.partstat, rsvp=recipient.partstat == "NEEDS-ACTION")


def send_occurrence(event: Event, method: str) -> int:
    """One meeting of a weekly series moved or was cancelled: that occurrence only, with a higher sequence."""
    from conference.calendars import mails

    if not follows_rule(event.series) or event.occurrence_start is None:
        return 0
    event.series.calendar_sequence += 1
    people = series_recipients(event)
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
        CalendarDelivery.email_normalised == email.strip().lower()))


def next_sequence(event: Event, email: str, method: str, *, uid: str | None = None, base: int | None = None) -> int:
    """Never lower than anything sent before; a CANCEL, and a REQUEST after one, move it up."""
    base = event.calendar_sequence if base is None else base
    last = delivery(event, email, uid)
    if last is None:
        return base
    bump = 1 if CANCEL in (method, last.method) else 0
    return max(base, last.sequence + bump)


def record(event: Event, email: str, sequence: int, method: str, *, uid: str | None = None) -> None:
    last = delivery(event, email, uid)
    if last is None:
        last = CalendarDelivery(event_id=event.id, uid=uid or ics.event_uid(event.id),
                                email_normalised=email.strip().lower(), sequence=sequence, method=method)
        db.session.add(last)
    last.sequence = max(last.sequence, sequence)
    last.method = method
    last.sent_at = utcnow()


def calendar(event: Event, recipient: Recipient, method: str) -> bytes:
    """The calendar object for one recipient, its sequence recorded as sent."""
    if not event.calendar_fingerprint:
        event.calendar_fingerprint = fingerprint(event)  # later changes are measured against what was sent
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


def send_updates(event: Event) -> int:
    """An update to everyone concerned; returns how many went out."""
    from conference.calendars import mails

    people = recipients(event)
    for recipient in people:
        mails.update(event, recipient, calendar(event, recipient, REQUEST))
    return len(people) + send_occurrence(event, REQUEST)


def send_session_updates(event: Event) -> int:
    """The organiser asks: every picked session goes out again, with a higher sequence."""
    from conference.calendars import mails

    if not event.attendees_pick_sessions:
        return 0
    sent = 0
    for session in event.sessions:
        session.calendar_sequence += 1
        for recipient in pickers(session):
            mails.session_message(session, recipient, session_calendar(session, recipient, REQUEST), REQUEST)
            sent += 1
    return sent


def send_cancellations(event: Event) -> int:
    from conference.calendars import mails

    people = recipients(event)
    for recipient in people:
        mails.event_cancelled(event, recipient, calendar(event, recipient, CANCEL))
    picked = 0
    if event.attendees_pick_sessions:
        for session in event.sessions:
            for recipient in pickers(session):
                mails.session_message(session, recipient, session_calendar(session, recipient, CANCEL), CANCEL)
                picked += 1
    return len(people) + picked + send_occurrence(event, CANCEL)


def follow_saved_event(_app, event: Event, **_extra) -> None:
    """After an organiser saved an event: calendars learn of changes that matter to them."""
    from flask import flash
    from flask_babel import ngettext

    if event.cancelled_at is not None or not note_change(event):
        return  # a cancelled event's calendars hold its CANCEL; an edit must not bring it back
    sent = send_updates(event)
    db.session.commit()
    if sent:
        flash(ngettext("A calendar update went out to %(num)d person.",
                       "Calendar updates went out to %(num)d people.", sent), "info")


def cancel_event(event: Event, *, now) -> int:
    """The event will not take place: registration stops, and every calendar is told."""
    event.cancelled_at = now
    note_change(event)
    return send_cancellations(event)


# ---------------------------------------------------------------- sessions attendees picked

def session_fingerprint(session) -> str:
    parts = [session.title, session.starts_at.isoformat(), session.ends_at.isoformat(),
             session.stage.name if session.stage else "", session.event.venue,
             "cancelled" if session.event.cancelled_at else "confirmed"]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def note_session_change(session) -> bool:
    current = session_fingerprint(session)
    if not session.calendar_fingerprint:
        session.calendar_fingerprint = current
        return False
    if current == session.calendar_fingerprint:
        return False
    session.calendar_sequence += 1
    session.calendar_fingerprint = current
    return True


def session_calendar(session, recipient: Recipient, method: str) -> bytes:
    """One picked session as its own calendar object, its sequence recorded as sent."""
    event = session.event
    if not session.calendar_fingerprint:
        session.calendar_fingerprint = session_fingerprint(session)
    uid = ics.session_uid(session.id)
    sequence = next_sequence(event, recipient.email, method, uid=uid, base=session.calendar_sequence)
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


def pickers(session) -> list[Recipient]:
    from conference.registration.models import Registration, RegistrationState, SessionChoice

    return [Recipient(r.name, r.email, r.language, "ACCEPTED") for r in db.session.scalars(
        select(Registration).join(SessionChoice, SessionChoice.registration_id == Registration.id)
        .where(SessionChoice.session_id == session.id, Registration.state == RegistrationState.CONFIRMED))]


def send_picked_sessions(registration, sessions, method: str) -> int:
    """REQUEST (or CANCEL) each picked session to a registrant, one message per calendar object."""
    from conference.calendars import mails

    recipient = Recipient(registration.name, registration.email, registration.language, "ACCEPTED")
    sent = 0
    for session in sessions:
        if method == CANCEL and delivery(session.event, registration.email, ics.session_uid(session.id)) is None:
            continue  # nothing in their calendar to remove
        mails.session_message(session, recipient, session_calendar(session, recipient, method), method)
        sent += 1
    return sent


def follow_saved_session(_app, session, **_extra) -> None:
    """After an organiser saved a session: those who picked it hear of changes that matter."""
    from flask import flash
    from flask_babel import ngettext

    from conference.calendars import mails

    if not session.event.attendees_pick_sessions or not note_session_change(session):
        db.session.commit()
        return
    people = pickers(session)
    for recipient in people:
        mails.session_message(session, recipient, session_calendar(session, recipient, REQUEST), REQUEST)
    db.session.commit()
    if people:
        flash(ngettext("A calendar update went out to %(num)d person.",
                       "Calendar updates went out to %(num)d people.", len(people)), "info")
