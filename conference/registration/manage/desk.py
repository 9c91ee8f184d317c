"""The check-in desk: scan or type a ticket's code, see the answer at once, undo a mistake."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from conference.core.access import organiser_required
from conference.core.loading import owned_or_404
from conference.core.timeutil import utcnow
from conference.events.loading import managed_event_or_abort
from conference.events.models import Event
from conference.extensions import db
from conference.registration import checkin as door
from conference.registration import forms, services
from conference.registration.manage import bp
from conference.registration.models import CheckIn


@bp.route("/checkin", methods=["GET", "POST"])
@organiser_required
def checkin(slug):
    event = managed_event_or_abort(slug)
    form = forms.CheckInForm()
    if not form.validate_on_submit():
        return render_desk(event, form), 422 if form.errors else 200
    result = door.check_in(event, form.code.data, door.nonce_of(form.scan.data), current_user, utcnow())
    db.session.commit()
    # No redirect: the answer is needed at once, with the form ready for the next ticket.
    return render_desk(event, forms.CheckInForm(formdata=None), result=result), 200


@bp.route("/checkin/<int:check_in_id>/undo", methods=["POST"])
@organiser_required
def undo_checkin(slug, check_in_id):
    event = managed_event_or_abort(slug)
    entry = owned_or_404(CheckIn, check_in_id, owner_column="event_id", owner_id=event.id)
    if not forms.FlaskForm().validate_on_submit():
        abort(400)
    if door.undo_check_in(entry, current_user, utcnow()):
        db.session.commit()
        flash(_("The check-in of %(name)s was undone.", name=entry.registration.name), "success")
    else:
        flash(_("The check-in of %(name)s was undone already.", name=entry.registration.name), "info")
    return redirect(url_for(".checkin", slug=slug))


def render_desk(event: Event, form: forms.CheckInForm, result: door.ScanResult | None = None) -> str:
    form.scan.data = door.new_scan_nonce()  # a fresh one for every form shown
    # the desk types or scans one code after another: the field is ready without a click
    form.code.render_kw = {**(form.code.render_kw or {}), "autofocus": True}
    latest = door.latest_check_ins(event)
    return render_template("registration/manage/checkin.html", event=event, form=form, result=result,
                           outcomes=door.Outcome, counts=services.counts(event), latest=latest,
                           undone_by=door.users_by_id({c.undone_by_user_id for c in latest}),
                           confirm=forms.FlaskForm(), now=utcnow())
