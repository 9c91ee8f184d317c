"""Organiser pages of the shared register: series, meeting series, people and appointments, organisations.

Every event draws on the register, so a change is refused to an organiser if it would alter
the page of an event that is not theirs (see `guard_shared_entry`).
"""

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from conference.core import loading
from conference.core.access import organiser_required
from conference.core.forms import REFUSED, attempt, options
from conference.core.loading import get_or_404
from conference.core.timeutil import utcnow
from conference.events import forms, meetings, register, services
from conference.events.forms import organisation_choices
from conference.events.manage import bp
from conference.events.manage.common import delete_shared_entry, guard_shared_entry, render_form
from conference.events.models import (Appointment, EventFormat, EventKind, EventSeries, Organisation,
                                      OrganisationKind, Person)
from conference.extensions import db


# ---------------------------------------------------------------- series

@bp.route("/series/")
@organiser_required
def series_list():
    return render_template("manage/series_list.html", series=register.all_series())


@bp.route("/series/new", methods=["GET", "POST"])
@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@organiser_required
def series_form(series_id=None):
    series = get_or_404(EventSeries, series_id) if series_id else None
    if series is not None:
        guard_shared_entry(services.series_usage(series))
    form = forms.SeriesForm(obj=series)
    if form.validate_on_submit():
        saved = attempt(form, lambda: register.save_series(series, name=form.name.data, slug=form.slug.data or "",
                                                           description=form.description.data or ""))
        if saved is not REFUSED:
            flash(_("The series was saved."), "success")
            return redirect(url_for(".series_list"))
    return render_form("manage/series_form.html", form, series=series)


@bp.route("/series/meetings/new", methods=["GET", "POST"])
@organiser_required
def new_meeting_series():
    form = forms.MeetingSeriesForm()
    if request.method == "GET":
        form.timezone.data = "Europe/Stockholm"
        form.kind.data = EventKind.WORKSHOP.value
    if form.validate_on_submit():
        listed = form.listed_dates()
        if not form.dates.errors:
            plan = meetings.MeetingPlan(
                name=form.name.data, kind=EventKind(form.kind.data), format=EventFormat(form.format.data),
                timezone=form.timezone.data, starts_at_time=form.starts_at_time.data,
                duration=timedelta(minutes=form.duration_minutes.data), venue=form.venue.data or "",
                contact_name=form.contact_name.data or "", contact_email=form.contact_email.data or "",
                capacity=form.capacity.data, summary=form.summary.data or "")
            days, interval_weeks = meetings.meeting_days(listed, form.first_date.data, form.interval_weeks.data,
                                                         form.count.data)
            series = attempt(form, lambda: meetings.create_series(plan, days, interval_weeks=interval_weeks,
                                                                  creator=current_user))
            if series is not REFUSED:
                flash(_("The series and its meetings were created. Now invite the participants."), "success")
                return redirect(url_for("series_invitations.invitations", series_id=series.id))
    return render_form("manage/meeting_series_form.html", form)


@bp.route("/series/<int:series_id>/delete", methods=["GET", "POST"])
@organiser_required
def delete_series(series_id):
    series = get_or_404(EventSeries, series_id)
    return delete_shared_entry(series, series.name, services.series_usage(series), "series.deleted",
                               listed_at=url_for(".series_list"))


# ---------------------------------------------------------------- people and appointments

@bp.route("/people/")
@organiser_required
def people():
    search = request.args.get("q", "").strip()
    return render_template("manage/people.html", people=register.people(search), search=search,
                           current_appointment=services.appointment_on, today=utcnow().date())


def appointment_form() -> forms.AppointmentForm:
    form = forms.AppointmentForm(prefix="appointment")
    form.organisation_id.choices = options([(0, _("— none —"))]) + organisation_choices()
    return form


