"""The rules of stream access: press requests, their review, personal watch links and the watch window; and
what organisers ask YouTube about the event's broadcast, which the worker carries out."""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from conference.core import audit, jobs, tokens
from conference.core.addresses import normalise_email
from conference.core.errors import Refusal
from conference.core.rows import get_or_insert, insert_or_existing
from conference.events.models import Event
from conference.extensions import db
from conference.outbox.compose import external_url
from conference.press import broadcasts, mails
from conference.press.jobs import carry_out_broadcast_request
from conference.press.models import (BroadcastAction, BroadcastRequest, PressRequest, PressRequestState, StreamAccess,
                                     StreamAccessKind, StreamAudience, StreamSettings, StreamView, ViewOutcome)
from conference.streaming import youtube

WATCH = "watch"
LINK_LIFETIME_AFTER_EVENT = timedelta(days=1)  # time enough to watch the end, then the link dies
OPEN = (PressRequestState.PENDING, PressRequestState.APPROVED)


class PressError(Refusal):
    """A decision on a press request that the rules refuse."""

    messages = {
        "already_decided": _l("This request was decided already."),
        "not_approved": _l("Only an approved request can be revoked."),
    }


@dataclass
class PressApplicant:
    name: str
    outlet: str
    email: str
    phone: str = ""
    note: str = ""
    language: str = "sv"


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


# ---------------------------------------------------------------- requests

