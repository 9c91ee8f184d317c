"""The event named in a URL, for the views of every feature: not found is 404, not yours is 403."""

from flask_login import current_user
from sqlalchemy import select

from conference.core.access import can_manage_event
from conference.core.loading import allowed_or_403, one_or_404
from conference.events import services
from conference.events.models import Event


def managed_event_or_abort(slug: str, *, programme: bool = False) -> Event:
    """An event the current user organises; with `programme`, its sessions and speakers loaded at once."""
    query = select(Event).where(Event.slug == slug)
    if programme:
        query = query.options(*services.with_programme())
    return allowed_or_403(one_or_404(query), lambda event: can_manage_event(current_user, event))


def public_event_or_404(slug: str, *, programme: bool = False) -> Event:
    """A published event; drafts are not found by the public."""
    query = select(Event).where(Event.slug == slug, Event.published.is_(True))
    if programme:
        query = query.options(*services.with_programme())
    return one_or_404(query)
