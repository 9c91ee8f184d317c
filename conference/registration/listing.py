"""What the organiser's pages of registration list: registrations by state and search, a page at a
time; invitations and their answers; the invitees of a series."""

from sqlalchemy import Select, func, or_, select

from conference.events.models import Event, EventSeries
from conference.extensions import db
from conference.registration.models import (Invitation, InvitationState, Registration, RegistrationState,
                                            SeriesInvitee)


def filtered_registrations(event: Event, state: str, search: str) -> Select:
    """The event's registrations in one state (any, if the state is unknown) whose name, address or
    organisation contains the search; those waiting in their order in line, the others as they came."""
    query = select(Registration).where(Registration.event_id == event.id)
    if state in {s.value for s in RegistrationState}:
        query = query.where(Registration.state == RegistrationState(state))
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(func.lower(Registration.name).like(pattern),
                                Registration.email_normalised.like(pattern),
                                func.lower(Registration.organisation_name).like(pattern)))
    order = (Registration.waitlist_position if state == RegistrationState.WAITLISTED.value
             else Registration.created_at)
    return query.order_by(order, Registration.id)


def page_of(query: Select, page: int, size: int) -> tuple[list, int]:
    """The rows of one page (the first is 1) and how many rows there are in all."""
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    return db.session.scalars(query.offset((page - 1) * size).limit(size)).all(), total


def invitations_of(event: Event) -> list[Invitation]:
    """The event's invitations, the latest first."""
    return db.session.scalars(select(Invitation).where(Invitation.event_id == event.id)
                              .order_by(Invitation.created_at.desc(), Invitation.id.desc())).all()


def answers(invitations: list[Invitation]) -> dict[InvitationState, int]:
    return {state: sum(1 for i in invitations if i.state is state) for state in InvitationState}


def series_invitees(series: EventSeries) -> list[SeriesInvitee]:
    """Who is invited to every meeting of the series, the latest first."""
    return db.session.scalars(select(SeriesInvitee).where(SeriesInvitee.series_id == series.id)
                              .order_by(SeriesInvitee.created_at.desc())).all()
