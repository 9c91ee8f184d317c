"""Who keeps a process: it spans meetings of several organisers, so those who organise every event."""

from flask import abort
from flask_login import current_user, login_required

from conference.core.access import organises_all_events


@login_required
def organisers_of_every_event_only():
    """A blueprint's before_request: logged in, and an organiser of all events (or an administrator)."""
    if not organises_all_events(current_user):
        abort(403)
