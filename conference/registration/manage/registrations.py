"""Organiser pages of an event's registrations: the list, changes by hand, the export, the statistics."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from conference.core.access import organiser_required
from conference.core.loading import owned_or_404
from conference.core.spreadsheet import csv_download
from conference.core.timeutil import utcnow
from conference.events.loading import managed_event_or_abort
from conference.extensions import db
from conference.registration import forms, listing, reports, services
from conference.registration.manage import bp
from conference.registration.models import Registration, RegistrationState

PAGE_SIZE = 100


@bp.route("/registrations/")
@organiser_required
def registration_list(slug):
    event = managed_event_or_abort(slug)
    state = request.args.get("state", "")
    search = request.args.get("q", "").strip()
    page = min(max(request.args.get("page", 1, type=int), 1), 100_000)
    rows, total = listing.page_of(listing.filtered_registrations(event, state, search), page, PAGE_SIZE)
    return render_template("registration/manage/list.html", event=event, registrations=rows,
                           counts=services.counts(event), seats_taken=services.seats_taken(event),
                           ranks=services.waitlist_ranks(event), state=state,
                           search=search, page=page, total=total, page_size=PAGE_SIZE, confirm=forms.FlaskForm(),
                           states=list(RegistrationState))


@bp.route("/registrations/new", methods=["GET", "POST"])
@organiser_required
def add_registration(slug):
    event = managed_event_or_abort(slug)
    form = forms.prepare(forms.ManualRegistrationForm())
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
    organisation, kind = forms.organisation_of(form)
    return services.Applicant(name=form.name.data, email=form.email.data, organisation=organisation,
                              organisation_name=form.organisation_name.data or "", organisation_kind=kind,
                              stakeholder_group=form.stakeholder_group.data or "", language=form.language.data)


@bp.route("/registrations/<int:registration_id>/<any(cancel, promote, resend):action>", methods=["POST"])
@organiser_required
def change_registration(slug, registration_id, action):
    event = managed_event_or_abort(slug)
    registration = owned_or_404(Registration, registration_id, owner_column="event_id", owner_id=event.id)
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


# ---------------------------------------------------------------- reports

@bp.route("/registrations.csv")
@organiser_required
def export(slug):
    event = managed_event_or_abort(slug)
    body = reports.export(event, request.args.get("state", ""), request.args.get("q", "").strip())
    db.session.commit()
    return csv_download(body, f"{event.slug}-registrations.csv")


@bp.route("/registrations/statistics")
@organiser_required
def statistics(slug):
    event = managed_event_or_abort(slug)
    numbers = reports.statistics(event, utcnow())
    return render_template("registration/manage/statistics.html", event=event, days=numbers.days,
                           kinds=numbers.kinds, over_time=numbers.over_time, by_kind=numbers.by_kind)
