"""Agenda proposals' work for the worker."""

from datetime import datetime, timedelta

from flask import current_app

from conference.consultation.proposals import services as proposals
from conference.core.jobs import periodic


@periodic(every=timedelta(minutes=1))
def publish_scheduled_feedback(now: datetime) -> None:
    """Answers to agenda proposals published for a chosen time reach the proposers when it comes."""
    published = proposals.publish_due_feedback(now)
    if published:
        current_app.logger.info("feedback on agenda proposals published for %d processes", published)
