"""Reports of registration: the CSV export and registrations over time."""

from conference.core.access import organiser_required
from conference.registration.manage import bp


@bp.route("/registrations.csv")
@organiser_required
def export(slug):
    raise NotImplementedError


@bp.route("/registrations/statistics")
@organiser_required
def statistics(slug):
    raise NotImplementedError
