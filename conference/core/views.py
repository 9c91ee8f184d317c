"""Login, logout, the language switch and the error pages."""

from urllib.parse import urlsplit

from http import HTTPStatus

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from conference.core.access import is_organiser
from conference.core.addresses import normalise_email
from conference.core.forms import LoginForm
from conference.core.i18n import LANGUAGE_COOKIE
from conference.core.models import User
from conference.extensions import db, limiter

bp = Blueprint("core", __name__)

ONE_YEAR = 365 * 24 * 3600
DUMMY_HASH = generate_password_hash("no account has this password")


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths; anything else could send the user to another site."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.route("/language/<code>")
def set_language(code: str):
    target = safe_next(request.args.get("next"), url_for("events.index"))
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=ONE_YEAR, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("manage.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == normalise_email(form.email.data)))
        if user is None:
            # the same work as for a real account, so the answer's timing tells nobody who has one
            check_password_hash(DUMMY_HASH, form.password.data)
        elif user.active and user.check_password(form.password.data):
            login_user(user)
            return redirect(safe_next(request.args.get("next"), landing_page(user)))
        form.password.errors.append(_("The e-mail address or the password is wrong."))
    status = 422 if form.errors else 200
    return render_template("core/login.html", form=form), status


def landing_page(user: User) -> str:
    return url_for("manage.dashboard") if is_organiser(user) else url_for("events.index")


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("events.index"))


def register_error_pages(app) -> None:
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _render_error)
    app.before_request(refuse_nul_bytes)


def refuse_nul_bytes():
    """A NUL byte has no business in a URL or a form, and PostgreSQL refuses it in text."""
    values = [request.path, *request.args.values()]
    if request.method == "POST":
        values.extend(request.form.values())
    if any("\x00" in value for value in values):
        abort(400)


def _render_error(error):
    code = getattr(error, "code", 500) or 500
    if code == 500:
        db.session.rollback()
    if request.path.startswith("/api/"):
        return jsonify({"error": HTTPStatus(code).phrase.lower().replace(" ", "_")}), code
    return render_template("errors/error.html", code=code), code
