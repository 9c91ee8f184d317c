"""The outbox's work for the worker: deliver what is due, on every turn of every worker."""

from datetime import datetime

from conference.core.jobs import every_turn
from conference.outbox.services import deliver_due


@every_turn
def deliver_mail(now: datetime) -> int:
    """Messages are claimed one batch at a time, so several workers share the queue."""
    return deliver_due(now)
