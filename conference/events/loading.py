"""The event named in a URL, for the views of every feature: not found is 404, not yours is 403."""

from typing import TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from conference.core import loading
from conference.core.access import can_manage_event, can_review_press
from conference.core.loading import allowed_or_403, get_or_404, one_or_404
from conference.events import services
from conference.events.meetings import meetings_of
from conference.events.models import Event, EventSeries, Organisation

Row = TypeVar("Row")


def managed_event_or_abort(slug: str, *, programme: bool = False) -> Event:
    """An event the current user organises; with `programme`, its sessions and speakers loaded at once."""
    query = select(Event).where(Event.slug == slug)
    if programme:
        query = query.options(*services.with_programme())
    return allowed_or_403(one_or_404(query), lambda event: can_manage_event(current_user, event))


def event_for_press_review_or_abort(slug: str) -> Event:
    """An event whose press requests the current user decides: its press officers and organisers."""
    return allowed_or_403(one_or_404(select(Event).where(Event.slug == slug)),
                          lambda event: can_review_press(current_user, event))


def public_event_or_404(slug: str, *, programme: bool = False) -> Event:
    """A published event; drafts are not found by the public."""
    query = select(Event).where(Event.slug == slug, Event.published.is_(True))
    if programme:
        query = query.options(*services.with_programme())
    return one_or_404(query)


def owned_or_404(model: type[Row], row_id: object, event: Event) -> Row:
    """A stage, session or other row of the event named in the same URL; another event's is not found."""
    return loading.owned_or_404(model, row_id, owner_column="event_id", owner_id=event.id)


def public_organisation_or_404(slug: str) -> Organisation:
    return one_or_404(select(Organisation).where(Organisation.slug == slug))


def managed_meeting_series_or_abort(series_id: int) -> EventSeries:
    """A series of meetings whose every meeting the current user organises."""
    series = get_or_404(EventSeries, series_id)
    meetings = meetings_of(series)
    if not meetings:
        abort(404)  # a yearly series of editions is not invited to as a whole
    return allowed_or_403(series, lambda _series: all(can_manage_event(current_user, m) for m in meetings))
