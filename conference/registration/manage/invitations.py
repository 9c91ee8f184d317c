"""Organiser pages of invitations: one person, or a file of them; and the mail that carries them."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from conference.core.access import organiser_required
from conference.core.forms import show_refusal
from conference.core.loading import owned_or_404
from conference.events.loading import managed_event_or_abort
from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.models import OutboxMessage, OutboxState
from conference.registration import forms, listing, services
from conference.registration import invitations as invites
from conference.registration.manage import bp


@bp.route("/invitations/", methods=["GET", "POST"])
@organiser_required
def invitation_list(slug):
    event = managed_event_or_abort(slug)
    form = forms.InvitationForm(prefix="one")
    if form.validate_on_submit():
        try:
            invites.invite(event, name=form.name.data, email=form.email.data,
                           organisation_name=form.organisation_name.data or "",
                           stakeholder_group=form.stakeholder_group.data or "", language=form.language.data,
                           user_id=current_user.id)
        except services.RegistrationError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s was invited.", name=form.name.data), "success")
            return redirect(url_for(".invitation_list", slug=slug))
    return render_invitations(event, form=form, upload=forms.InvitationUploadForm(prefix="upload"))


def explain_refusal(upload, refused) -> list[str]:
    """The file's error beside the file field; each bad row's problem in a list under it."""
    show_refusal(upload, refused)
    return [str(problem.message) for problem in refused.problems]


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
        data = upload.file.data.read() if upload.file.data else b""
        try:
            result = invites.import_csv(event, data, language=upload.language.data, user_id=current_user.id)
        except invites.UploadRefused as refused:
            db.session.rollback()
            problems = explain_refusal(upload, refused)
        else:
            db.session.commit()
            flash(_("%(count)s invitations are on their way.", count=len(result.invited)), "success")
            if result.already_invited:
                flash(_("Already invited, so skipped: %(emails)s", emails=", ".join(result.already_invited)), "info")
            return redirect(url_for(".outbox_state", slug=slug, batch=result.batch))
    return render_invitations(event, form=forms.InvitationForm(prefix="one", formdata=None), upload=upload,
                              problems=problems, status=422)


# ---------------------------------------------------------------- outgoing mail

@bp.route("/outbox/")
@organiser_required
def outbox_state(slug):
    event = managed_event_or_abort(slug)
    batch = request.args.get("batch") or None
    counts = outbox.state_counts(event.id, batch)
    waiting = counts[OutboxState.QUEUED] + counts[OutboxState.SENDING]
    return render_template("registration/manage/outbox.html", event=event, counts=counts,
                           failed=listing.failed_messages(event), batch=batch, waiting=waiting,
                           total=sum(counts.values()), confirm=forms.FlaskForm(), outbox_states=OutboxState,
                           refresh=bool(batch and waiting))


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@organiser_required
def retry_message(slug, message_id):
    event = managed_event_or_abort(slug)
    row = owned_or_404(OutboxMessage, message_id, owner_column="event_id", owner_id=event.id)
    if row.state is not OutboxState.FAILED:
        abort(404)  # only a failed message is sent again
    if forms.FlaskForm().validate_on_submit():
        outbox.retry(row)
        db.session.commit()
        flash(_("The message will be sent again."), "success")
    return redirect(url_for(".outbox_state", slug=slug))
