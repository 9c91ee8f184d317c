"""The rules of registration: places, the waiting list, personal links, tickets.

Places are counted in the event's `event_places` row, against the capacity on the event row
(read as committed, see `read_capacity_as_committed`), and taken or given back only by atomic
conditional UPDATEs, so the same statements are safe on SQLite and under concurrency on PostgreSQL.
Services never commit; mail goes to the outbox in the caller's transaction.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError

from conference.core import audit
from conference.core.addresses import normalise_email
from conference.core.errors import Refusal
from conference.core.rows import get_or_insert
from conference.calendars import itip
from conference.events.models import Event, Organisation, OrganisationKind, RegistrationPolicy, Session
from conference.events.services import RegistrationState as WindowState
from conference.events.services import registration_state
from conference.extensions import db
from conference.registration import hooks, mails
from conference.registration.links import (agenda_token, by_agenda_token, by_manage_token,  # noqa: F401
                                           by_ticket_code, give_new_secrets, manage_token, ticket_code)
from conference.registration.recipients import attendee, picked_sessions
from conference.registration.models import CheckIn, EventPlaces, Registration, RegistrationState, SessionChoice

class RegistrationError(Refusal):
    """A registration the rules refuse."""

    messages = {
        "closed": _l("Registration for this event has closed."),
        "not_yet_open": _l("Registration for this event has not opened yet."),
        "invitation_only": _l("This event is by invitation only. Use the link in your invitation."),
        "no_longer_valid": _l("This registration is cancelled or has expired, and can no longer be changed."),
        "already_answered": _l("You have already answered this invitation."),
        "already_invited": _l("This address is invited already."),
        "not_waiting": _l("That is no longer possible: the registration has changed meanwhile."),
    }
    fields = {"already_invited": "email"}


@dataclass
class Applicant:
    """What a person gives when registering."""

    name: str
    email: str
    organisation: Organisation | None = None
    organisation_name: str = ""
    organisation_kind: OrganisationKind | None = None
    stakeholder_group: str = ""
    accessibility_needs: str | None = None
    language: str = "sv"
    session_ids: list[int] = field(default_factory=list)  # where the event lets attendees pick sessions


# ---------------------------------------------------------------- personal links and tickets

def find_live(event: Event, email: str) -> Registration | None:
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.email_normalised == normalise_email(email),
        Registration.state.not_in([RegistrationState.CANCELLED, RegistrationState.EXPIRED])))


# ---------------------------------------------------------------- places

def take_seat(event: Event) -> bool:
    """One atomic UPDATE: a place if one is free and nobody is waiting for it."""
    nobody_waiting = ~exists().where(Registration.event_id == event.id,
                                     Registration.state == RegistrationState.WAITLISTED)
    read_capacity_as_committed(event)
    return db.session.execute(
        update(EventPlaces).where(EventPlaces.event_id == places_of(event).event_id, has_room(), nobody_waiting)
        .values(taken=EventPlaces.taken + 1).execution_options(synchronize_session=False)
    ).rowcount == 1


def places_of(event: Event) -> EventPlaces:
    """The event's count of places, made at its first registration (by one of two that race for it)."""
    return get_or_insert(EventPlaces, event_id=event.id)


def seats_taken(event: Event) -> int:
    """Places held now, read from the database rather than a copy an UPDATE may have outdated."""
    return db.session.scalar(select(EventPlaces.taken).where(EventPlaces.event_id == event.id)) or 0


def is_full(event: Event) -> bool:
    return event.capacity is not None and seats_taken(event) >= event.capacity


def read_capacity_as_committed(event: Event) -> None:
    """Wait for an organiser who is changing the event (its capacity) to commit, and keep them waiting
    until this transaction ends.

    The places row and the capacity are two rows: without this, a registration could take a place
    under the old capacity while an organiser lowers it, and the event would end up over full.
    FOR SHARE lets registrations go on together; only a change to the event row waits for them.
    """
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update(read=True))


def has_room():
    """The condition, inside an UPDATE of the places row, that its event has a free place."""
    capacity = select(Event.capacity).where(Event.id == EventPlaces.event_id).scalar_subquery()
    return capacity.is_(None) | (EventPlaces.taken < capacity)


def take_seat_over_capacity(event: Event) -> None:
    """The organiser's hand: a place even when the event is full."""
    db.session.execute(update(EventPlaces).where(EventPlaces.event_id == places_of(event).event_id)
                       .values(taken=EventPlaces.taken + 1).execution_options(synchronize_session=False))


