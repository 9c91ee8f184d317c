"""The event's YouTube broadcast: linking, creating, rescheduling and the cached state.

YouTube is called from the organiser's own actions on the Stream tab and from the worker, never
from a public page nor from a reaction to another change: viewers see the last known state, so a
YouTube outage or an exhausted quota costs them nothing, and saving an event never waits for YouTube.
"""

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from conference.core import audit
from conference.core.errors import Refusal
from conference.events.models import Event
from conference.extensions import db
from conference.press.models import Broadcast
from conference.streaming import youtube

POLL_BEFORE = timedelta(hours=2)  # the worker reads the state from this long before the start
POLL_AFTER = timedelta(hours=1)


class NotConnected(youtube.StreamingError):
    """No YouTube channel is connected yet."""

    code = "not_connected"

    def __init__(self):
        super().__init__()


class StreamingProblem(Refusal):
    """What went wrong with YouTube, as the organiser reads it: a StreamingError's code, raised or stored."""

    messages = {
        "not_connected": _l("No YouTube channel is connected. An administrator connects it under Accounts → "
                            "YouTube."),
        "quota_exceeded": _l("YouTube's daily quota is used up. Try again tomorrow; the watch page keeps working."),
        "live_streaming_not_enabled": _l("Live streaming is not enabled on the YouTube channel. Enable it in "
                                         "YouTube Studio (it can take a day), then try again."),
        "credentials_revoked": _l("YouTube no longer accepts our connection. An administrator must connect the "
                                  "channel again."),
        "not_found": _l("YouTube has no broadcast with that address or id."),
        "unreachable": _l("YouTube could not be reached. Try again in a while; the watch page keeps working."),
        "not_a_broadcast_address": _l("That is not the address or id of a YouTube broadcast."),
        "api_error": _l("YouTube refused the request."),
        "no_client_secrets": _l("The YouTube OAuth client is not configured (YOUTUBE_CLIENT_SECRETS_FILE)."),
        "no_refresh_token": _l("Google gave no lasting access. Remove the app's access in your Google account and "
                               "connect again."),
    }

    @property
    def message(self):
        # a code we have no words of our own for (authorization_failed, ...) is told as YouTube's refusal
        return self.messages.get(self.code, self.messages["api_error"])


def of(event: Event) -> Broadcast | None:
    return db.session.scalar(select(Broadcast).where(Broadcast.event_id == event.id))


# ---------------------------------------------------------------- the stored connection

def credentials_path() -> Path:
    return Path(current_app.config["YOUTUBE_CREDENTIALS_FILE"])


def is_connected() -> bool:
    return credentials_path().is_file()


def store_credentials(info: dict) -> None:
    """Outside the web root, readable by the app's user alone; never shown again."""
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
        json.dump(info, handle)
    temporary.replace(path)


def forget_credentials() -> None:
    credentials_path().unlink(missing_ok=True)


def client() -> youtube.YouTube:
    if not is_connected():
        raise NotConnected()
    info = json.loads(credentials_path().read_text())
    return youtube.YouTube(info, api_endpoint=current_app.config.get("YOUTUBE_API_ENDPOINT") or None,
                           timeout=current_app.config["YOUTUBE_TIMEOUT"])


def keep_refreshed(api: youtube.YouTube) -> None:
    info = api.refreshed_credentials_info()
    if info:
        store_credentials(info)


def client_config() -> dict:
    """The OAuth client from Google's console (YOUTUBE_CLIENT_SECRETS_FILE)."""
    path = current_app.config.get("YOUTUBE_CLIENT_SECRETS_FILE")
    if not path or not Path(path).is_file():
        raise youtube.StreamingError(code="no_client_secrets")
    return json.loads(Path(path).read_text())


# ---------------------------------------------------------------- changes

def remember(event: Event, info: youtube.BroadcastInfo, now: datetime, *, created_here: bool | None = None) -> Broadcast:
    broadcast = of(event) or Broadcast(event_id=event.id, youtube_id=info.id)
    broadcast.youtube_id = info.id
    broadcast.title = info.title or ""
    broadcast.scheduled_start = info.scheduled_start
    broadcast.scheduled_end = info.scheduled_end
    broadcast.life_cycle_status = info.life_cycle_status or "created"
    broadcast.checked_at = now
    broadcast.problem = None
    broadcast.problem_at = None
    if created_here is not None:
        broadcast.created_here = created_here
    db.session.add(broadcast)
    return broadcast


def record_problem(event: Event, error: youtube.StreamingError, now: datetime) -> None:
    broadcast = of(event)
    if broadcast is not None:
        broadcast.problem = error.code
        broadcast.problem_at = now


def link(event: Event, text: str, *, now: datetime) -> Broadcast:
    """Link an existing broadcast, by its address or id."""
    try:
        broadcast_id = youtube.parse_broadcast_id(text)
    except ValueError:
        raise youtube.StreamingError(code="not_a_broadcast_address") from None
    api = client()
    info = api.get_broadcast(broadcast_id)
    keep_refreshed(api)
    broadcast = remember(event, info, now, created_here=False)
    audit.record("broadcast.linked", event, youtube_id=info.id)
    return broadcast


def create(event: Event, *, now: datetime) -> Broadcast:
    """Create a scheduled, unlisted, embeddable broadcast with the programme's times."""
    api = client()
    info = api.create_broadcast(event.title, event.summary, event.starts_at, event.ends_at)
    keep_refreshed(api)
    broadcast = remember(event, info, now, created_here=True)
    audit.record("broadcast.created", event, youtube_id=info.id)
    return broadcast


def needs_moving(event: Event) -> bool:
    """A broadcast we created whose times or title no longer match the event's."""
    broadcast = of(event)
    return broadcast is not None and broadcast.created_here and \
        (broadcast.scheduled_start, broadcast.scheduled_end, broadcast.title) != \
        (event.starts_at, event.ends_at, event.title)


def follow_event(event: Event, *, now: datetime) -> Broadcast | None:
    """The event moved or was renamed: a broadcast we created moves with it."""
    if not needs_moving(event):
        return of(event)
    broadcast = of(event)
    api = client()
    info = api.reschedule(broadcast.youtube_id, event.title, event.summary, event.starts_at, event.ends_at)
    keep_refreshed(api)
    audit.record("broadcast.rescheduled", event, youtube_id=info.id)
    return remember(event, info, now)


def refresh(event: Event, *, now: datetime) -> Broadcast:
    broadcast = of(event)
    if broadcast is None:
        raise youtube.BroadcastNotFound()
    api = client()
    info = api.get_broadcast(broadcast.youtube_id)
    keep_refreshed(api)
    return remember(event, info, now)


def poll_due(now: datetime) -> int:
    """Read the state of the broadcasts of events about to start or running; returns how many were read."""
    due = db.session.scalars(
        select(Broadcast).join(Event).where(Event.starts_at <= now + POLL_BEFORE, Event.ends_at >= now - POLL_AFTER))
    read = 0
    for broadcast in due:
        try:
            refresh(broadcast.event, now=now)
            read += 1
        except youtube.StreamingError as error:
            record_problem(broadcast.event, error, now)
    return read
