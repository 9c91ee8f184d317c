"""The administrator connects the YouTube channel once, with Google's OAuth web flow."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from conference.core.access import admin_required
from conference.core.forms import ConfirmForm, show_refusal
from conference.press import broadcasts
from conference.streaming import youtube

bp = Blueprint("youtube_admin", __name__)

STATE_KEY = "youtube_oauth_state"


def redirect_uri() -> str:
    return url_for(".callback", _external=True)


@bp.route("/")
@admin_required
def status():
    return render_template("press/youtube.html", connected=broadcasts.is_connected(), confirm=ConfirmForm())


@bp.route("/connect", methods=["POST"])
@admin_required
def connect():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        url, state = youtube.authorization_url(broadcasts.client_config(), redirect_uri())
    except youtube.StreamingError as error:
        show_refusal(None, broadcasts.StreamingProblem(error.code))
        return redirect(url_for(".status"))
    session[STATE_KEY] = state
    return redirect(url)


@bp.route("/callback")
@admin_required
def callback():
    state = session.pop(STATE_KEY, None)
    if state is None or request.args.get("state") != state:
        flash(_("The answer from Google did not match our request. Connect again."), "error")
        return redirect(url_for(".status"))
    if request.args.get("error"):
        flash(_("Google said no: %(reason)s", reason=request.args["error"]), "error")
        return redirect(url_for(".status"))
    try:
        info = youtube.exchange_code(broadcasts.client_config(), redirect_uri(), state, request.url)
    except youtube.StreamingError as error:
        show_refusal(None, broadcasts.StreamingProblem(error.code))
        return redirect(url_for(".status"))
    broadcasts.store_credentials(info)
    flash(_("The YouTube channel is connected."), "success")
    return redirect(url_for(".status"))


@bp.route("/disconnect", methods=["POST"])
@admin_required
def disconnect():
    if ConfirmForm().validate_on_submit():
        broadcasts.forget_credentials()
        flash(_("The YouTube channel is disconnected."), "success")
    return redirect(url_for(".status"))
