"""Who holds an event in their calendar: registration decides, calendars build what they are sent."""

from sqlalchemy import select

from conference.calendars.itip import Recipient
from conference.core.addresses import normalise_email
from conference.events.meetings import follows_rule
from conference.events.models import Event, Session
from conference.extensions import db
from conference.registration.models import (Invitation, InvitationState, Registration, RegistrationState,
                                            SeriesInvitee, SessionChoice)


def attendee(registration: Registration) -> Recipient:
    return Recipient(registration.name, registration.email, registration.language, "ACCEPTED")


def event_recipients(event: Event) -> list[Recipient]:
    """Everyone with a place, and everyone invited who has not declined or registered yet (once their
    invitation has gone out: one still to be written by the worker carries the event as it is then).

    Invitees of a weekly series are left out: their calendars hold the series, and hear of
    this meeting through `series_recipients`. Where attendees pick sessions, registrants hold
    the sessions they picked instead of the event.
    """
    by_series = series_addresses(event)
    people = [] if event.attendees_pick_sessions else [
        attendee(r) for r in db.session.scalars(
            select(Registration).where(Registration.event_id == event.id,
                                       Registration.state == RegistrationState.CONFIRMED))]
    people += [Recipient(i.name, i.email, i.language, "NEEDS-ACTION") for i in db.session.scalars(
        select(Invitation).where(Invitation.event_id == event.id, Invitation.state == InvitationState.INVITED,
                                 Invitation.mailed_at.is_not(None)))]
    return [p for p in people if normalise_email(p.email) not in by_series]


def series_addresses(event: Event) -> set[str]:
    """The addresses that hold this meeting as an occurrence of their weekly series."""
    if not follows_rule(event.series) or event.occurrence_start is None:
        return set()
    return set(db.session.scalars(select(SeriesInvitee.email_normalised).where(
        SeriesInvitee.series_id == event.series_id)))


def series_recipients(event: Event) -> list[Recipient]:
    """The series' invitees who have not declined this meeting, once their invitation has gone out."""
    if not follows_rule(event.series) or event.occurrence_start is None:
        return []
    rows = db.session.execute(
        select(SeriesInvitee, Invitation.state).join(Invitation, Invitation.series_invitee_id == SeriesInvitee.id)
        .where(Invitation.event_id == event.id, Invitation.state != InvitationState.DECLINED,
               SeriesInvitee.mailed_at.is_not(None))).all()
    return [Recipient(invitee.name, invitee.email, invitee.language,
                      "ACCEPTED" if state is InvitationState.ACCEPTED else "NEEDS-ACTION") for invitee, state in rows]


def session_pickers(session: Session) -> list[Recipient]:
    """Confirmed registrants who picked the session."""
    return [attendee(r) for r in db.session.scalars(
        select(Registration).join(SessionChoice, SessionChoice.registration_id == Registration.id)
        .where(SessionChoice.session_id == session.id, Registration.state == RegistrationState.CONFIRMED))]


def picked_sessions_with_pickers(event: Event) -> list[tuple[Session, list[Recipient]]]:
    """Each session with those who picked it; nothing where attendees do not pick sessions."""
    if not event.attendees_pick_sessions:
        return []
    return [(session, session_pickers(session)) for session in event.sessions]


def picked_sessions(registration: Registration) -> list[Session]:
    """The sessions a registrant picked, in the order they run."""
    return list(db.session.scalars(
        select(Session).join(SessionChoice, SessionChoice.session_id == Session.id)
        .where(SessionChoice.registration_id == registration.id).order_by(Session.starts_at)))
