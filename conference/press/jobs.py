"""The press feature's work for the worker: YouTube is called here, never from a request or a reaction."""

from datetime import datetime, timedelta

from flask import current_app

from conference.core.jobs import job, periodic
from conference.events.models import Event
from conference.extensions import db
from conference.press import broadcasts
from conference.press.models import BroadcastAction, BroadcastRequest
from conference.streaming import youtube

# worth another try later; every other refusal stays until the organiser acts, shown on the Stream tab
PASSING_PROBLEMS = (youtube.YouTubeUnreachable, youtube.YouTubeError)


@periodic(every=timedelta(minutes=1))
def read_broadcast_states(now: datetime) -> None:
    """While an event is near, viewers see its broadcast's state as YouTube last told it."""
    read = broadcasts.poll_due(now)
    if read:
        current_app.logger.info("read the state of %d broadcasts", read)


@job
def move_broadcast(now: datetime, event_id: int) -> None:
    """The event moved or was renamed since this was queued: its broadcast follows it as it is now."""
    event = db.session.get(Event, event_id)
    if event is None:
        return  # deleted meanwhile: nothing to follow
    try:
        broadcasts.follow_event(event, now=now)
    except youtube.StreamingError as error:
        db.session.rollback()
        broadcasts.record_problem(db.session.get(Event, event_id), error, now)
        if isinstance(error, PASSING_PROBLEMS):
            db.session.commit()  # shown to the organiser while the job waits for its next try
            raise


@job
def carry_out_broadcast_request(now: datetime, request_id: int) -> None:
    """What an organiser asked on the Stream tab: link, create or read the broadcast; safe to run again."""
    request = db.session.get(BroadcastRequest, request_id)
    if request is None or request.finished_at is not None:
        return  # the event was deleted meanwhile, or an earlier run finished the request
    if request.action is not BroadcastAction.CREATE:
        broadcasts.carry_out(request, now=now)
    elif broadcasts.mark_creation_sent(request, now=now):
        db.session.commit()  # the mark is stored before the POST leaves, so no later run sends it again
        broadcasts.send_creation(request, now=now)
