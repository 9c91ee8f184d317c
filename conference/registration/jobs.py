"""Registration's work for the worker."""

from datetime import datetime, timedelta

from flask import current_app

from conference.core.jobs import job, periodic
from conference.extensions import db
from conference.registration import invitations, services

MAIL_CHUNK = 200  # invitees whose mail is written and committed together


@periodic(every=timedelta(minutes=1))
def give_back_unconfirmed_places(now: datetime) -> None:
    """Places held for addresses never confirmed go to the next in line."""
    expired = services.expire_unconfirmed(now)
    if expired:
        current_app.logger.info("%d unconfirmed registrations expired", expired)


@job
def send_invitations(now: datetime, batch: str) -> None:
    """The invitation mail of one uploaded file, a chunk at a time, each chunk committed with the marks that
    say its invitees were mailed: a crash half-way loses nothing, and the job run again mails only the rest."""
    while invitations.mail_next(batch, now=now, limit=MAIL_CHUNK):
        db.session.commit()