def give_back_seat(event: Event) -> None:
    db.session.execute(update(EventPlaces).where(EventPlaces.event_id == places_of(event).event_id,
                                                 EventPlaces.taken > 0)
                       .values(taken=EventPlaces.taken - 1).execution_options(synchronize_session=False))


def next_waitlist_position(event: Event) -> int:
    return db.session.execute(
        update(EventPlaces).where(EventPlaces.event_id == places_of(event).event_id)
        .values(waitlist_counter=EventPlaces.waitlist_counter + 1)
        .returning(EventPlaces.waitlist_counter).execution_options(synchronize_session=False)
    ).scalar_one()


def place(registration: Registration, event: Event, now: datetime) -> None:
    """Give a new registration a place, or a place in line."""
    if take_seat(event):
        registration.state = (RegistrationState.CONFIRMED if registration.email_confirmed_at
                              else RegistrationState.PENDING)
        registration.seat_since = now
    else:
        registration.state = RegistrationState.WAITLISTED
        registration.waitlist_position = next_waitlist_position(event)


def lock(registration: Registration) -> None:
    """Read the registration again under a row lock: a decision on its state must see the latest."""
    db.session.refresh(registration, with_for_update=True)


def pass_seat_on(event: Event, now: datetime) -> Registration | None:
    """A place came free: the first in line takes it; with nobody waiting, the place is free."""
    # Someone joining the line holds the event's places row (its counter UPDATE) until their
    # transaction commits. Waiting for that lock first means the query below sees them; otherwise
    # their place would be handed back to the event while they stay in line behind a free place.
    # NO KEY UPDATE, as the counter UPDATEs take.
    db.session.execute(select(EventPlaces.event_id).where(EventPlaces.event_id == places_of(event).event_id)
                       .with_for_update(key_share=True))
    first = db.session.scalar(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.state == RegistrationState.WAITLISTED)
        .order_by(Registration.waitlist_position).limit(1).with_for_update())
    if first is None or event.cancelled_at is not None:
        give_back_seat(event)
        return None
    promote(first, now)
    return first


def promote(registration: Registration, now: datetime) -> None:
    registration.state = (RegistrationState.CONFIRMED if registration.email_confirmed_at
                          else RegistrationState.PENDING)
    registration.waitlist_position = None
    registration.seat_since = now
    audit.record("registration.promoted", registration, event_id=registration.event_id)
    if registration.state is RegistrationState.CONFIRMED:
        mails.promoted(registration)


# ---------------------------------------------------------------- the attendee's path

def check_open(event: Event, now: datetime, *, invited: bool = False) -> None:
    if event.cancelled_at is not None:
        raise RegistrationError("closed")
    if invited and event.registration_policy is RegistrationPolicy.INVITATION_ONLY:
        if now >= (event.registration_closes_at or event.starts_at):
            raise RegistrationError("closed")
        return
    state = registration_state(event, now)
    if state is not WindowState.OPEN:
        raise RegistrationError({WindowState.INVITATION_ONLY: "invitation_only",
                                 WindowState.NOT_YET_OPEN: "not_yet_open"}.get(state, "closed"))


def register(event: Event, applicant: Applicant, *, now: datetime, consent_version: str,
             email_confirmed: bool = False, invitation_id: int | None = None,
             added_by_user_id: int | None = None, check_window: bool = True) -> tuple[Registration, bool]:
    """Register, or find the live registration of the same address and send its link again.

    Returns the registration and whether it is new. The same answer whichever it was, so a form
    does not tell strangers who has registered.
    """
    if check_window:
        check_open(event, now, invited=invitation_id is not None)
    existing = find_live(event, applicant.email)
    if existing is not None:
        mails.manage_link(existing)
        return existing, False
    registration = new_registration(event, applicant, now=now, consent_version=consent_version,
                                    email_confirmed=email_confirmed, invitation_id=invitation_id,
                                    added_by_user_id=added_by_user_id)
    try:
        with db.session.begin_nested():
            db.session.add(registration)
            db.session.flush()
    except IntegrityError:
        # the same address registered in a concurrent request a moment ago
        existing = find_live(event, applicant.email)
        if existing is None:
            raise
        mails.manage_link(existing)
        return existing, False
    choose_sessions(registration, applicant.session_ids)
    place(registration, event, now)
    audit.record("registration.created", registration, event_id=event.id, state=registration.state.value,
                 user_id=added_by_user_id)
    if registration.email_confirmed_at is None:
        mails.confirm_address(registration)
    elif registration.state is RegistrationState.CONFIRMED:
        mails.confirmed(registration)
    else:
        mails.waitlisted(registration)
    return registration, True


