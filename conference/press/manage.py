"""Organiser and press officer pages: the review queue, stream settings, the broadcast, who watched."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from conference.core.access import can_manage_event
from conference.core.forms import ConfirmForm, show_refusal
from conference.core.loading import owned_or_404
from conference.core.timeutil import utcnow
from conference.events.loading import event_for_press_review_or_abort, managed_event_or_abort
from conference.events.models import Event
from conference.extensions import db
from conference.press import broadcasts, forms, services
from conference.press.labels import STREAM_AUDIENCE
from conference.press.models import BroadcastAction, PressRequest, PressRequestState, StreamAudience

bp = Blueprint("press_manage", __name__)


@bp.route("/")
@login_required
def review_queue(slug):
    event = event_for_press_review_or_abort(slug)
    state = request.args.get("state", "pending")
    query = select(PressRequest).where(PressRequest.event_id == event.id)
    if state in {s.value for s in PressRequestState}:
        query = query.where(PressRequest.state == PressRequestState(state))
    requests_ = db.session.scalars(query.order_by(PressRequest.created_at)).all()
    earlier = {r.id: services.earlier_requests_of_outlet(r) for r in requests_}
    return render_template("press/manage/queue.html", event=event, requests=requests_, earlier=earlier,
                           state=state, states=list(PressRequestState), deny_form=forms.DenyForm(),
                           confirm=ConfirmForm(), can_manage=can_manage_event(current_user, event))


@bp.route("/<int:request_id>/<any(approve, revoke):action>", methods=["POST"])
@login_required
def decide(slug, request_id, action):
    event = event_for_press_review_or_abort(slug)
    press_request = owned_or_404(PressRequest, request_id, owner_column="event_id", owner_id=event.id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == "approve":
            services.approve(press_request, user_id=current_user.id, now=utcnow())
            flash(_("%(name)s was approved and gets the link by e-mail.", name=press_request.name), "success")
        else:
            services.revoke(press_request, user_id=current_user.id, now=utcnow())
            flash(_("The link of %(name)s no longer works.", name=press_request.name), "success")
    except services.PressError as error:
        db.session.rollback()
        show_refusal(None, error)
    else:
        db.session.commit()
    return redirect(url_for(".review_queue", slug=slug, state=request.args.get("state", "pending")))


@bp.route("/<int:request_id>/deny", methods=["POST"])
@login_required
def deny(slug, request_id):
    event = event_for_press_review_or_abort(slug)
    press_request = owned_or_404(PressRequest, request_id, owner_column="event_id", owner_id=event.id)
    form = forms.DenyForm()
    if not form.validate_on_submit():
        flash(_("The message is too long: at most 2,000 characters."), "error")
        return redirect(url_for(".review_queue", slug=slug))
    try:
        services.deny(press_request, message=form.message.data or "", user_id=current_user.id, now=utcnow())
    except services.PressError as error:
        db.session.rollback()
        show_refusal(None, error)
    else:
        db.session.commit()
        flash(_("The request of %(name)s was denied.", name=press_request.name), "success")
    return redirect(url_for(".review_queue", slug=slug))


@bp.route("/approve", methods=["POST"])
@login_required
def bulk_approve(slug):
    event = event_for_press_review_or_abort(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    chosen = [int(value) for value in request.form.getlist("request") if value.isdigit()]
    approved = 0
    for request_id in chosen:
        press_request = owned_or_404(PressRequest, request_id, owner_column="event_id", owner_id=event.id)
        if press_request.state is PressRequestState.PENDING:
            services.approve(press_request, user_id=current_user.id, now=utcnow())
            approved += 1
    db.session.commit()
    flash(_("%(count)s requests were approved.", count=approved), "success" if approved else "info")
    return redirect(url_for(".review_queue", slug=slug))


# ---------------------------------------------------------------- the stream

def settings_form(event: Event) -> forms.StreamSettingsForm:
    settings = services.stream_of(event)
    form = forms.StreamSettingsForm(data={"stream_opens_minutes": settings.opens_minutes,
                                          "press_contact_email": settings.press_contact_email,
                                          "recording_url": settings.recording_url})
    form.stream_audience.choices = forms.audience_choices(STREAM_AUDIENCE)
    if request.method == "GET":
        form.stream_audience.data = settings.audience.value
    return form


@bp.route("/stream", methods=["GET", "POST"])
@login_required
def stream(slug):
    event = managed_event_or_abort(slug)
    form = settings_form(event)
    if request.method == "POST" and "stream_audience" in request.form and form.validate_on_submit():
        services.save_stream_settings(event, audience=StreamAudience(form.stream_audience.data),
                                      opens_minutes=form.stream_opens_minutes.data,
                                      press_contact_email=form.press_contact_email.data or "",
                                      recording_url=form.recording_url.data or "", user_id=current_user.id)
        db.session.commit()
        flash(_("The stream settings were saved."), "success")
        return redirect(url_for(".stream", slug=slug))
    return render_stream(event, form)


def render_stream(event, form, link_form=None, status=None):
    broadcast = broadcasts.of(event)
    errors = bool(form.errors or (link_form and link_form.errors))
    link_form = link_form or forms.LinkBroadcastForm()
    state = broadcasts.request_state(event, broadcast, utcnow())
    if state.refused_link and not link_form.errors:
        # YouTube's answer to the address the organiser gave, beside the field they gave it in
        link_form.broadcast.data = link_form.broadcast.data or state.refused_link.youtube_id
        show_refusal(link_form, broadcasts.StreamingProblem(state.refused_link.problem, field="broadcast"))
    return render_template(
        "press/manage/stream.html", event=event, stream=services.stream_of(event), form=form, link_form=link_form,
        broadcast=broadcast, problems=[str(broadcasts.StreamingProblem(code).message) for code in state.problems],
        asking=state.asking, outcome_unknown=state.outcome_unknown,
        connected=broadcasts.is_connected(), viewers=services.viewers(event),
        refused=services.refused_attempts(event), confirm=ConfirmForm(),
        opens_closes=services.window(event)), status or (422 if errors else 200)


@bp.route("/stream/broadcast", methods=["POST"])
@login_required
def link_broadcast(slug):
    """The worker asks YouTube for the broadcast; only an address that is none is refused at once."""
    event = managed_event_or_abort(slug)
    link_form = forms.LinkBroadcastForm()
    if link_form.validate_on_submit():
        try:
            services.ask_to_link(event, link_form.broadcast.data, user_id=current_user.id, now=utcnow())
        except broadcasts.StreamingProblem as problem:
            db.session.rollback()
            show_refusal(link_form, broadcasts.StreamingProblem(problem.code, field="broadcast"))
        else:
            db.session.commit()
            return redirect(url_for(".stream", slug=slug))
    return render_stream(event, settings_form(event), link_form, status=422)


@bp.route("/stream/broadcast/<any(create, refresh):action>", methods=["POST"])
@login_required
def change_broadcast(slug, action):
    """The worker creates the broadcast or reads its state; the Stream tab shows the request until it has."""
    event = managed_event_or_abort(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.ask_youtube(event, BroadcastAction(action), user_id=current_user.id, now=utcnow())
    except broadcasts.StreamingProblem as problem:
        db.session.rollback()
        show_refusal(None, problem)
    else:
        db.session.commit()
    return redirect(url_for(".stream", slug=slug))
