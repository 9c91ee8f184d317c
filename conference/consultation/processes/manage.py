"""Organiser pages of a process: its page, phases, documents, news, meetings, and the next cycle.

Only those who organise every event keep a process (the blueprint's before_request).
"""

from collections.abc import Callable
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from conference.consultation.access import organisers_of_every_event_only
from conference.consultation.processes import forms, services
from conference.consultation.processes.models import Document, NewsItem, Phase, PhaseKind, Process, ProcessMeeting
from conference.consultation.processes.services import ProcessText
from conference.core.forms import REFUSED, ConfirmForm, attempt, options
from conference.core.loading import get_or_404, owned_or_404
from conference.core.timeutil import local_naive, to_utc, utcnow
from conference.events.models import Event
from conference.extensions import db

bp = Blueprint("processes_manage", __name__)
bp.before_request(organisers_of_every_event_only)

NEWS_TIMEZONE = "Europe/Stockholm"
# what the remove route may take out of a process, by the word in its address
REMOVABLE = {"phases": Phase, "documents": Document, "news": NewsItem, "meetings": ProcessMeeting}


@bp.route("/")
def process_list():
    return render_template("consultation/manage/list.html", processes=services.all_processes())


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:process_id>/edit", methods=["GET", "POST"])
def process_form(process_id=None):
    process = get_or_404(Process, process_id) if process_id else None
    form = forms.ProcessForm(obj=process)
    if form.validate_on_submit():
        saved = attempt(form, lambda: services.save_process(process, ProcessText(
            title=form.title.data, slug=form.slug.data, summary=form.summary.data or "",
            topics=form.topics.data or "", published=form.published.data)))
        if saved is not REFUSED:
            flash(_("The process was saved."), "success")
            return redirect(url_for(".overview", process_id=saved.id))
    return render_template("consultation/manage/form.html", form=form, process=process), 422 if form.errors else 200


def meeting_form() -> forms.LinkMeetingForm:
    form = forms.LinkMeetingForm(prefix="meeting")
    form.event_id.choices = options((e.id, e.title) for e in services.unlinked_meetings())
    return form


def render_overview(process, *, phases=None, documents=None, news=None, meetings=None, copy=None, status=200):
    """The overview with a form in each section (phases, documents, news, meetings, copy): the one given
    (posted, with its errors) and fresh ones for the rest."""
    phase_form = phases or forms.PhaseForm(prefix="phase")
    document_form = documents or forms.DocumentForm(prefix="document")
    news_form = news or forms.NewsForm(prefix="news")
    if request.method == "GET":
        document_form.published_on.data = utcnow().date()
        news_form.published_at.data = local_naive(utcnow(), NEWS_TIMEZONE).replace(second=0, microsecond=0)
    return render_template("consultation/manage/overview.html", process=process, phase_form=phase_form,
                           document_form=document_form, news_form=news_form,
                           meeting_form=meetings or meeting_form(),
                           copy_form=copy or forms.CopyCycleForm(prefix="copy"), confirm=ConfirmForm(),
                           meetings=services.meetings(process, published_only=False)), status


@bp.route("/<int:process_id>/")
def overview(process_id):
    return render_overview(get_or_404(Process, process_id))


def add_to_process(process: Process, section: str, form: FlaskForm, add: Callable[[], object], *,
                   done: str | None = None):
    """What the overview's form for `section` posted, added: then back to that section of the overview;
    invalid or refused, the overview again with the form and why."""
    if form.validate_on_submit() and attempt(form, add) is not REFUSED:
        if done:
            flash(done, "success")
        return redirect(url_for(".overview", process_id=process.id) + f"#{section}")
    return render_overview(process, status=422, **{section: form})


@bp.route("/<int:process_id>/phases", methods=["POST"])
def add_phase(process_id):
    process = get_or_404(Process, process_id)
    form = forms.PhaseForm(prefix="phase")
    return add_to_process(process, "phases", form, lambda: services.add_phase(process, Phase(
        process_id=process.id, kind=PhaseKind(form.kind.data), title=form.title.data,
        starts_on=form.starts_on.data, ends_on=form.ends_on.data)))


@bp.route("/<int:process_id>/documents", methods=["POST"])
def add_document(process_id):
    process = get_or_404(Process, process_id)
    form = forms.DocumentForm(prefix="document")
    return add_to_process(process, "documents", form, lambda: services.add_document(process, Document(
        title=form.title.data, url=form.url.data or "", body=form.body.data or "",
        published_on=form.published_on.data)))


@bp.route("/<int:process_id>/news", methods=["POST"])
def add_news(process_id):
    process = get_or_404(Process, process_id)
    form = forms.NewsForm(prefix="news")
    return add_to_process(process, "news", form, lambda: services.add_news(process, NewsItem(
        process_id=process.id, title=form.title.data, body=form.body.data,
        published_at=to_utc(form.published_at.data, NEWS_TIMEZONE), author_id=current_user.id)),
        done=_("The news was saved."))


@bp.route("/<int:process_id>/meetings", methods=["POST"])
def link_meeting(process_id):
    process = get_or_404(Process, process_id)
    form = meeting_form()
    return add_to_process(process, "meetings", form,
                          lambda: services.link_meeting(process, get_or_404(Event, form.event_id.data)))


@bp.route("/<int:process_id>/<any(phases, documents, news, meetings):kind>/<int:item_id>/remove", methods=["POST"])
def remove(process_id, kind, item_id):
    process = get_or_404(Process, process_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    item = owned_or_404(REMOVABLE[kind], item_id, owner_column="process_id", owner_id=process.id)
    services.remove_from_process(process, kind, item)
    db.session.commit()
    return redirect(url_for(".overview", process_id=process.id) + f"#{kind}")


@bp.route("/<int:process_id>/copy", methods=["POST"])
def copy_cycle(process_id):
    process = get_or_404(Process, process_id)
    form = forms.CopyCycleForm(prefix="copy")
    if form.validate_on_submit():
        copy = attempt(form, lambda: services.copy_cycle(process, title=form.title.data,
                                                         offset=timedelta(days=form.offset_days.data),
                                                         user_id=current_user.id))
        if copy is not REFUSED:
            flash(_("The next cycle was created as a draft, with its meetings unpublished."), "success")
            return redirect(url_for(".overview", process_id=copy.id))
    return render_overview(process, copy=form, status=422)
