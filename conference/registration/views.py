"""The attendee's pages: register, confirm, see the ticket, change or cancel; answer an invitation."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from conference.calendars.responses import calendar_response
from conference.core.forms import show_refusal
from conference.core.timeutil import utcnow
from conference.core.tokens import grouped
from conference.events.loading import public_event_or_404
from conference.extensions import db, limiter
from conference.registration import forms, invitations, services, tickets
from conference.registration.agenda import agenda_feed
from conference.registration.mails import ics_for
from conference.registration.models import InvitationState, RegistrationState

bp = Blueprint("registration", __name__)


def applicant_from(form, email: str) -> services.Applicant:
    organisation, kind = forms.organisation_of(form)
    return services.Applicant(
        name=form.name.data, email=email, organisation=organisation,
        organisation_name=form.organisation_name.data or "", organisation_kind=kind,
        stakeholder_group=form.stakeholder_group.data or "",
        accessibility_needs=form.accessibility_needs.data, language=str(get_locale()),
        session_ids=form.sessions.data or [] if hasattr(form, "sessions") else [])


def registration_or_invalid(token: str):
    registration = services.by_manage_token(token)
    if registration is None:
        abort(Response(render_template("registration/invalid_link.html"), status=404))
    return registration


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def register(slug):
    event = public_event_or_404(slug)
    now = utcnow()
    try:
        services.check_open(event, now)
    except services.RegistrationError as error:
        return render_template("registration/closed.html", event=event, message=str(error.message)), 200
    form = forms.prepare(forms.RegistrationForm(), event)
    if form.validate_on_submit():
        try:
            services.register(event, applicant_from(form, form.email.data), now=now,
                              consent_version=current_app.config["PRIVACY_NOTICE_VERSION"])
        except services.RegistrationError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            return redirect(url_for(".registered", slug=slug))
    return render_template("registration/register.html", event=event, form=form,
                           full=services.is_full(event)), 422 if form.errors else 200


@bp.route("/events/<slug>/registered")
def registered(slug):
    event = public_event_or_404(slug)
    return render_template("registration/registered.html", event=event)


@bp.route("/r/<token>/confirm", methods=["GET", "POST"])
def confirm(token):
    registration = registration_or_invalid(token)
    form = forms.FlaskForm()
    if form.validate_on_submit():
        try:
            services.confirm_address(registration, utcnow())
        except services.RegistrationError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
        return redirect(url_for(".manage", token=token))
    if registration.email_confirmed_at is not None:
        return redirect(url_for(".manage", token=token))
    return render_template("registration/confirm.html", registration=registration, event=registration.event,
                           form=form)


@bp.route("/r/<token>", methods=["GET", "POST"])
def manage(token):
    registration = registration_or_invalid(token)
    form = forms.prepare(forms.DetailsForm(obj=registration), registration.event)
    if form.validate_on_submit():
        organisation, kind = forms.organisation_of(form)
        try:
            services.update_details(registration, name=form.name.data, organisation=organisation,
                                    organisation_name=form.organisation_name.data or "", organisation_kind=kind,
                                    stakeholder_group=form.stakeholder_group.data or "",
                                    accessibility_needs=form.accessibility_needs.data)
            if form.sessions.choices:
                services.change_picks(registration, form.sessions.data)
        except services.RegistrationError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Your details were saved."), "success")
            return redirect(url_for(".manage", token=token))
    elif not form.is_submitted():
        form.organisation_id.data = registration.organisation_id or 0
        form.organisation_kind.data = registration.organisation_kind.value if registration.organisation_kind else ""
        form.sessions.data = [s.id for s in services.picked_sessions(registration)]
        if registration.organisation_id:
            form.organisation_name.data = ""
    code = services.ticket_code(registration)
    show_ticket = registration.state is RegistrationState.CONFIRMED
    return render_template("registration/manage.html", registration=registration, event=registration.event,
                           form=form, token=token, ticket_code=grouped(code) if show_ticket else None,
                           qr=tickets.qr_data_uri(code) if show_ticket else None,
                           position_in_line=services.position_in_line(registration),
                           agenda_token=services.agenda_token(registration),
                           cancel_form=forms.FlaskForm()), 422 if form.errors else 200


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
def cancel(token):
    registration = registration_or_invalid(token)
    form = forms.FlaskForm()
    if form.validate_on_submit():
        services.cancel(registration, utcnow(), by="self")
        db.session.commit()
        flash(_("Your registration is cancelled."), "success")
        return redirect(url_for(".manage", token=token))
    return render_template("registration/cancel.html", registration=registration, event=registration.event,
                           form=form, token=token)


@bp.route("/r/<token>/event.ics")
def calendar_file(token):
    registration = registration_or_invalid(token)
    if registration.state is not RegistrationState.CONFIRMED:
        abort(404)
    response = Response(ics_for(registration, method="PUBLISH"), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{registration.event.slug}.ics"'
    return response


@bp.route("/agenda/<int:registration_id>/<token>.ics")
def agenda(registration_id, token):
    """The registrant's own feed, behind a token of its own: calendar services keep feed addresses,
    so it must not open the personal page. New secrets for the registration end it."""
    found = services.by_agenda_token(registration_id, token)
    file = agenda_feed(found) if found is not None else None
    if file is None:
        abort(404)
    return calendar_response(file, f"{found.event.slug}-agenda.ics", personal=True)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token):
    invite = invitations.by_token(token)
    if invite is None:
        return render_template("registration/invalid_link.html"), 404
    event = invite.event
    if invite.state is not InvitationState.INVITED:
        return render_template("registration/invitation_answered.html", invitation=invite, event=event, token=token)
    form = forms.prepare(forms.InvitationAnswerForm(), event)
    if not form.is_submitted():
        form.name.data = invite.name
        form.organisation_name.data = invite.organisation_name
        form.stakeholder_group.data = invite.stakeholder_group
    elif form.validate_on_submit():
        try:
            registration = invitations.accept(invite, applicant_from(form, invite.email), now=utcnow(),
                                              consent_version=current_app.config["PRIVACY_NOTICE_VERSION"])
        except services.RegistrationError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            return redirect(url_for(".manage", token=services.manage_token(registration)))
    return render_template("registration/invitation.html", invitation=invite, event=event, form=form,
                           decline_form=forms.FlaskForm(prefix="decline"), token=token), 422 if form.errors else 200


@bp.route("/invitations/<token>/decline", methods=["POST"])
def decline(token):
    invite = invitations.by_token(token)
    if invite is None:
        return render_template("registration/invalid_link.html"), 404
    if forms.FlaskForm(prefix="decline").validate_on_submit():
        try:
            invitations.decline(invite, now=utcnow())
        except services.RegistrationError as error:
            show_refusal(None, error)
        else:
            db.session.commit()
    return redirect(url_for(".invitation", token=token))


@bp.route("/privacy")
def privacy():
    return render_template("registration/privacy.html", version=current_app.config["PRIVACY_NOTICE_VERSION"])
