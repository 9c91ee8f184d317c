"""Check-in at the door."""

from flask_login import login_required

from conference.registration.manage import bp


@bp.route("/checkin", methods=["GET", "POST"])
@login_required
def checkin(slug):
    raise NotImplementedError
