"""Organiser routes of the programme: thin views over events.services."""

from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from conference.core import audit
from conference.core.hooks import flash_notices
from conference.core.forms import options
from conference.core.access import can_manage_event, managed_event_filter, organiser_required
from conference.core.timeutil import local_naive, to_utc, utcnow
from conference.events import forms, meetings, services
from conference.events.forms import organisation_choices, person_choices, series_choices
from conference.events.loading import managed_event_or_abort
from conference.events.models import (Appointment, Event, EventFormat, EventKind, EventSeries, Organisation,
                                      OrganisationKind, OrganiserRole, Person, RegistrationPolicy, Session,
                                      SessionKind, SpeakerRole, Stage)
from conference.extensions import db

bp = Blueprint("manage", __name__)


# ---------------------------------------------------------------- helpers

def owned_or_404(model, object_id: int, event: Event):
    obj = db.session.get(model, object_id)
    if obj is None or obj.event_id != event.id:
        abort(404)
    return obj


def get_or_404(model, object_id: int):
    return db.session.get(model, object_id) or abort(404)


def guard_shared_entry(usage: services.Usage) -> None:
    """Organisations, people and series are shared by events: change one only if every event it
    shows on is yours (or you organise all events), so nobody rewrites another organiser's page."""
    foreign = [e for e in services.events_affected(usage) if not can_manage_event(current_user, e)]
    if foreign:
        abort(Response(render_template("manage/not_yours.html", count=len(foreign)), 403))


def show_error(form, error: services.ProgrammeError) -> None:
    message = forms.PROGRAMME_ERRORS.get(error.message, error.message)
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [message]
    else:
        flash(message, "error")


def render_form(template: str, form, **context):
    return render_template(template, form=form, **context), 422 if form.errors else 200


# ---------------------------------------------------------------- dashboard

@bp.route("/")
@organiser_required
def dashboard():
    events = db.session.scalars(
        select(Event).where(managed_event_filter(current_user, Event)).order_by(Event.starts_at.desc()))
    return render_template("manage/dashboard.html", events=list(events), now=utcnow())


# ---------------------------------------------------------------- events

def event_form_to_model(form: forms.EventForm, event: Event) -> None:
    tz = form.timezone.data
    event.title = form.title.data.strip()
    event.slug = (form.slug.data or "").strip() or event.slug
    event.series_id = form.series_id.data or None
    event.kind = EventKind(form.kind.data)
    event.format = EventFormat(form.format.data)
    event.timezone = tz
    event.starts_at = to_utc(form.starts_at.data, tz)
    event.ends_at = to_utc(form.ends_at.data, tz)
    event.summary = form.summary.data or ""
    event.venue = form.venue.data or ""
    event.audience = form.audience.data or ""
    event.contact_name = form.contact_name.data or ""
    event.contact_email = (form.contact_email.data or "").strip()
    event.contact_phone = form.contact_phone.data or ""
    event.registration_policy = RegistrationPolicy(form.registration_policy.data)
    event.capacity = form.capacity.data
    event.registration_opens_at = to_utc(form.registration_opens_at.data, tz) if form.registration_opens_at.data else None
    event.registration_closes_at = to_utc(form.registration_closes_at.data, tz) if form.registration_closes_at.data else None
    event.published = bool(form.published.data)
    event.attendees_pick_sessions = bool(form.attendees_pick_sessions.data)


def event_model_to_form(event: Event, form: forms.EventForm) -> None:
    tz = event.timezone
    form.process(obj=event)
    form.kind.data = event.kind.value
    form.format.data = event.format.value
    form.registration_policy.data = event.registration_policy.value
    form.series_id.data = event.series_id or 0
    form.published.data = int(event.published)
    form.attendees_pick_sessions.data = event.attendees_pick_sessions
    form.starts_at.data = local_naive(event.starts_at, tz)
    form.ends_at.data = local_naive(event.ends_at, tz)
    form.registration_opens_at.data = local_naive(event.registration_opens_at, tz) if event.registration_opens_at else None
    form.registration_closes_at.data = local_naive(event.registration_closes_at, tz) if event.registration_closes_at else None


