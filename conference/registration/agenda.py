"""A registrant's personal agenda feed: the event and the sessions they hold a place at."""

from flask_babel import gettext

from conference.calendars import feeds
from conference.outbox.compose import external_url
from conference.registration.links import agenda_token
from conference.registration.models import Registration
from conference.registration.recipients import picked_sessions


def agenda_feed(registration: Registration) -> feeds.CalendarFile | None:
    """What the registrant has a place at: the event and its sessions; None without a place.

    Only a live place counts: a cancelled or expired registration, one still waiting for a
    place, and one for an event that is no longer published have no agenda.
    """
    event = registration.event
    if not registration.state.holds_seat or not event.published:
        return None
    sessions = picked_sessions(registration) if event.attendees_pick_sessions else list(event.sessions)
    return feeds.personal_feed(
        event, sessions, name=gettext("My agenda: %(title)s", title=event.title),
        source=external_url("registration.agenda", registration_id=registration.id,
                            token=agenda_token(registration)))