def new_registration(event: Event, applicant: Applicant, *, now: datetime, consent_version: str,
                     email_confirmed: bool, invitation_id: int | None,
                     added_by_user_id: int | None) -> Registration:
    organisation = applicant.organisation
    registration = Registration(
        event_id=event.id, event=event, name=applicant.name.strip(), email=applicant.email.strip(),
        email_normalised=normalise_email(applicant.email),
        organisation_id=organisation.id if organisation else None,
        organisation_name=organisation.name if organisation else applicant.organisation_name.strip(),
        organisation_kind=organisation.kind if organisation else applicant.organisation_kind,
        stakeholder_group=applicant.stakeholder_group.strip(),
        accessibility_needs=(applicant.accessibility_needs or "").strip() or None,
        consent_version=consent_version, consent_at=now, language=applicant.language, created_at=now,
        email_confirmed_at=now if email_confirmed else None, invitation_id=invitation_id,
        added_by_user_id=added_by_user_id, state=RegistrationState.PENDING)
    give_new_secrets(registration)
    return registration


def confirm_address(registration: Registration, now: datetime) -> None:
    """The person followed the link in the first mail: the address is theirs."""
    lock(registration)
    if registration.state in (RegistrationState.CANCELLED, RegistrationState.EXPIRED) \
            or registration.event.cancelled_at is not None:
        raise RegistrationError("no_longer_valid")
    if registration.email_confirmed_at is not None:
        return  # a second click changes nothing
    registration.email_confirmed_at = now
    audit.record("registration.address_confirmed", registration, event_id=registration.event_id)
    if registration.state is RegistrationState.PENDING:
        registration.state = RegistrationState.CONFIRMED
        mails.confirmed(registration)
    else:
        mails.waitlisted(registration)


def cancel(registration: Registration, now: datetime, *, by: str, user_id: int | None = None) -> bool:
    """Cancel; a place it held goes to the first in line. Returns False if it was cancelled already."""
    lock(registration)
    held_seat = registration.state.holds_seat
    changed = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id,
               Registration.state.not_in([RegistrationState.CANCELLED, RegistrationState.EXPIRED]))
        .values(state=RegistrationState.CANCELLED, cancelled_at=now, cancelled_by=by, waitlist_position=None)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    db.session.refresh(registration)
    if not changed:
        return False
    audit.record("registration.cancelled", registration, event_id=registration.event_id, by=by, user_id=user_id)
    hooks.registration_cancelled.run(registration=registration, now=now)
    mails.cancelled(registration)
    if held_seat:
        pass_seat_on(registration.event, now)
    return True


def expire_unconfirmed(now: datetime) -> int:
    """Unconfirmed registrations past their time give their places back."""
    hours = current_app.config["UNCONFIRMED_EXPIRY_HOURS"]
    stale = db.session.scalars(
        select(Registration).where(Registration.email_confirmed_at.is_(None),
                                   Registration.state.in_([RegistrationState.PENDING,
                                                           RegistrationState.WAITLISTED]),
                                   Registration.created_at < now - timedelta(hours=hours))
        .order_by(Registration.id).with_for_update(skip_locked=True)).all()
    for registration in stale:
        held_seat = registration.state.holds_seat
        registration.state = RegistrationState.EXPIRED
        registration.cancelled_at = now
        registration.cancelled_by = "expiry"
        registration.waitlist_position = None
        audit.record("registration.expired", registration, event_id=registration.event_id)
        if held_seat:
            db.session.flush()
            pass_seat_on(registration.event, now)
    return len(stale)


def update_details(registration: Registration, *, name: str, organisation: Organisation | None,
                   organisation_name: str, organisation_kind: OrganisationKind | None, stakeholder_group: str,
                   accessibility_needs: str | None) -> None:
    if registration.state in (RegistrationState.CANCELLED, RegistrationState.EXPIRED):
        raise RegistrationError("no_longer_valid")
    registration.name = name.strip()
    registration.organisation_id = organisation.id if organisation else None
    registration.organisation_name = organisation.name if organisation else organisation_name.strip()
    registration.organisation_kind = organisation.kind if organisation else organisation_kind
    registration.stakeholder_group = stakeholder_group.strip()
    registration.accessibility_needs = (accessibility_needs or "").strip() or None
    audit.record("registration.updated", registration, event_id=registration.event_id)