@bp.route("/people/new", methods=["GET", "POST"])
@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@organiser_required
def person_form(person_id=None):
    person = get_or_404(Person, person_id) if person_id else None
    if person is not None and request.method == "POST":
        guard_shared_entry(services.person_usage(person))
    form = forms.PersonForm(obj=person)
    if form.validate_on_submit():
        saved = register.save_person(person, name=form.name.data, bio=form.bio.data or "")
        db.session.commit()
        flash(_("%(name)s was saved.", name=saved.name), "success")
        if person is None:
            return redirect(url_for(".person_form", person_id=saved.id) + "#appointments")
        return redirect(url_for(".people"))
    return render_form("manage/person_form.html", form, person=person,
                       appointment_form=appointment_form() if person else None, confirm=forms.ConfirmForm())


@bp.route("/people/<int:person_id>/appointments", methods=["POST"])
@organiser_required
def add_appointment(person_id):
    person = get_or_404(Person, person_id)
    guard_shared_entry(services.person_usage(person))
    form = appointment_form()
    if form.validate_on_submit():
        added = attempt(form, lambda: register.add_appointment(
            person, title=form.title.data, organisation_id=form.organisation_id.data,
            valid_from=form.valid_from.data, valid_to=form.valid_to.data))
        if added is not REFUSED:
            flash(_("The appointment was added."), "success")
            return redirect(url_for(".person_form", person_id=person.id) + "#appointments")
    return render_template("manage/person_form.html", form=forms.PersonForm(formdata=None, obj=person), person=person,
                           appointment_form=form, confirm=forms.ConfirmForm()), 422


@bp.route("/people/<int:person_id>/appointments/<int:appointment_id>/delete", methods=["POST"])
@organiser_required
def delete_appointment(person_id, appointment_id):
    appointment = loading.owned_or_404(Appointment, appointment_id, owner_column="person_id", owner_id=person_id)
    guard_shared_entry(services.person_usage(appointment.person))
    if forms.ConfirmForm().validate_on_submit():
        services.delete(appointment, "appointment.deleted")
        db.session.commit()
        flash(_("The appointment was deleted."), "success")
    return redirect(url_for(".person_form", person_id=person_id) + "#appointments")


@bp.route("/people/<int:person_id>/delete", methods=["GET", "POST"])
@organiser_required
def delete_person(person_id):
    person = get_or_404(Person, person_id)
    return delete_shared_entry(person, person.name, services.person_usage(person), "person.deleted",
                               listed_at=url_for(".people"))


# ---------------------------------------------------------------- organisations

@bp.route("/organisations/")
@organiser_required
def organisations():
    return render_template("manage/organisations.html", organisations=register.organisations())


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@organiser_required
def organisation_form(organisation_id=None):
    organisation = get_or_404(Organisation, organisation_id) if organisation_id else None
    if organisation is not None and request.method == "POST":
        guard_shared_entry(services.organisation_usage(organisation))
    form = forms.OrganisationForm(obj=organisation)
    form.logo.description = _("PNG, JPEG or WebP, at most %(size)s KB and 2000 × 2000 pixels.",
                              size=current_app.config["LOGO_MAX_BYTES"] // 1024)
    if request.method == "GET" and organisation is not None:
        form.kind.data = organisation.kind.value
    if form.validate_on_submit():
        upload = form.logo.data
        saved = attempt(form, lambda: register.save_organisation(
            organisation, name=form.name.data, short_name=form.short_name.data or "", slug=form.slug.data or "",
            kind=OrganisationKind(form.kind.data), registry_number=form.registry_number.parsed,
            website=form.website.data or "",
            logo=upload.read() if upload and getattr(upload, "filename", "") else None,
            max_logo_bytes=current_app.config["LOGO_MAX_BYTES"], now=utcnow()))
        if saved is not REFUSED:
            flash(_("%(name)s was saved.", name=saved.name), "success")
            return redirect(url_for(".organisations"))
    return render_form("manage/organisation_form.html", form, organisation=organisation)


@bp.route("/organisations/<int:organisation_id>/delete", methods=["GET", "POST"])
@organiser_required
def delete_organisation(organisation_id):
    organisation = get_or_404(Organisation, organisation_id)
    return delete_shared_entry(organisation, organisation.name, services.organisation_usage(organisation),
                               "organisation.deleted", listed_at=url_for(".organisations"))
