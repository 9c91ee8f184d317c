"""Organiser pages of a process: its page, phases, documents, news, meetings, and the next cycle."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from conference.consultation import forms, services
from conference.consultation.models import Document, NewsItem, Phase, PhaseKind, Process
from conference.core import audit
from conference.core.access import organises_all_events
from conference.core.forms import ConfirmForm, options
from conference.core.timeutil import local_naive, to_utc, utcnow
from conference.events.forms import PROGRAMME_ERRORS
from conference.events.models import Event
from conference.events.services import ProgrammeError, slug_taken, unique_slug
from conference.extensions import db

bp = Blueprint("process_manage", __name__)
NEWS_TIMEZONE = "Europe/Stockholm"


@bp.before_request
@login_required
def organisers_of_every_event_only():
    """A process spans meetings of several organisers: it is kept by those who organise all events."""
    if not organises_all_events(current_user):
        abort(403)


def process_or_404(process_id: int) -> Process:
    return db.session.get(Process, process_id) or abort(404)


def show_error(form, error: ProgrammeError) -> None:
    message = PROGRAMME_ERRORS.get(error.message, error.message)
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [message]
    else:
        flash(message, "error")


@bp.route("/")
def process_list():
    processes = db.session.scalars(select(Process).order_by(Process.created_at.desc())).all()
    return render_template("consultation/manage/list.html", processes=processes)


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:process_id>/edit", methods=["GET", "POST"])
def process_form(process_id=None):
    process = process_or_404(process_id) if process_id else None
    form = forms.ProcessForm(obj=process)
    if form.validate_on_submit():
        if form.slug.data and slug_taken(Process, form.slug.data, process.id if process else None):
            form.slug.errors.append(_("Another process already has this address."))
        else:
            target = process or Process()
            target.title = form.title.data
            target.slug = form.slug.data or (target.slug or unique_slug(Process, form.title.data))
            target.summary = form.summary.data or ""
            target.topics = form.topics.data or ""
            target.published = form.published.data
            db.session.add(target)
            audit.record("process.saved", target)
            db.session.commit()
            flash(_("The process was saved."), "success")
            return redirect(url_for(".overview", process_id=target.id))
    return render_template("consultation/manage/form.html", form=form, process=process), 422 if form.errors else 200


def meeting_form() -> forms.LinkMeetingForm:
    form = forms.LinkMeetingForm(prefix="meeting")
    unlinked = db.session.scalars(select(Event).where(Event.process_id.is_(None)).order_by(Event.starts_at.desc()))
    form.event_id.choices = options((e.id, e.title) for e in unlinked)
    return form


def render_overview(process, *, phase=None, document=None, news=None, meeting=None, copy=None, status=200):
    phase = phase or forms.PhaseForm(prefix="phase")
    document = document or forms.DocumentForm(prefix="document")
    news = news or forms.NewsForm(prefix="news")
    if request.method == "GET":
        document.published_on.data = utcnow().date()
        news.published_at.data = local_naive(utcnow(), NEWS_TIMEZONE).replace(second=0, microsecond=0)
    return render_template("consultation/manage/overview.html", process=process, phase_form=phase,
                           document_form=document, news_form=news, meeting_form=meeting or meeting_form(),
                           copy_form=copy or forms.CopyCycleForm(prefix="copy"), confirm=ConfirmForm(),
                           meetings=services.meetings(process, published_only=False)), status


@bp.route("/<int:process_id>/")
def overview(process_id):
    return render_overview(process_or_404(process_id))


@bp.route("/<int:process_id>/phases", methods=["POST"])
def add_phase(process_id):
    process = process_or_404(process_id)
    form = forms.PhaseForm(prefix="phase")
    if form.validate_on_submit():
        phase = Phase(process_id=process.id, kind=PhaseKind(form.kind.data), title=form.title.data,
                      starts_on=form.starts_on.data, ends_on=form.ends_on.data)
        try:
            services.check_phase(phase)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            db.session.add(phase)
            audit.record("process.phase_added", process, title=phase.title)
            db.session.commit()
            return redirect(url_for(".overview", process_id=process.id) + "#phases")
    return render_overview(process, phase=form, status=422)


@bp.route("/<int:process_id>/documents", methods=["POST"])
def add_document(process_id):
    process = process_or_404(process_id)
    form = forms.DocumentForm(prefix="document")
    if form.validate_on_submit():
        services.add_document(process, Document(title=form.title.data, url=form.url.data or "",
                                                body=form.body.data or "", published_on=form.published_on.data))
        db.session.commit()
        return redirect(url_for(".overview", process_id=process.id) + "#documents")
    return render_overview(process, document=form, status=422)


@bp.route("/<int:process_id>/news", methods=["POST"])
def add_news(process_id):
    process = process_or_404(process_id)
    form = forms.NewsForm(prefix="news")
    if form.validate_on_submit():
        item = NewsItem(process_id=process.id, title=form.title.data, body=form.body.data,
                        published_at=to_utc(form.published_at.data, NEWS_TIMEZONE), author_id=current_user.id)
        db.session.add(item)
        audit.record("process.news_added", process, title=item.title)
        db.session.commit()
        flash(_("The news was saved."), "success")
        return redirect(url_for(".overview", process_id=process.id) + "#news")
    return render_overview(process, news=form, status=422)


@bp.route("/<int:process_id>/meetings", methods=["POST"])
def link_meeting(process_id):
    process = process_or_404(process_id)
    form = meeting_form()
    if form.validate_on_submit():
        event = db.session.get(Event, form.event_id.data) or abort(404)
        event.process_id = process.id
        audit.record("process.meeting_linked", process, event_id=event.id)
        db.session.commit()
        return redirect(url_for(".overview", process_id=process.id) + "#meetings")
    return render_overview(process, meeting=form, status=422)


@bp.route("/<int:process_id>/<any(phases, documents, news, meetings):kind>/<int:item_id>/remove", methods=["POST"])
def remove(process_id, kind, item_id):
    process = process_or_404(process_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    model = {"phases": Phase, "documents": Document, "news": NewsItem, "meetings": Event}[kind]
    item = db.session.get(model, item_id)
    if item is None or item.process_id != process.id:
        abort(404)
    if kind == "meetings":
        item.process_id = None  # the meeting stays; it only leaves the process
        # its topic was a proposal of that process: it goes too
        item.topic_proposal_id = None
        item.topic_proposal = None
    else:
        db.session.delete(item)
    audit.record(f"process.{kind}_removed", process, item_id=item_id)
    db.session.commit()
    return redirect(url_for(".overview", process_id=process.id) + f"#{kind}")


@bp.route("/<int:process_id>/copy", methods=["POST"])
def copy_cycle(process_id):
    process = process_or_404(process_id)
    form = forms.CopyCycleForm(prefix="copy")
    if form.validate_on_submit():
        try:
            copy = services.copy_cycle(process, title=form.title.data, offset=timedelta(days=form.offset_days.data),
                                       user_id=current_user.id)
        except ProgrammeError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The next cycle was created as a draft, with its meetings unpublished."), "success")
            return redirect(url_for(".overview", process_id=copy.id))
    return render_overview(process, copy=form, status=422)


def _register_routes() -> None:
    from conference.consultation import proposal_manage  # noqa: F401


_register_routes()
