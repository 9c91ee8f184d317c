"""Organiser pages of written feedback: the window, the comments, their export and the summary.

Every route checks the role on the event (organiser_required, then managed_event_or_abort).
"""

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from conference.consultation.comments import services as comments
from conference.consultation.comments.forms import SummaryForm, WindowForm
from conference.consultation.comments.models import FeedbackAudience, WrittenComment
from conference.core.access import organiser_required
from conference.core.forms import REFUSED, attempt
from conference.core.loading import one_or_404, owned_or_404
from conference.core.spreadsheet import csv_download
from conference.core.timeutil import local_naive, to_utc, utcnow
from conference.events.loading import managed_event_or_abort
from conference.extensions import db

bp = Blueprint("comments_manage", __name__)

PAGE = "consultation/comments/manage.html"
SUMMARY_SAVED = {
    "draft": lambda: _("The draft of the summary was saved. It is not public yet."),
    "published": lambda count: ngettext("The summary is published, and %(num)d participant will get it by e-mail.",
                                        "The summary is published, and %(num)d participants will get it by e-mail.",
                                        count),
    "corrected": lambda: _("The correction was saved on the meeting's page. Nobody was mailed again."),
}


def window_form(event, window, *, formdata=None) -> WindowForm:
    """The form bound to what was posted, or (formdata None) filled from the window."""
    form = WindowForm() if formdata else WindowForm(formdata=None)
    form.timezone_name = event.timezone
    if not formdata and window is not None:
        deadline = local_naive(window.closes_at, event.timezone)
        form.deadline_date.data = deadline.date()
        form.deadline_time.data = deadline.time()
        form.audience.data = window.audience.value
        form.instructions.data = window.instructions
    return form


def summary_form(window, *, formdata=None) -> SummaryForm:
    if formdata:
        return SummaryForm()
    return SummaryForm(formdata=None, data={"summary": window.summary if window else ""})


def render_page(event, window, *, form, summary, status=None):
    listed = comments.comments_of(window) if window else []
    errors = bool(form.errors or summary.errors)
    return render_template(PAGE, event=event, window=window, form=form, summary_form=summary, comments=listed,
                           phase=comments.phase(window, utcnow()).value if window else None,
                           opens_after_deadline=window is not None and window.closes_at <= event.ends_at,
                           ), status or (422 if errors else 200)


@bp.route("/feedback", methods=["GET", "POST"])
@organiser_required
def feedback_window(slug):
    event = managed_event_or_abort(slug)
    window = comments.window_of(event)
    form = window_form(event, window, formdata=request.method == "POST")
    if form.validate_on_submit():
        saved = attempt(form, lambda: comments.save_window(
            event, closes_at=to_utc(form.deadline(), event.timezone),
            audience=FeedbackAudience(form.audience.data), instructions=form.instructions.data or "",
            user_id=current_user.id))
        if saved is not REFUSED:
            window, created = saved
            flash(_("The window for written comments is open.") if created
                  else _("The changes to the window were saved."), "success")
            return redirect(url_for(".feedback_window", slug=slug))
    return render_page(event, window, form=form, summary=summary_form(window))


@bp.route("/feedback/summary", methods=["POST"])
@organiser_required
def feedback_summary(slug):
    event = managed_event_or_abort(slug)
    window = one_or_404(comments.window_query(event))
    form = summary_form(window, formdata=True)
    publish = request.form.get("action") == "publish"
    if form.validate_on_submit():
        saved = attempt(form, lambda: comments.save_summary(window, form.summary.data or "", publish=publish,
                                                            now=utcnow(), user_id=current_user.id))
        if saved is not REFUSED:
            outcome, mailed = saved
            flash(SUMMARY_SAVED["published"](mailed) if outcome == "published" else SUMMARY_SAVED[outcome](),
                  "success")
            return redirect(url_for(".feedback_window", slug=slug, _anchor="summary-heading"))
    return render_page(event, window, form=window_form(event, window), summary=form)


@bp.route("/feedback/comments.csv")
@organiser_required
def export_comments(slug):
    event = managed_event_or_abort(slug)
    window = one_or_404(comments.window_query(event))
    listed = comments.comments_of(window)
    body = comments.export_csv(window, listed)
    db.session.commit()
    return csv_download(body, f"{event.slug}-comments.csv")


@bp.route("/feedback/comments/<int:comment_id>/attachment")
@organiser_required
def comment_attachment(slug, comment_id):
    event = managed_event_or_abort(slug)
    window = one_or_404(comments.window_query(event))
    comment = owned_or_404(WrittenComment, comment_id, owner_column="window_id", owner_id=window.id)
    if comment.attachment is None:
        abort(404)
    response = send_file(io.BytesIO(comment.attachment), mimetype=comment.attachment_type, as_attachment=True,
                         download_name=comment.attachment_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "no-store"
    return response
