"""Organiser pages of an event's programme: its stages, its sessions and their speakers."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from conference.core.access import organiser_required
from conference.core.forms import REFUSED, attempt, options
from conference.core.loading import get_or_404
from conference.core.hooks import flash_notices
from conference.core.timeutil import local_naive, utcnow
from conference.events import forms, services
from conference.events.forms import person_choices
from conference.events.loading import managed_event_or_abort, owned_or_404
from conference.events.manage import bp
from conference.events.manage.common import confirm_delete, render_form
from conference.events.models import Event, Person, Session, SpeakerRole, Stage


# ---------------------------------------------------------------- stages

@bp.route("/events/<slug>/stages/new", methods=["GET", "POST"])
@bp.route("/events/<slug>/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@organiser_required
def stage_form(slug, stage_id=None):
    event = managed_event_or_abort(slug)
    stage = owned_or_404(Stage, stage_id, event) if stage_id else None
    form = forms.StageForm(obj=stage)
    if form.validate_on_submit():
        if attempt(form, lambda: services.save_stage(event, stage, form.name.data)) is not REFUSED:
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
        saved = attempt(form, lambda: services.put_session(event, session, form.details(event.timezone), now=utcnow()))
        if saved is not REFUSED:
            target, notices = saved
            flash(_("The session was saved."), "success")
            flash_notices(notices)
            if session is None:
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


# ---------------------------------------------------------------- speakers

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
        if attempt(form, lambda: services.add_speaker(session, person, SpeakerRole(form.role.data))) is not REFUSED:
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
    if action == "remove":
        attempt(None, lambda: services.remove_speaker(session, link_id))
    else:
        attempt(None, lambda: services.move_speaker(session, link_id, -1 if action == "up" else 1))
    return redirect(url_for(".session_form", slug=slug, session_id=session.id) + "#speakers")
