"""Public pages of press access: the request form and the watch page."""

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_timedelta, get_locale

from conference.core.timeutil import utcnow
from conference.events import services as events
from conference.events.loading import public_event_or_404
from conference.extensions import db, limiter
from conference.press import broadcasts, forms, services
from conference.press.models import StreamAudience, StreamSettings, ViewOutcome

bp = Blueprint("press", __name__)

PLAYER_ORIGIN = "https://www.youtube-nocookie.com"


@bp.route("/events/<slug>/press", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per hour", methods=["POST"])
def request_access(slug):
    event = public_event_or_404(slug)
    form = forms.PressRequestForm()
    if form.validate_on_submit():
        services.request_access(event, services.PressApplicant(
            name=form.name.data, outlet=form.outlet.data, email=form.email.data, phone=form.phone.data or "",
            note=form.note.data or "", language=str(get_locale())),
            now=utcnow(), consent_version=current_app.config["PRIVACY_NOTICE_VERSION"])
        db.session.commit()
        return redirect(url_for(".request_sent", slug=slug))
    if form.website.errors:  # the honeypot: answer as if all went well, store nothing
        return redirect(url_for(".request_sent", slug=slug))
    return render_template("press/request.html", event=event, form=form), 422 if form.errors else 200


@bp.route("/events/<slug>/press/sent")
def request_sent(slug):
    event = public_event_or_404(slug)
    return render_template("press/sent.html", event=event)


@bp.route("/watch/<token>")
def watch(token):
    now = utcnow()
    access, outcome = services.open_link(token, now)
    db.session.commit()  # the log of the attempt, whatever the outcome
    if outcome is not ViewOutcome.SHOWN:
        return render_template("press/dead_link.html", outcome=outcome.value), 404 if access is None else 410
    return watch_page(access.event, now)


@bp.route("/events/<slug>/watch")
def public_watch(slug):
    event = public_event_or_404(slug, programme=True)
    if services.stream_of(event).audience is not StreamAudience.EVERYONE:
        abort(404)
    return watch_page(event, utcnow())


def watch_page(event, now) -> Response:
    phase = services.phase(event, now)
    opens, closes = services.window(event)
    broadcast = broadcasts.of(event)
    player = phase is services.Phase.OPEN and broadcast is not None
    response = Response(render_template(
        "press/watch.html", event=event, stream=services.stream_of(event), phase=phase.value, opens=opens, closes=closes, now=now,
        broadcast=broadcast, on_now=services.on_now(event, now), show_player=player and "player" in request.args,
        player=player, programme=events.programme_by_day_and_stage(event), speakers_of=events.speakers_of,
        time_left=format_timedelta(opens - now, add_direction=True) if now < opens else None))
    # The player is the one thing framed from elsewhere, and only here.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"frame-src {PLAYER_ORIGIN}; frame-ancestors 'self'; form-action 'self'")
    response.headers["Referrer-Policy"] = "no-referrer"  # the token stays out of the player's logs
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global()
def stream_of(event) -> StreamSettings:
    """Who gets the event's stream, for the event page's links to it."""
    return services.stream_of(event)
