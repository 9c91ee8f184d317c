"""Registration's work for the worker."""

from datetime import datetime, timedelta

from flask import current_app

from conference.core.jobs import periodic
from conference.registration import services


@periodic(every=timedelta(minutes=1))
def give_back_unconfirmed_places(now: datetime) -> None:
    """Places held for addresses never confirmed go to the next in line."""
    expired = services.expire_unconfirmed(now)
    if expired:
        current_app.logger.info("%d unconfirmed registrations expired", expired)