@bp.route("/events/new", methods=["GET", "POST"])
@organiser_required
def new_event():
    form = forms.EventForm()
    form.series_id.choices = series_choices()
    if form.validate_on_submit():
        event = Event()
        with db.session.no_autoflush:
            event_form_to_model(form, event)
            try:
                notices = services.save_event(event, created=True, now=utcnow(), creator=current_user)
            except services.ProgrammeError as error:
                db.session.rollback()
                show_error(form, error)
            else:
                db.session.commit()
                flash(_("The event was created."), "success")
                flash_notices(notices)
                return redirect(url_for(".event", slug=event.slug))
    elif request.method == "GET":
        form.timezone.data = "Europe/Stockholm"
        form.published.data = 0
    return render_form("manage/event_form.html", form, event=None)


@bp.route("/events/<slug>/")
@organiser_required
def event(slug):
    event = managed_event_or_abort(slug, programme=True)
    return render_template("manage/event.html", event=event,
                           organisation_form=organisation_link_form(),
                           hosts=services.hosts_first(event), confirm=forms.ConfirmForm())


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@organiser_required
def edit_event(slug):
    event = managed_event_or_abort(slug)
    form = forms.EventForm()
    form.series_id.choices = series_choices()
    if form.validate_on_submit():
        with db.session.no_autoflush:
            event_form_to_model(form, event)
            try:
                notices = services.save_event(event, created=False, now=utcnow())
            except services.ProgrammeError as error:
                db.session.rollback()
                show_error(form, error)
            else:
                db.session.commit()
                flash(_("The event was saved."), "success")
                flash_notices(notices)
                return redirect(url_for(".event", slug=event.slug))
    elif request.method == "GET":
        event_model_to_form(event, form)
    return render_form("manage/event_form.html", form, event=event)


@bp.route("/events/<slug>/delete", methods=["GET", "POST"])
@organiser_required
def delete_event(slug):
    event = managed_event_or_abort(slug)
    return confirm_delete(event, event.title, services.event_usage(event), "event.deleted",
                          cancel_url=url_for(".event", slug=slug), done_url=url_for(".dashboard"))


@bp.route("/events/<slug>/calendar-update", methods=["POST"])
@organiser_required
def send_calendar_update(slug):
    """The organiser asks: a change the rules call minor goes to every calendar all the same."""
    event = managed_event_or_abort(slug)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    notices = services.request_calendar_update(event, now=utcnow())
    db.session.commit()
    flash_notices(notices, "success")
    return redirect(url_for(".event", slug=slug))


@bp.route("/events/<slug>/cancel", methods=["GET", "POST"])
@organiser_required
def cancel_event(slug):
    event = managed_event_or_abort(slug)
    form = forms.ConfirmForm()
    if event.cancelled_at is None and form.validate_on_submit():
        notices = services.cancel_event(event, now=utcnow())
        db.session.commit()
        flash_notices(notices or [_("This event is cancelled.")], "success")
        return redirect(url_for(".event", slug=slug))
    return render_template("manage/cancel_event.html", event=event, form=form,
                           consequences=services.cancellation_consequences(event))


def confirm_delete(obj, name: str, usage: services.Usage, action: str, *, cancel_url: str, done_url: str):
    """Show what still uses the object and delete it only when the organiser confirms."""
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        services.delete(obj, action)
        db.session.commit()
        flash(_("“%(name)s” was deleted.", name=name), "success")
        return redirect(done_url)
    return render_template("manage/confirm_delete.html", form=form, name=name, usage=usage,
                           cancel_url=cancel_url)


# ---------------------------------------------------------------- organisers of an event

def organisation_link_form() -> forms.EventOrganisationForm:
    form = forms.EventOrganisationForm(prefix="org")
    form.organisation_id.choices = organisation_choices()
    return form


@bp.route("/events/<slug>/organisations", methods=["POST"])
@organiser_required
def link_organisation(slug):
    event = managed_event_or_abort(slug)
    form = organisation_link_form()
    if form.validate_on_submit():
        organisation = get_or_404(Organisation, form.organisation_id.data)
        try:
            services.link_organisation(event, organisation, OrganiserRole(form.role.data))
        except services.ProgrammeError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s was added to the event.", name=organisation.name), "success")
            return redirect(url_for(".event", slug=slug) + "#organisers")
    return render_template("manage/event.html", event=event, organisation_form=form,
                           hosts=services.hosts_first(event), confirm=forms.ConfirmForm()), 422


