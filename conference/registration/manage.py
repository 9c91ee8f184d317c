"""Organiser pages of registration: the list, changes by hand, invitations, the outbox."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from conference.core.access import organiser_required
from conference.core.timeutil import utcnow
from conference.events.loading import managed_event_or_abort
from conference.events.models import Event
from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.models import OutboxMessage, OutboxState
from conference.registration import forms, invitations, services
from conference.registration.models import Invitation, InvitationState, Registration, RegistrationState
from conference.registration.views import organisation_of, prepare

bp = Blueprint("registrations", __name__)

PAGE_SIZE = 100
UPLOAD_MESSAGES = {
    "not_utf8": lambda: _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."),
    "empty": lambda: _("The file has no invitees."),
    "missing_columns": lambda: _("The first row must name the columns, with at least name and email."),
    "too_many_rows": lambda: _("The file has too many rows: at most 5,000 at a time."),
    "unreadable": lambda: _("The file cannot be read as CSV. Save it as “CSV UTF-8” and try again."),
    "bad_rows": lambda: _("Nobody was invited: correct the rows below and upload the file again."),
}
ROW_PROBLEMS = {
    "missing_name": lambda p: _("Row %(line)s: the name is missing.", line=p.line),
    "invalid_email": lambda p: _("Row %(line)s: “%(value)s” is not an e-mail address.", line=p.line, value=p.value),
    "duplicate_in_file": lambda p: _("Row %(line)s: %(value)s is in the file twice.", line=p.line, value=p.value),
    "too_long": lambda p: _("Row %(line)s: a value is too long.", line=p.line),
}


def registration_of(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


def filtered_registrations(event: Event, state: str, search: str):
    query = select(Registration).where(Registration.event_id == event.id)
    if state in {s.value for s in RegistrationState}:
        query = query.where(Registration.state == RegistrationState(state))
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(func.lower(Registration.name).like(pattern),
                                Registration.email_normalised.like(pattern),
                                func.lower(Registration.organisation_name).like(pattern)))
    order = (Registration.waitlist_position if state == RegistrationState.WAITLISTED.value
             else Registration.created_at)
    return query.order_by(order, Registration.id)


@bp.route("/registrations/")
@organiser_required
def registration_list(slug):
    event = managed_event_or_abort(slug)
    state = request.args.get("state", "")
    search = request.args.get("q", "").strip()
    page = min(max(request.args.get("page", 1, type=int), 1), 100_000)
    query = filtered_registrations(event, state, search)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return render_template("registration/manage/list.html", event=event, registrations=rows,
                           counts=services.counts(event), ranks=services.waitlist_ranks(event), state=state, search=search, page=page, total=total,
                           page_size=PAGE_SIZE, confirm=forms.FlaskForm(), states=list(RegistrationState))


@bp.route("/registrations/new", methods=["GET", "POST"])
@organiser_required
def add_registration(slug):
    event = managed_event_or_abort(slug)
    form = prepare(forms.ManualRegistrationForm())
    if form.validate_on_submit():
        applicant = applicant_from_manual(form)
        registration, created = services.register(
            event, applicant, now=utcnow(), consent_version="organiser", email_confirmed=True,
            added_by_user_id=current_user.id, check_window=False)
        db.session.commit()
        if created:
            flash(_("%(name)s was registered.", name=registration.name), "success")
        else:
            flash(_("%(email)s was registered already; the personal link was sent again.",
                    email=registration.email), "info")
        return redirect(url_for(".registration_list", slug=slug))
    return render_template("registration/manage/add.html", event=event, form=form), 422 if form.errors else 200


def applicant_from_manual(form) -> services.Applicant:
    organisation, kind = organisation_of(form)
    return services.Applicant(name=form.name.data, email=form.email.data, organisation=organisation,
                              organisation_name=form.organisation_name.data or "", organisation_kind=kind,
                              stakeholder_group=form.stakeholder_group.data or "", language=form.language.data)


@bp.route("/registrations/<int:registration_id>/<any(cancel, promote, resend):action>", methods=["POST"])
@organiser_required
def change_registration(slug, registration_id, action):
    event = managed_event_or_abort(slug)
    registration = registration_of(event, registration_id)
    if not forms.FlaskForm().validate_on_submit():
        abort(400)
    now = utcnow()
    try:
        if action == "cancel":
            if services.cancel(registration, now, by="organiser", user_id=current_user.id):
                flash(_("The registration of %(name)s was cancelled.", name=registration.name), "success")
        elif action == "promote":
            services.move_off_waitlist(registration, now, user_id=current_user.id)
            flash(_("%(name)s was given a place.", name=registration.name), "success")
        else:
            services.resend_link(registration)
            flash(_("The personal link was sent again to %(email)s.", email=registration.email), "success")
    except services.RegistrationError:
        db.session.rollback()
        flash(_("That is no longer possible: the registration has changed meanwhile."), "error")
    else:
        db.session.commit()
    return redirect(url_for(".registration_list", slug=slug))


# ---------------------------------------------------------------- invitations

@bp.route("/invitations/", methods=["GET", "POST"])
@organiser_required
def invitation_list(slug):
    event = managed_event_or_abort(slug)
    form = forms.InvitationForm(prefix="one")
    if form.validate_on_submit():
        try:
            invitations.invite(event, name=form.name.data, email=form.email.data,
                               organisation_name=form.organisation_name.data or "",
                               stakeholder_group=form.stakeholder_group.data or "", language=form.language.data,
                               user_id=current_user.id)
        except services.RegistrationError:
            db.session.rollback()
            form.email.errors.append(_("This address is invited already."))
        else:
            db.session.commit()
            flash(_("%(name)s was invited.", name=form.name.data), "success")
            return redirect(url_for(".invitation_list", slug=slug))
    return render_invitations(event, form=form, upload=forms.InvitationUploadForm(prefix="upload"))


def explain_refusal(upload, refused) -> list[str]:
    """The file's error beside the file field; each bad row's problem in a list under it."""
    upload.file.errors = [UPLOAD_MESSAGES[refused.code]()]
    return [ROW_PROBLEMS[p.code](p) for p in refused.problems]


def render_invitations(event, *, form, upload, problems=(), status=None):
    rows = db.session.scalars(select(Invitation).where(Invitation.event_id == event.id)
                              .order_by(Invitation.created_at.desc(), Invitation.id.desc())).all()
    answers = {state: sum(1 for i in rows if i.state is state) for state in InvitationState}
    errors = bool(form.errors or upload.errors or problems)
    return render_template("registration/manage/invitations.html", event=event, invitations=rows, form=form,
                           upload=upload, answers=answers, problems=problems,
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
            result = invitations.import_csv(event, data, language=upload.language.data, user_id=current_user.id)
        except invitations.UploadRefused as refused:
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
    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.event_id == event.id,
                                                            OutboxMessage.state == OutboxState.FAILED)
                                .order_by(OutboxMessage.id.desc()).limit(200)).all()
    waiting = counts[OutboxState.QUEUED] + counts[OutboxState.SENDING]
    total = sum(counts.values())
    return render_template("registration/manage/outbox.html", event=event, counts=counts, failed=failed,
                           batch=batch, waiting=waiting, total=total, confirm=forms.FlaskForm(), outbox_states=OutboxState,
                           refresh=bool(batch and waiting))


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@organiser_required
def retry_message(slug, message_id):
    event = managed_event_or_abort(slug)
    row = db.session.get(OutboxMessage, message_id)
    if row is None or row.event_id != event.id or row.state is not OutboxState.FAILED:
        abort(404)
    if forms.FlaskForm().validate_on_submit():
        outbox.retry(row)
        db.session.commit()
        flash(_("The message will be sent again."), "success")
    return redirect(url_for(".outbox_state", slug=slug))


# the check-in desk and the reports register their routes on this blueprint
from conference.registration import checkin, reports  # noqa: E402,F401
