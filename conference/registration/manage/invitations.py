"""Organiser pages of invitations: one person, or a file of them. The mail that carries them is the
outbox's page (outbox.manage), where an upload leads."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from conference.core.access import organiser_required
from conference.core.forms import REFUSED, attempt, show_refusal
from conference.events.loading import managed_event_or_abort
from conference.extensions import db
from conference.outbox import services as outbox
from conference.registration import forms, listing, uploads
from conference.registration import invitations as invites
from conference.registration.manage import bp


@bp.route("/invitations/", methods=["GET", "POST"])
@organiser_required
def invitation_list(slug):
    event = managed_event_or_abort(slug)
    form = forms.InvitationForm(prefix="one")
    if form.validate_on_submit():
        invited = attempt(form, lambda: invites.invite(
            event, name=form.name.data, email=form.email.data, organisation_name=form.organisation_name.data or "",
            stakeholder_group=form.stakeholder_group.data or "", language=form.language.data,
            user_id=current_user.id))
        if invited is not REFUSED:
            flash(_("%(name)s was invited.", name=form.name.data), "success")
            return redirect(url_for(".invitation_list", slug=slug))
    return render_invitations(event, form=form, upload=forms.InvitationUploadForm(prefix="upload"))


def import_uploaded(upload, importer) -> tuple[uploads.UploadResult | None, list[str]]:
    """Hand the uploaded file to the importer and commit, or roll back a refused file: its error beside the
    file field, each bad row's problem in the list returned."""
    data = upload.file.data.read() if upload.file.data else b""
    try:
        result = importer(data, language=upload.language.data, user_id=current_user.id)
    except invites.UploadRefused as refused:
        db.session.rollback()
        show_refusal(upload, refused)
        return None, [str(problem.message) for problem in refused.problems]
    db.session.commit()
    return result, []


def render_invitations(event, *, form, upload, problems=(), status=None):
    rows = listing.invitations_of(event)
    errors = bool(form.errors or upload.errors or problems)
    return render_template("registration/manage/invitations.html", event=event, invitations=rows, form=form,
                           upload=upload, answers=listing.answers(rows), problems=problems,
                           outbox_counts=outbox.state_counts(event.id)), status or (422 if errors else 200)


@bp.route("/invitations/upload", methods=["POST"])
@organiser_required
def upload_invitations(slug):
    event = managed_event_or_abort(slug)
    upload = forms.InvitationUploadForm(prefix="upload")
    problems = []
    if upload.validate_on_submit():
        result, problems = import_uploaded(upload, lambda data, **given: uploads.import_csv(event, data, **given))
        if result is not None:
            flash(_("%(count)s invitations are on their way.", count=len(result.invited)), "success")
            if result.already_invited:
                flash(_("Already invited, so skipped: %(emails)s", emails=", ".join(result.already_invited)), "info")
            return redirect(url_for("outbox_manage.outbox_state", slug=slug, batch=result.batch))
    return render_invitations(event, form=forms.InvitationForm(prefix="one", formdata=None), upload=upload,
                              problems=problems, status=422)

