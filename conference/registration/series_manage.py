"""Organiser pages: invite participants to every meeting of a series at once."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from conference.core.access import organiser_required
from conference.core.forms import show_refusal
from conference.events.loading import managed_meeting_series_or_abort
from conference.events.meetings import follows_rule, meetings_of
from conference.extensions import db
from conference.registration import forms, listing, services, uploads
from conference.registration import invitations as invites
from conference.registration.manage.invitations import import_uploaded

bp = Blueprint("series_invitations", __name__)


def render_page(series, form, upload, problems=(), status=200):
    return render_template("registration/manage/series_invitations.html", series=series, meetings=meetings_of(series),
                           weekly=follows_rule(series), invitees=listing.series_invitees(series), form=form,
                           upload=upload, problems=problems), status


@bp.route("/<int:series_id>/invitations", methods=["GET", "POST"])
@organiser_required
def invitations(series_id):
    series = managed_meeting_series_or_abort(series_id)
    form = forms.InvitationForm(prefix="one")
    if form.validate_on_submit():
        try:
            invites.invite_to_series(
                series, name=form.name.data, email=form.email.data,
                organisation_name=form.organisation_name.data or "", stakeholder_group=form.stakeholder_group.data or "",
                language=form.language.data, user_id=current_user.id)
        except services.RegistrationError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s was invited to the series.", name=form.name.data), "success")
            return redirect(url_for(".invitations", series_id=series.id))
    return render_page(series, form, forms.InvitationUploadForm(prefix="upload"),
                       status=422 if form.errors else 200)


@bp.route("/<int:series_id>/invitations/upload", methods=["POST"])
@organiser_required
def upload(series_id):
    series = managed_meeting_series_or_abort(series_id)
    upload_form = forms.InvitationUploadForm(prefix="upload")
    problems = []
    if upload_form.validate_on_submit():
        result, problems = import_uploaded(
            upload_form, lambda data, **given: uploads.import_csv_to_series(series, data, **given))
        if result is not None:
            flash(_("%(count)s invitations are on their way.", count=len(result.invited)), "success")
            return redirect(url_for(".invitations", series_id=series.id))
    return render_page(series, forms.InvitationForm(prefix="one", formdata=None), upload_form, problems, status=422)
