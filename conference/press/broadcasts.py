"""The event's YouTube broadcast: linking, creating, rescheduling and the cached state.

YouTube is called from the worker only, never from a request: what an organiser asks on the Stream
tab is stored as a `BroadcastRequest` that a job carries out (`carry_out`), and saving an event queues
a job that moves the broadcast. Viewers see the last known state, so a YouTube outage or an exhausted
quota costs them nothing, and no page waits for YouTube.
"""

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from conference.core import audit
from conference.core.errors import Refusal
from conference.events.models import Event
from conference.extensions import db
from conference.press.models import Broadcast, BroadcastAction, BroadcastRequest
from conference.streaming import youtube

POLL_BEFORE = timedelta(hours=2)  # the worker reads the state from this long before the start
POLL_AFTER = timedelta(hours=1)
# a request still open after this has outlived its job's retries (a bug, not YouTube): it no longer
# holds up the next one
REQUEST_ABANDONED_AFTER = timedelta(hours=2)


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
        "busy": _l("YouTube is still being asked about the last request. Wait for its answer, then try again."),
        "abandoned": _l("The request to YouTube was not carried out. Try again; if it happens again, tell an "
                        "administrator."),
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


def link(event: Event, broadcast_id: str, *, now: datetime, user_id: int | None = None) -> Broadcast:
    """Link an existing broadcast by its id; linking the same one again only reads it again."""
    api = client()
    info = api.get_broadcast(broadcast_id)
    keep_refreshed(api)
    broadcast = remember(event, info, now, created_here=False)
    audit.record("broadcast.linked", event, youtube_id=info.id, user_id=user_id)
    return broadcast


def create(event: Event, *, now: datetime, user_id: int | None = None) -> Broadcast:
    """Create a scheduled, unlisted, embeddable broadcast with the programme's times.

    Sends the creation whenever it is called: the worker goes through `mark_creation_sent`.
    """
    api = client()
    info = api.create_broadcast(event.title, event.summary, event.starts_at, event.ends_at)
    keep_refreshed(api)
    broadcast = remember(event, info, now, created_here=True)
    audit.record("broadcast.created", event, youtube_id=info.id, user_id=user_id)
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


# ---------------------------------------------------------------- the organiser's requests, carried out by the worker

def latest_request(event: Event) -> BroadcastRequest | None:
    return db.session.scalar(select(BroadcastRequest).where(BroadcastRequest.event_id == event.id)
                             .order_by(BroadcastRequest.id.desc()).limit(1))


def open_request(event: Event) -> BroadcastRequest | None:
    return db.session.scalar(select(BroadcastRequest).where(BroadcastRequest.event_id == event.id,
                                                            BroadcastRequest.finished_at.is_(None)))


def is_abandoned(request: BroadcastRequest, now: datetime) -> bool:
    return request.finished_at is None and request.requested_at < now - REQUEST_ABANDONED_AFTER


def finish(request: BroadcastRequest, now: datetime, error: youtube.StreamingError | None = None,
           *, outcome_unknown: bool = False) -> None:
    request.finished_at = now
    request.problem = error.code if error is not None else None
    request.outcome_unknown = outcome_unknown


def carry_out(request: BroadcastRequest, *, now: datetime) -> None:
    """Link the broadcast or read its state, as the organiser asked, once: a request already finished is
    left alone, so the job may run again (a creation goes through `mark_creation_sent`).

    Each request is tried once: the organiser is looking at the Stream tab and decides whether to ask
    again. YouTube's refusal is stored on the request (and, for reading the state, on the broadcast).
    """
    if request.finished_at is not None:
        return
    event = request.event
    try:
        if request.action is BroadcastAction.LINK:
            link(event, request.youtube_id, now=now, user_id=request.requested_by_user_id)
        else:
            refresh(event, now=now)
    except youtube.StreamingError as error:
        if request.action is BroadcastAction.REFRESH:
            record_problem(event, error, now)
        finish(request, now, error)
    else:
        finish(request, now)


def mark_creation_sent(request: BroadcastRequest, *, now: datetime) -> bool:
    """Whether this run may send the creation the organiser asked for: never two.

    YouTube offers no idempotency key for a creation, and a POST whose answer was lost (a timeout, a
    server error, a worker that died before its commit) may have created the broadcast all the same.
    Looking it up afterwards would mean guessing by title and time among the channel's broadcasts,
    which could pick another one. So the attempt is marked (`sent_at`, by one conditional UPDATE that
    only one run can win) and committed by the job before the POST leaves: a creation is sent at most
    once per request. A run that finds it marked already, or a POST without a clear answer, finishes
    the request as `outcome_unknown`. The Stream tab then says so, and the organiser looks in YouTube
    Studio and links the broadcast there, or asks for a new one with a new request. A refusal YouTube
    did answer (quota, permissions) created nothing and is shown as it is.
    """
    event = request.event
    if of(event) is not None:
        finish(request, now)  # linked or created meanwhile: nothing to create
        return False
    marked = db.session.execute(
        update(BroadcastRequest).where(BroadcastRequest.id == request.id, BroadcastRequest.sent_at.is_(None))
        .values(sent_at=now).execution_options(synchronize_session=False)).rowcount == 1
    db.session.refresh(request)
    if not marked:
        finish(request, now, outcome_unknown=True)  # an earlier run sent it and never stored the answer
    return marked


def send_creation(request: BroadcastRequest, *, now: datetime) -> None:
    """The POST itself, after `mark_creation_sent` was committed; a lost answer is an unknown outcome."""
    event = request.event
    try:
        create(event, now=now, user_id=request.requested_by_user_id)
    except youtube.YouTubeUnreachable as error:  # no answer, or a server error: it may exist all the same
        finish(request, now, error, outcome_unknown=True)
    except youtube.StreamingError as error:  # YouTube answered no (or we never reached the POST)
        finish(request, now, error)
    else:
        request.youtube_id = of(event).youtube_id
        finish(request, now)


@dataclass
class RequestState:
    """What the Stream tab says of the organiser's latest request to YouTube."""

    asking: BroadcastRequest | None  # still being carried out
    problems: list[str]  # codes of StreamingProblem to show at the top
    refused_link: BroadcastRequest | None  # a link YouTube refused: told beside the address field
    outcome_unknown: bool  # a creation whose answer was lost


def request_state(event: Event, broadcast: Broadcast | None, now: datetime) -> RequestState:
    latest = latest_request(event)
    asking = latest if latest and latest.finished_at is None and not is_abandoned(latest, now) else None
    problems = [broadcast.problem] if broadcast and broadcast.problem else []
    refused_link = None
    if latest and latest is not asking:
        if latest.finished_at is None:
            problems.append("abandoned")
        elif latest.problem and latest.action is BroadcastAction.CREATE:
            problems.append(latest.problem)
        elif latest.problem and latest.action is BroadcastAction.LINK:
            refused_link = latest
    return RequestState(asking, problems, refused_link,
                        bool(latest and latest is not asking and latest.outcome_unknown))
