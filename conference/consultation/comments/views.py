"""Public pages of written feedback: the comment form for participants and, where allowed, anyone.

Participants reach their form through their personal links, which say who is writing; the public
form asks for a name and an address and is there only where the organisers opened the window to
anyone. Whatever the way in, the window's times and audience are the service's to decide.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import get_locale

from conference.consultation.comments import services as comments
from conference.consultation.comments.forms import CommentForm, PublicCommentForm
from conference.consultation.uploads import allow_larger_posts
from conference.core.forms import show_refusal
from conference.core.timeutil import utcnow
from conference.events.loading import public_event_or_404
from conference.extensions import db, limiter
from conference.registration import invitations
from conference.registration import services as registrations
from conference.registration.models import Invitation, Registration

bp = Blueprint("comments", __name__)

FORM = "consultation/comments/form.html"
# Room for an attachment well over its limit (5 MB) beside the text: such a file still reaches the form,
# which says why beside the attachment field and keeps the comment, instead of the bare "too large" page.
COMMENT_REQUEST_MAX_BYTES = 16 * 1024 * 1024
allow_larger_posts(bp, dict.fromkeys(("comments.registration_feedback", "comments.invitation_feedback",
                                      "comments.public_feedback"), COMMENT_REQUEST_MAX_BYTES))
# who holds a personal link to the form
Holder = TypeVar("Holder", Registration, Invitation)


@bp.app_template_global()
def feedback_phase(window) -> str:
    """"not_yet_open", "open" or "closed" for the meeting's feedback window, now."""
    return comments.phase(window, utcnow()).value


@bp.app_template_global()
def registration_may_comment(registration) -> bool:
    return comments.registration_may_comment(registration)


def invalid_link() -> Response:
    return Response(render_template("registration/invalid_link.html"), status=404)


def window_or_refusal(event):
    """The meeting's window; a meeting without one answers 404 with a page that says it takes no comments."""
    window = comments.window_of(event)
    if window is None:
        abort(Response(render_template(FORM, event=event, window=None, refusal="no_window", form=None), status=404))
    return window


def comment_page(event, window, form, *, commenter: comments.Commenter | None, sent_url: str, **context):
    """The form, a refusal or, once sent, the way to the receipt: the same for every way in."""
    public = commenter is None
    now = utcnow()
    try:
        comments.check_accepting(window, now, public_form=public)
    except comments.FeedbackError as refusal:
        # a form sent too late (or where it is not taken) stores nothing, but the sender keeps the text
        posted = request.method == "POST"
        status = 403 if posted or refusal.code == "participants_only" else 200
        return render_template(FORM, event=event, window=window, refusal=refusal.code, form=None,
                               kept_text=request.form.get("body", "") if posted else "", **context), status
    if form.validate_on_submit():
        try:
            comments.submit_comment(window, commenter or commenter_from(form), body=form.body.data,
                                    attachment=form.checked_attachment, now=now, public_form=public)
        except comments.FeedbackError as error:
            db.session.rollback()
            if error.field:
                show_refusal(form, error)
            else:  # the deadline passed while the form was being checked
                return render_template(FORM, event=event, window=window, refusal=error.code, form=None,
                                       kept_text=form.body.data or "", **context), 403
        else:
            db.session.commit()
            return redirect(sent_url)
    elif public and form.website.errors:  # the honeypot: answer as if all went well, store nothing
        return redirect(sent_url)
    return render_template(FORM, event=event, window=window, form=form, refusal=None, commenter=commenter,
                           **context), 422 if form.errors else 200


def sent_page(event, *, email: str | None, back_url: str | None, again_url: str):
    """The receipt of a sent comment, the same for every way in; `email` is where the copy went, if anywhere."""
    return render_template("consultation/comments/sent.html", event=event, window=window_or_refusal(event),
                           email=email, back_url=back_url, again_url=again_url)


def commenter_from(form: PublicCommentForm) -> comments.Commenter:
    return comments.Commenter(name=form.name.data, email=form.email.data,
                              organisation_name=form.organisation_name.data or "", language=str(get_locale()))


# ---------------------------------------------------------------- through a personal link

def personal_comment_page(holder: Holder | None, commenter_of: Callable[[Holder], comments.Commenter], *,
                          back_url: str, sent_url: str):
    """The form behind a registration's or an invitation's personal link: its holder is who writes."""
    if holder is None:
        return invalid_link()
    event = holder.event
    window = window_or_refusal(event)
    try:
        commenter = commenter_of(holder)
    except comments.FeedbackError as refusal:
        return render_template(FORM, event=event, window=window, refusal=refusal.code, form=None,
                               back_url=back_url), 403
    return comment_page(event, window, CommentForm(), commenter=commenter, back_url=back_url, sent_url=sent_url)


def personal_sent_page(holder: Holder | None, *, back_url: str, again_url: str):
    """The receipt behind a personal link; the copy went to its holder's address."""
    if holder is None:
        return invalid_link()
    return sent_page(holder.event, email=holder.email, back_url=back_url, again_url=again_url)


@bp.route("/r/<token>/feedback", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def registration_feedback(token):
    return personal_comment_page(registrations.by_manage_token(token), comments.commenter_for_registration,
                                 back_url=url_for("registration.manage", token=token),
                                 sent_url=url_for(".registration_feedback_sent", token=token))


@bp.route("/r/<token>/feedback/sent")
def registration_feedback_sent(token):
    return personal_sent_page(registrations.by_manage_token(token),
                              back_url=url_for("registration.manage", token=token),
                              again_url=url_for(".registration_feedback", token=token))


@bp.route("/invitations/<token>/feedback", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def invitation_feedback(token):
    return personal_comment_page(invitations.by_token(token), comments.commenter_for_invitation,
                                 back_url=url_for("registration.invitation", token=token),
                                 sent_url=url_for(".invitation_feedback_sent", token=token))


@bp.route("/invitations/<token>/feedback/sent")
def invitation_feedback_sent(token):
    return personal_sent_page(invitations.by_token(token),
                              back_url=url_for("registration.invitation", token=token),
                              again_url=url_for(".invitation_feedback", token=token))


# ---------------------------------------------------------------- the public form

@bp.route("/events/<slug>/feedback", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per hour", methods=["POST"])
def public_feedback(slug):
    event = public_event_or_404(slug)
    window = window_or_refusal(event)
    return comment_page(event, window, PublicCommentForm(), commenter=None,
                        sent_url=url_for(".public_feedback_sent", slug=slug))


@bp.route("/events/<slug>/feedback/sent")
def public_feedback_sent(slug):
    return sent_page(public_event_or_404(slug), email=None, back_url=None,
                     again_url=url_for(".public_feedback", slug=slug))
