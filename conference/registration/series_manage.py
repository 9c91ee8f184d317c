"""Organiser pages: invite participants to every meeting of a series at once."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from conference.core.access import can_manage_event, organiser_required
from conference.events.meetings import follows_rule, meetings_of
from conference.events.models import EventSeries
from conference.extensions import db
from conference.registration import forms, services
from conference.registration import invitations as invites
from conference.registration.manage import explain_refusal
from conference.registration.models import SeriesInvitee

bp = Blueprint("series_invitations", __name__)


def series_or_abort(series_id: int) -> EventSeries:
    series = db.session.get(EventSeries, series_id) or abort(404)
    meetings = meetings_of(series)
    if not meetings:
        abort(404)  # a yearly series of editions is not invited to as a whole
    if not all(can_manage_event(current_user, meeting) for meeting in meetings):
        abort(403)
    return series


def render_page(series, form, upload, problems=(), status=200):
    invitees = db.session.scalars(select(SeriesInvitee).where(SeriesInvitee.series_id == series.id)
                                  .order_by(SeriesInvitee.created_at.desc())).all()
    return render_template("registration/manage/series_invitations.html", series=series, meetings=meetings_of(series),
                           weekly=follows_rule(series), invitees=invitees, form=form, upload=upload,
                           problems=problems), status


@bp.route("/<int:series_id>/invitations", methods=["GET", "POST"])
@organiser_required
def invitations(series_id):
    series = series_or_abort(series_id)
    form = forms.InvitationForm(prefix="one")
    if form.validate_on_submit():
        try:
            invites.invite_to_series(
                series, name=form.name.data, email=form.email.data,
                organisation_name=form.organisation_name.data or "", stakeholder_group=form.stakeholder_group.data or "",
                language=form.language.data, user_id=current_user.id)
        except services.RegistrationError:
            db.session.rollback()
            form.email.errors.append(_("This address is invited already."))
        else:
            db.session.commit()
            flash(_("%(name)s was invited to the series.", name=form.name.data), "success")
            return redirect(url_for(".invitations", series_id=series.id))
    return render_page(series, form, forms.InvitationUploadForm(prefix="upload"),
                       status=422 if form.errors else 200)


@bp.route("/<int:series_id>/invitations/upload", methods=["POST"])
@organiser_required
def upload(series_id):
    series = series_or_abort(series_id)
    upload_form = forms.InvitationUploadForm(prefix="upload")
    problems = []
    if upload_form.validate_on_submit():
        data = upload_form.file.data.read() if upload_form.file.data else b""
        try:
            result = invites.import_csv_to_series(series, data, language=upload_form.language.data,
                                                  user_id=current_user.id)
        except invites.UploadRefused as refused:
            db.session.rollback()
            problems = explain_refusal(upload_form, refused)
        else:
            db.session.commit()
            flash(_("%(count)s invitations are on their way.", count=len(result.invited)), "success")
            return redirect(url_for(".invitations", series_id=series.id))
    return render_page(series, forms.InvitationForm(prefix="one", formdata=None), upload_form, problems, status=422)