def request_access(event: Event, applicant: PressApplicant, *, now: datetime, consent_version: str) -> PressRequest:
    """Store a request and tell the press contact; the same address asking again stores nothing twice."""
    existing = open_request(event, applicant.email)
    if existing is not None:
        return existing
    press_request = PressRequest(
        event_id=event.id, event=event, name=applicant.name.strip(), outlet=applicant.outlet.strip(),
        outlet_normalised=normalise(applicant.outlet), email=applicant.email.strip(),
        email_normalised=normalise_email(applicant.email), phone=applicant.phone.strip(), note=applicant.note.strip(),
        consent_version=consent_version, language=applicant.language, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(press_request)
            db.session.flush()
    except IntegrityError:
        found = open_request(event, applicant.email)
        if found is None:
            raise
        return found
    audit.record("press_request.created", press_request, event_id=event.id, user_id=None)
    mails.new_request(press_request)
    return press_request


def open_request(event: Event, email: str) -> PressRequest | None:
    return db.session.scalar(select(PressRequest).where(
        PressRequest.event_id == event.id, PressRequest.email_normalised == normalise_email(email),
        PressRequest.state.in_(OPEN)))


def earlier_requests_of_outlet(press_request: PressRequest) -> list[PressRequest]:
    """What the outlet asked for before, at any event: helps the press officer decide."""
    return list(db.session.scalars(
        select(PressRequest).where(PressRequest.outlet_normalised == press_request.outlet_normalised,
                                   PressRequest.id != press_request.id)
        .order_by(PressRequest.created_at.desc()).limit(20)))


def decide(press_request: PressRequest, state: PressRequestState, *, user_id: int, now: datetime) -> None:
    """Only a pending request is decided, once."""
    if press_request.state is not PressRequestState.PENDING:
        raise PressError("already_decided")
    press_request.state = state
    press_request.decided_at = now
    press_request.decided_by_user_id = user_id


def approve(press_request: PressRequest, *, user_id: int, now: datetime) -> StreamAccess:
    decide(press_request, PressRequestState.APPROVED, user_id=user_id, now=now)
    access = grant(press_request.event, StreamAccessKind.PRESS, holder_name=f"{press_request.name}, "
                   f"{press_request.outlet}", press_request_id=press_request.id, now=now)
    audit.record("press_request.approved", press_request, event_id=press_request.event_id, user_id=user_id)
    mails.approved(press_request, access, external_url("press.watch", token=watch_token(access)))
    return access


def deny(press_request: PressRequest, *, message: str, user_id: int, now: datetime) -> None:
    decide(press_request, PressRequestState.DENIED, user_id=user_id, now=now)
    press_request.decision_message = message.strip()
    audit.record("press_request.denied", press_request, event_id=press_request.event_id, user_id=user_id)
    if press_request.decision_message:
        mails.denied(press_request)


def revoke(press_request: PressRequest, *, user_id: int, now: datetime) -> None:
    if press_request.state is not PressRequestState.APPROVED:
        raise PressError("not_approved")
    press_request.state = PressRequestState.REVOKED
    press_request.decided_at = now
    press_request.decided_by_user_id = user_id
    if press_request.access is not None:
        press_request.access.revoked_at = now
    audit.record("press_request.revoked", press_request, event_id=press_request.event_id, user_id=user_id)


# ---------------------------------------------------------------- personal links

def watch_token(access: StreamAccess) -> str:
    return tokens.link_token(WATCH, access.nonce)


def grant(event: Event, kind: StreamAccessKind, *, holder_name: str, now: datetime,
          press_request_id: int | None = None, registration_id: int | None = None) -> StreamAccess:
    access = StreamAccess(event_id=event.id, event=event, kind=kind, holder_name=holder_name,
                          press_request_id=press_request_id, registration_id=registration_id,
                          nonce=tokens.new_nonce(), created_at=now,
                          expires_at=event.ends_at + LINK_LIFETIME_AFTER_EVENT)
    access.token_hash = tokens.hash_token(watch_token(access))
    db.session.add(access)
    db.session.flush()
    return access


def access_for_registration(registration, now: datetime) -> StreamAccess | None:
    """A confirmed registrant's personal link, where the event gives the stream to registrants."""
    event = registration.event
    if stream_of(event).audience is not StreamAudience.PRESS_AND_REGISTRANTS:
        return None
    existing = db.session.scalar(select(StreamAccess).where(StreamAccess.registration_id == registration.id))
    if existing is not None:
        return existing
    return grant(event, StreamAccessKind.REGISTRANT, holder_name=registration.name,
                 registration_id=registration.id, now=now)


def revoke_for_registration(registration, now: datetime) -> None:
    access = db.session.scalar(select(StreamAccess).where(StreamAccess.registration_id == registration.id))
    if access is not None and access.revoked_at is None:
        access.revoked_at = now


def by_watch_token(token: str) -> StreamAccess | None:
    return tokens.by_token(StreamAccess, StreamAccess.token_hash, token)


def open_link(token: str, now: datetime) -> tuple[StreamAccess | None, ViewOutcome]:
    """Look at a watch link as the page will; every opening and every dead link is logged."""
    access = by_watch_token(token)
    if access is None:
        outcome = ViewOutcome.UNKNOWN
    elif access.revoked_at is not None or not audience_allows(access):
        outcome = ViewOutcome.REVOKED
    elif now >= link_expiry(access):
        outcome = ViewOutcome.EXPIRED
    else:
        outcome = ViewOutcome.SHOWN
    if access is not None:  # a made-up token is no one's attempt worth keeping
        db.session.add(StreamView(access_id=access.id, event_id=access.event_id, at=now, outcome=outcome))
    return access, outcome


def audience_allows(access: StreamAccess) -> bool:
    """A registrant's link works only while the event gives the stream to registrants."""
    return access.kind is not StreamAccessKind.REGISTRANT or \
        stream_of(access.event).audience is StreamAudience.PRESS_AND_REGISTRANTS


def link_expiry(access: StreamAccess) -> datetime:
    """A day after the event ends, as it stands now: moving the event moves the end of its links."""
    return access.event.ends_at + LINK_LIFETIME_AFTER_EVENT


def viewers(event: Event) -> list[tuple[StreamAccess, int, datetime]]:
    """Who watched: each link with its number of openings and the last one."""
    rows = db.session.execute(
        select(StreamAccess, func.count(StreamView.id), func.max(StreamView.at))
        .join(StreamView, StreamView.access_id == StreamAccess.id)
        .where(StreamAccess.event_id == event.id, StreamView.outcome == ViewOutcome.SHOWN)
        .group_by(StreamAccess.id).order_by(func.max(StreamView.at).desc())).all()
    return [(access, count, last) for access, count, last in rows]


def refused_attempts(event: Event) -> int:
    return db.session.scalar(select(func.count(StreamView.id)).where(
        StreamView.event_id == event.id, StreamView.outcome.in_([ViewOutcome.EXPIRED, ViewOutcome.REVOKED]))) or 0


# ---------------------------------------------------------------- the watch window

class Phase(enum.Enum):
    BEFORE = "before"
    OPEN = "open"
    AFTER = "after"


def window(event: Event) -> tuple[datetime, datetime]:
    """From a set time before the first session (or the start) to the end of the event."""
    first = min((s.starts_at for s in event.sessions), default=event.starts_at)
    return first - timedelta(minutes=stream_of(event).opens_minutes), event.ends_at


def phase(event: Event, now: datetime) -> Phase:
    opens, closes = window(event)
    if now < opens:
        return Phase.BEFORE
    if now < closes:
        return Phase.OPEN
    return Phase.AFTER


def on_now(event: Event, now: datetime) -> list:
    return [s for s in event.sessions if s.starts_at <= now < s.ends_at]


# ---------------------------------------------------------------- the stream's settings

def stream_of(event: Event) -> StreamSettings:
    """The event's stream settings as they stand; the defaults where nobody has set them."""
    return db.session.get(StreamSettings, event.id) or StreamSettings.defaults(event.id)


def save_stream_settings(event: Event, *, audience: StreamAudience, opens_minutes: int, press_contact_email: str,
                         recording_url: str, user_id: int | None) -> StreamSettings:
    """The organiser decides who gets the stream, from when, where press requests go, and the recording."""
    settings = get_or_insert(StreamSettings, event_id=event.id)
    settings.audience = audience
    settings.opens_minutes = opens_minutes
    settings.press_contact_email = press_contact_email.strip()
    settings.recording_url = recording_url.strip()
    audit.record("stream.settings_saved", event, event_id=event.id, audience=audience.value, user_id=user_id)
    return settings


def copy_stream_settings(source: Event, copy: Event) -> None:
    """The next cycle's meeting is streamed to the same audience; its recording is its own."""
    settings = db.session.get(StreamSettings, source.id)
    if settings is not None:
        db.session.add(StreamSettings(event_id=copy.id, audience=settings.audience,
                                      opens_minutes=settings.opens_minutes,
                                      press_contact_email=settings.press_contact_email))


# ---------------------------------------------------------------- the broadcast: asked here, done by the worker

def ask_youtube(event: Event, action: BroadcastAction, *, user_id: int | None, now: datetime,
                youtube_id: str | None = None) -> BroadcastRequest:
    """Store what the organiser asks of YouTube and queue the job that does it, in the caller's transaction.

    Nothing reaches YouTube before the commit. One request at a time per event: the unique index over
    open requests decides, so a button pressed twice (or by two organisers) asks once, and the second
    press is told to wait (`busy`). A request that outlived its job's retries no longer holds up the next.
    """
    if not broadcasts.is_connected():
        raise broadcasts.StreamingProblem("not_connected")
    if action is BroadcastAction.REFRESH and broadcasts.of(event) is None:
        raise broadcasts.StreamingProblem("not_found")
    earlier = broadcasts.open_request(event)
    if earlier is not None and broadcasts.is_abandoned(earlier, now):
        earlier.finished_at = now
        earlier.problem = "abandoned"
        db.session.flush()
    request, new = insert_or_existing(
        BroadcastRequest(event_id=event.id, action=action, youtube_id=youtube_id, requested_at=now,
                         requested_by_user_id=user_id),
        lambda: broadcasts.open_request(event))
    if not new:
        raise broadcasts.StreamingProblem("busy")
    jobs.enqueue(carry_out_broadcast_request, request_id=request.id)
    return request


def ask_to_link(event: Event, text: str, *, user_id: int | None, now: datetime) -> BroadcastRequest:
    """Link the broadcast at this address or id; an address that is no YouTube broadcast is refused at once."""
    try:
        youtube_id = youtube.parse_broadcast_id(text)
    except ValueError:
        raise broadcasts.StreamingProblem("not_a_broadcast_address", field="broadcast") from None
    return ask_youtube(event, BroadcastAction.LINK, youtube_id=youtube_id, user_id=user_id, now=now)