@bp.route("/events/<slug>/organisations/<int:link_id>/remove", methods=["POST"])
@organiser_required
def unlink_organisation(slug, link_id):
    event = managed_event_or_abort(slug)
    if forms.ConfirmForm().validate_on_submit():
        try:
            services.unlink_organisation(event, link_id)
        except services.ProgrammeError as error:
            flash(forms.PROGRAMME_ERRORS.get(error.message, error.message), "error")
        else:
            db.session.commit()
            flash(_("The organisation was removed from the event."), "success")
    return redirect(url_for(".event", slug=slug) + "#organisers")


# ---------------------------------------------------------------- stages

@bp.route("/events/<slug>/stages/new", methods=["GET", "POST"])
@bp.route("/events/<slug>/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@organiser_required
def stage_form(slug, stage_id=None):
    event = managed_event_or_abort(slug)
    stage = owned_or_404(Stage, stage_id, event) if stage_id else None
    form = forms.StageForm(obj=stage)
    if form.validate_on_submit():
        try:
            services.save_stage(event, stage, form.name.data)
        except services.ProgrammeError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The stage was saved."), "success")
            return redirect(url_for(".event", slug=slug) + "#stages")
    return render_form("manage/stage_form.html", form, event=event, stage=stage)


@bp.route("/events/<slug>/stages/<int:stage_id>/delete", methods=["GET", "POST"])
@organiser_required
def delete_stage(slug, stage_id):
    event = managed_event_or_abort(slug)
    stage = owned_or_404(Stage, stage_id, event)
    return confirm_delete(stage, stage.name, services.stage_usage(stage), "stage.deleted",
                          cancel_url=url_for(".event", slug=slug), done_url=url_for(".event", slug=slug))


# ---------------------------------------------------------------- sessions

def session_form_for(event: Event, session: Session | None, *, own_post: bool = True) -> forms.SessionForm:
    """The session form; own_post=False when the POST being handled belongs to another form on the page."""
    form = forms.SessionForm() if own_post else forms.SessionForm(formdata=None)
    form.timezone_name = event.timezone
    form.stage_id.choices = options([(0, _("— none —"))] + [(s.id, s.name) for s in event.stages])
    if request.method == "GET" or not own_post:
        if session is not None:
            form.process(formdata=None, obj=session)
            form.kind.data = session.kind.value
            form.stage_id.data = session.stage_id or 0
            form.starts_at.data = local_naive(session.starts_at, event.timezone)
            form.ends_at.data = local_naive(session.ends_at, event.timezone)
        else:
            # a new session starts where the last one ended, for an hour at most
            start = max((s.ends_at for s in event.sessions), default=event.starts_at)
            start = min(start, event.ends_at - timedelta(minutes=5))
            form.starts_at.data = local_naive(start, event.timezone)
            form.ends_at.data = local_naive(min(start + timedelta(hours=1), event.ends_at), event.timezone)
    return form


@bp.route("/events/<slug>/sessions/new", methods=["GET", "POST"])
@bp.route("/events/<slug>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@organiser_required
def session_form(slug, session_id=None):
    event = managed_event_or_abort(slug)
    session = owned_or_404(Session, session_id, event) if session_id else None
    form = session_form_for(event, session)
    if form.validate_on_submit():
        created = session is None
        target = session or Session()
        with db.session.no_autoflush:
            target.title = form.title.data.strip()
            target.kind = SessionKind(form.kind.data)
            target.starts_at = to_utc(form.starts_at.data, event.timezone)
            target.ends_at = to_utc(form.ends_at.data, event.timezone)
            target.stage = db.session.get(Stage, form.stage_id.data) if form.stage_id.data else None
            target.language = form.language.data
            target.abstract = form.abstract.data or ""
            try:
                notices = services.save_session(target, event, created=created, now=utcnow())
            except services.ProgrammeError as error:
                db.session.rollback()
                show_error(form, error)
            else:
                db.session.commit()
                flash(_("The session was saved."), "success")
                flash_notices(notices)
                if created:
                    return redirect(url_for(".session_form", slug=slug, session_id=target.id) + "#speakers")
                return redirect(url_for(".event", slug=slug) + "#sessions")
    return render_form("manage/session_form.html", form, event=event, session=session,
                       speaker_form=speaker_form() if session else None, confirm=forms.ConfirmForm())


@bp.route("/events/<slug>/sessions/<int:session_id>/delete", methods=["GET", "POST"])
@organiser_required
def delete_session(slug, session_id):
    event = managed_event_or_abort(slug)
    session = owned_or_404(Session, session_id, event)
    return confirm_delete(session, session.title, services.Usage(), "session.deleted",
                          cancel_url=url_for(".event", slug=slug), done_url=url_for(".event", slug=slug))


def speaker_form() -> forms.SpeakerForm:
    form = forms.SpeakerForm(prefix="speaker")
    form.person_id.choices = person_choices()
    return form


@bp.route("/events/<slug>/sessions/<int:session_id>/speakers", methods=["POST"])
@organiser_required
def add_speaker(slug, session_id):
    event = managed_event_or_abort(slug)
    session = owned_or_404(Session, session_id, event)
    form = speaker_form()
    if form.validate_on_submit():
        person = get_or_404(Person, form.person_id.data)
        try:
            services.add_speaker(session, person, SpeakerRole(form.role.data))
        except services.ProgrammeError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s was added to the session.", name=person.name), "success")
            return redirect(url_for(".session_form", slug=slug, session_id=session.id) + "#speakers")
    session_form_ = session_form_for(event, session, own_post=False)
    return render_template("manage/session_form.html", form=session_form_, event=event, session=session,
                           speaker_form=form, confirm=forms.ConfirmForm()), 422


@bp.route("/events/<slug>/sessions/<int:session_id>/speakers/<int:link_id>/<any(up, down, remove):action>",
          methods=["POST"])
@organiser_required
def change_speaker(slug, session_id, link_id, action):
    event = managed_event_or_abort(slug)
    session = owned_or_404(Session, session_id, event)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == "remove":
            services.remove_speaker(session, link_id)
        else:
            services.move_speaker(session, link_id, -1 if action == "up" else 1)
    except services.ProgrammeError as error:
        flash(forms.PROGRAMME_ERRORS.get(error.message, error.message), "error")
    else:
        db.session.commit()
    return redirect(url_for(".session_form", slug=slug, session_id=session.id) + "#speakers")


# ---------------------------------------------------------------- series

@bp.route("/series/")
@organiser_required
def series_list():
    series = db.session.scalars(select(EventSeries).order_by(EventSeries.name))
    return render_template("manage/series_list.html", series=list(series))


@bp.route("/series/new", methods=["GET", "POST"])
@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@organiser_required
def series_form(series_id=None):
    series = get_or_404(EventSeries, series_id) if series_id else None
    if series is not None:
        guard_shared_entry(services.series_usage(series))
    form = forms.SeriesForm(obj=series)
    if form.validate_on_submit():
        slug = form.slug.data or services.unique_slug(EventSeries, form.name.data,
                                                       exclude_id=series.id if series else None)
        if services.slug_taken(EventSeries, slug, series.id if series else None):
            form.slug.errors.append(_("Another series already has this address."))
        else:
            if series is None:
                series = EventSeries()
                db.session.add(series)
            series.name = form.name.data.strip()
            series.slug = slug
            series.description = form.description.data or ""
            audit.record("series.saved", series)
            db.session.commit()
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
            rule = form.rule_given() and not listed
            days = (meetings.dates_by_rule(form.first_date.data, form.interval_weeks.data, form.count.data)
                    if rule else listed)
            try:
                series = meetings.create_series(plan, days, interval_weeks=form.interval_weeks.data if rule else None,
                                                creator=current_user)
            except services.ProgrammeError as error:
                db.session.rollback()
                show_error(form, error)
            else:
                db.session.commit()
                flash(_("The series and its meetings were created. Now invite the participants."), "success")
                return redirect(url_for("series_invitations.invitations", series_id=series.id))
    return render_form("manage/meeting_series_form.html", form)


@bp.route("/series/<int:series_id>/delete", methods=["GET", "POST"])
@organiser_required
def delete_series(series_id):
    series = get_or_404(EventSeries, series_id)
    guard_shared_entry(services.series_usage(series))
    return confirm_delete(series, series.name, services.series_usage(series), "series.deleted",
                          cancel_url=url_for(".series_list"), done_url=url_for(".series_list"))


# ---------------------------------------------------------------- people and appointments

@bp.route("/people/")
@organiser_required
def people():
    query = select(Person).order_by(Person.name)
    search = request.args.get("q", "").strip()
    if search:
        query = query.where(Person.name.ilike(f"%{search}%"))
    return render_template("manage/people.html", people=list(db.session.scalars(query)), search=search,
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
        created = person is None
        if created:
            person = Person()
            db.session.add(person)
        person.name = form.name.data.strip()
        person.bio = form.bio.data or ""
        audit.record("person.saved", person)
        db.session.commit()
        flash(_("%(name)s was saved.", name=person.name), "success")
        if created:
            return redirect(url_for(".person_form", person_id=person.id) + "#appointments")
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
        appointment = Appointment(title=form.title.data.strip(),
                                  organisation_id=form.organisation_id.data or None,
                                  valid_from=form.valid_from.data, valid_to=form.valid_to.data)
        try:
            with db.session.no_autoflush:
                services.add_appointment(person, appointment)
        except services.ProgrammeError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The appointment was added."), "success")
            return redirect(url_for(".person_form", person_id=person.id) + "#appointments")
    return render_template("manage/person_form.html", form=forms.PersonForm(formdata=None, obj=person), person=person,
                           appointment_form=form, confirm=forms.ConfirmForm()), 422


@bp.route("/people/<int:person_id>/appointments/<int:appointment_id>/delete", methods=["POST"])
@organiser_required
def delete_appointment(person_id, appointment_id):
    appointment = get_or_404(Appointment, appointment_id)
    if appointment.person_id != person_id:
        abort(404)
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
    guard_shared_entry(services.person_usage(person))
    return confirm_delete(person, person.name, services.person_usage(person), "person.deleted",
                          cancel_url=url_for(".people"), done_url=url_for(".people"))


# ---------------------------------------------------------------- organisations

@bp.route("/organisations/")
@organiser_required
def organisations():
    organisations_ = db.session.scalars(select(Organisation).order_by(Organisation.name))
    return render_template("manage/organisations.html", organisations=list(organisations_))


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
        own_id = organisation.id if organisation else None
        slug = form.slug.data or services.unique_slug(Organisation, form.name.data, exclude_id=own_id)
        number = form.registry_number.parsed
        if services.slug_taken(Organisation, slug, own_id):
            form.slug.errors.append(_("Another organisation already has this address."))
        elif number and db.session.scalar(select(Organisation.id).where(
                Organisation.registry_number == number.normalised, Organisation.id != (own_id or 0))):
            form.registry_number.errors.append(_("Another organisation already has this number."))
        else:
            target = organisation or Organisation()
            with db.session.no_autoflush:
                target.name = form.name.data.strip()
                target.short_name = (form.short_name.data or "").strip()
                target.slug = slug
                target.kind = OrganisationKind(form.kind.data)
                target.registry_number = number.normalised if number else None
                target.country = number.country if number else None
                target.website = (form.website.data or "").strip()
                upload = form.logo.data
                try:
                    if upload and getattr(upload, "filename", ""):
                        services.set_logo(target, upload.read(), max_bytes=current_app.config["LOGO_MAX_BYTES"],
                                          now=utcnow())
                except services.ProgrammeError as error:
                    db.session.rollback()
                    show_error(form, error)
                else:
                    if organisation is None:
                        db.session.add(target)
                    audit.record("organisation.saved", target)
                    db.session.commit()
                    flash(_("%(name)s was saved.", name=target.name), "success")
                    return redirect(url_for(".organisations"))
    return render_form("manage/organisation_form.html", form, organisation=organisation)


@bp.route("/organisations/<int:organisation_id>/delete", methods=["GET", "POST"])
@organiser_required
def delete_organisation(organisation_id):
    organisation = get_or_404(Organisation, organisation_id)
    guard_shared_entry(services.organisation_usage(organisation))
    return confirm_delete(organisation, organisation.name, services.organisation_usage(organisation),
                          "organisation.deleted", cancel_url=url_for(".organisations"),
                          done_url=url_for(".organisations"))