def position_in_line(registration: Registration) -> int | None:
    if registration.state is not RegistrationState.WAITLISTED:
        return None
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == registration.event_id, Registration.state == RegistrationState.WAITLISTED,
        Registration.waitlist_position <= registration.waitlist_position))


def waitlist_ranks(event: Event) -> dict[int, int]:
    """Each waiting registration's place in line: 1 is the next to get a place."""
    waiting = db.session.scalars(select(Registration.id).where(
        Registration.event_id == event.id, Registration.state == RegistrationState.WAITLISTED)
        .order_by(Registration.waitlist_position))
    return {registration_id: rank for rank, registration_id in enumerate(waiting, start=1)}


def choose_sessions(registration: Registration, session_ids: list[int]) -> None:
    """Record the sessions picked, of this event only."""
    if not registration.event.attendees_pick_sessions:
        return
    valid = set(db.session.scalars(select(Session.id).where(Session.event_id == registration.event_id,
                                                            Session.id.in_(session_ids or [-1]))))
    for session_id in sorted(valid):
        db.session.add(SessionChoice(registration_id=registration.id, session_id=session_id))
    db.session.flush()


def change_picks(registration: Registration, session_ids: list[int]) -> None:
    """The registrant changes their programme: new sessions go into their calendar, dropped ones out."""
    if registration.event.cancelled_at is not None:
        raise RegistrationError("no_longer_valid")
    before = {s.id: s for s in picked_sessions(registration)}
    db.session.execute(SessionChoice.__table__.delete().where(SessionChoice.registration_id == registration.id))
    choose_sessions(registration, session_ids)
    after = {s.id: s for s in picked_sessions(registration)}
    if registration.state is RegistrationState.CONFIRMED:
        itip.send_picked_sessions(attendee(registration), [after[i] for i in after.keys() - before.keys()],
                                  itip.REQUEST)
        itip.send_picked_sessions(attendee(registration), [before[i] for i in before.keys() - after.keys()],
                                  itip.CANCEL)
    audit.record("registration.sessions_picked", registration, event_id=registration.event_id,
                 sessions=sorted(after))


def resend_link(registration: Registration) -> None:
    """The organiser's resend: always goes out (the pause is for the public form)."""
    mails.manage_link(registration, by_organiser=True)


# ---------------------------------------------------------------- the organiser's hand

def move_off_waitlist(registration: Registration, now: datetime, *, user_id: int) -> None:
    """The organiser gives a waiting person a place, over the capacity if need be."""
    lock(registration)
    if registration.state is not RegistrationState.WAITLISTED:
        raise RegistrationError("not_waiting")
    take_seat_over_capacity(registration.event)
    audit.record("registration.moved_off_waitlist", registration, event_id=registration.event_id, user_id=user_id)
    promote(registration, now)


def fill_free_seats(event: Event, now: datetime) -> int:
    """After the capacity grew: the first in line take the new places."""
    promoted = 0
    read_capacity_as_committed(event)
    while True:
        took = db.session.execute(update(EventPlaces).where(EventPlaces.event_id == places_of(event).event_id,
                                                            has_room())
                                  .values(taken=EventPlaces.taken + 1)
                                  .execution_options(synchronize_session=False)).rowcount == 1
        if not took:
            return promoted
        if pass_seat_on(event, now) is None:
            return promoted
        promoted += 1


def counts(event: Event) -> dict[str, int]:
    by_state = dict(db.session.execute(
        select(Registration.state, func.count()).where(Registration.event_id == event.id)
        .group_by(Registration.state)).all())
    checked_in = db.session.scalar(
        select(func.count(CheckIn.id)).join(Registration).where(Registration.event_id == event.id,
                                                               CheckIn.undone_at.is_(None)))
    return {
        "confirmed": by_state.get(RegistrationState.CONFIRMED, 0),
        "pending": by_state.get(RegistrationState.PENDING, 0),
        "waitlisted": by_state.get(RegistrationState.WAITLISTED, 0),
        "cancelled": by_state.get(RegistrationState.CANCELLED, 0) + by_state.get(RegistrationState.EXPIRED, 0),
        "checked_in": checked_in or 0,
    }
