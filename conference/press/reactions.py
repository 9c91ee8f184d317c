"""The press feature's reactions to changes of events and registrations, in the same transaction."""

from datetime import datetime

from flask_babel import gettext as _

from conference.core import jobs
from conference.events import hooks as event_hooks
from conference.events.models import Event
from conference.outbox.compose import external_url
from conference.press import broadcasts, services
from conference.press.jobs import move_broadcast
from conference.registration import hooks as registration_hooks
from conference.registration.models import Registration


@event_hooks.event_saved
def follow_with_the_broadcast(event: Event, **_ignored) -> list[str]:
    """A broadcast created here moves with its event; the worker asks YouTube, never the request."""
    if not broadcasts.needs_moving(event):
        return []
    jobs.enqueue(move_broadcast, event_id=event.id)
    return [_("Its YouTube broadcast will be moved to the new times within a minute; the Stream tab "
              "says if YouTube refuses.")]


@event_hooks.event_copied
def copy_stream_settings(source: Event, copy: Event, **_ignored) -> list[str]:
    """The next cycle's meeting is streamed to the same audience; its broadcast and recording are its own."""
    services.copy_stream_settings(source, copy)
    return []


@registration_hooks.registration_cancelled
def revoke_watch_link(registration: Registration, now: datetime, **_ignored) -> list[str]:
    services.revoke_for_registration(registration, now)
    return []


@registration_hooks.confirmation_links
def watch_link(registration: Registration, now: datetime, **_ignored) -> list[tuple[str, str]]:
    """Where the event gives its stream to registrants, each gets a personal watch link."""
    access = services.access_for_registration(registration, now)
    return [("watch_url", external_url("press.watch", token=services.watch_token(access)))] if access else []
