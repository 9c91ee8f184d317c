"""Organiser pages of events: the dashboard, an event's page and form, deleting, cancelling, its organisers."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from conference.core.access import organiser_required
from conference.core.forms import REFUSED, attempt
from conference.core.hooks import flash_notices
from conference.core.loading import get_or_404
from conference.core.timeutil import local_naive, utcnow
from conference.events import forms, services
from conference.events.forms import organisation_choices, series_choices
from conference.events.loading import managed_event_or_abort
from conference.events.manage import bp
from conference.events.manage.common import confirm_delete, render_form
from conference.events.models import Event, Organisation, OrganiserRole
from conference.extensions import db


@bp.route("/")
@organiser_required
def dashboard():
    return render_template("manage/dashboard.html", events=services.events_managed_by(current_user), now=utcnow())


# ---------------------------------------------------------------- events

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
    return event_form(None)


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
    return event_form(managed_event_or_abort(slug))


def event_form(event: Event | None):
    """The form of a new event (`event` None) or of one to change; a valid POST saves it and says what followed."""
    form = forms.EventForm()
    form.series_id.choices = series_choices()
    if form.validate_on_submit():
        saved = attempt(form, lambda: save_event(event, form.details()))
        if saved is not REFUSED:
            target, notices = saved
            flash(_("The event was created.") if event is None else _("The event was saved."), "success")
            flash_notices(notices)
            return redirect(url_for(".event", slug=target.slug))
    elif request.method == "GET" and event is not None:
        event_model_to_form(event, form)
    elif request.method == "GET":  # a new event
        form.timezone.data = "Europe/Stockholm"
        form.published.data = 0
    return render_form("manage/event_form.html", form, event=event)


def save_event(event: Event | None, details: services.EventDetails) -> tuple[Event, list[str]]:
    """Create the event (`event` None) or change it; returns it and the other features' notices."""
    if event is None:
        return services.create_event(details, now=utcnow(), creator=current_user)
    return event, services.change_event(event, details, now=utcnow())


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
        linked = attempt(form, lambda: services.link_organisation(event, organisation, OrganiserRole(form.role.data)))
        if linked is not REFUSED:
            flash(_("%(name)s was added to the event.", name=organisation.name), "success")
            return redirect(url_for(".event", slug=slug) + "#organisers")
    return render_template("manage/event.html", event=event, organisation_form=form,
                           hosts=services.hosts_first(event), confirm=forms.ConfirmForm()), 422


@bp.route("/events/<slug>/organisations/<int:link_id>/remove", methods=["POST"])
@organiser_required
def unlink_organisation(slug, link_id):
    event = managed_event_or_abort(slug)
    if forms.ConfirmForm().validate_on_submit():
        if attempt(None, lambda: services.unlink_organisation(event, link_id)) is not REFUSED:
            flash(_("The organisation was removed from the event."), "success")
    return redirect(url_for(".event", slug=slug) + "#organisers")
