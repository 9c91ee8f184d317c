"""Written comments' reactions to changes of the programme, in the same transaction."""

from collections.abc import Callable
from datetime import datetime

from conference.consultation.comments.models import FeedbackWindow
from conference.events import hooks
from conference.events.models import Event
from conference.extensions import db


@hooks.event_copied
def copy_feedback_window(source: Event, copy: Event, move: Callable[[datetime], datetime], **_) -> list[str]:
    """The next cycle's meeting takes comments the same way, its deadline moved; no comment or summary
    comes along."""
    window = source.feedback_window
    if window is not None:
        db.session.add(FeedbackWindow(event_id=copy.id, closes_at=move(window.closes_at), audience=window.audience,
                                      instructions=window.instructions))
    return []
