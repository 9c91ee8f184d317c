"""The conference application: create_app() is the one place where everything is wired.

This module sits above every feature: it imports their blueprints, tables, reactions and jobs,
and nothing imports it but the entry points (wsgi.py, the tests).
"""

import secrets
from pathlib import Path

from flask import Flask, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event as sqlalchemy_event
from werkzeug.middleware.proxy_fix import ProxyFix

# Tables, reactions, jobs and tabs register themselves when their modules are imported: every table
# must be in the metadata before migrations compare it, every reaction subscribed before a
# request changes anything, every job known to the worker, and every tab of an event's organiser
# pages in the shell before a page draws them.
import conference.calendars.models  # noqa: F401
import conference.consultation.comments.models  # noqa: F401
import conference.consultation.comments.reactions  # noqa: F401
import conference.consultation.comments.tabs  # noqa: F401
import conference.consultation.groups.models  # noqa: F401
import conference.consultation.groups.reactions  # noqa: F401
import conference.consultation.groups.tabs  # noqa: F401
import conference.consultation.photos.models  # noqa: F401
import conference.consultation.photos.tabs  # noqa: F401
import conference.consultation.processes.models  # noqa: F401
import conference.consultation.proposals.jobs  # noqa: F401
import conference.consultation.proposals.models  # noqa: F401
import conference.core.jobs  # noqa: F401
import conference.events.models  # noqa: F401
import conference.events.tabs  # noqa: F401
import conference.outbox.jobs  # noqa: F401
import conference.outbox.models  # noqa: F401
import conference.outbox.tabs  # noqa: F401
import conference.press.jobs  # noqa: F401
import conference.press.models  # noqa: F401
import conference.press.reactions  # noqa: F401
import conference.press.tabs  # noqa: F401
import conference.registration.jobs  # noqa: F401
import conference.registration.models  # noqa: F401
import conference.registration.reactions  # noqa: F401
import conference.registration.tabs  # noqa: F401
from conference import config as app_config
from conference.accounts.manage import bp as admin_bp
from conference.calendars.views import bp as calendars_bp
from conference.cli import register_commands
from conference.consultation.comments.manage import bp as comments_manage_bp
from conference.consultation.comments.views import bp as comments_bp
from conference.consultation.groups.manage import bp as groups_manage_bp
from conference.consultation.photos.manage import bp as photos_manage_bp
from conference.consultation.photos.views import bp as photos_bp
from conference.consultation.processes.labels import PHASE_KIND
from conference.consultation.processes.manage import bp as processes_manage_bp
from conference.consultation.processes.views import bp as processes_bp
from conference.consultation.proposals.manage import bp as proposals_manage_bp
from conference.consultation.proposals.views import bp as proposals_bp
from conference.core import formatting
from conference.core.access import can_manage_event, is_organiser, organises_all_events
from conference.core.i18n import LANGUAGE_NAMES, select_locale
from conference.core.models import User
from conference.core.shell import tabs_for
from conference.core.views import bp as core_bp
from conference.core.views import register_error_pages
from conference.events import labels
from conference.events.api import bp as api_bp
from conference.events.manage import bp as manage_bp
from conference.events.views import bp as events_bp
from conference.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
from conference.outbox.manage import bp as outbox_manage_bp
from conference.press import labels as press_labels
from conference.press.admin import bp as youtube_admin_bp
from conference.press.manage import bp as press_manage_bp
from conference.press.views import bp as press_bp
from conference.registration import labels as registration_labels
from conference.registration.manage import bp as registration_manage_bp
from conference.registration.series_manage import bp as series_invitations_bp
from conference.registration.views import bp as registration_bp

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(app_config.from_environment(app.instance_path))
    app.config.update(overrides or {})
    app_config.require_secret_key(app.config, debug=app.debug, testing=app.config.get("TESTING", False))
    app_config.require_base_url(app.config, debug=app.debug, testing=app.config.get("TESTING", False))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _trust_proxies(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    register_commands(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind a reverse proxy every request comes from the proxy: read the client from its headers instead."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True)
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(ROOT / "conference" / "translations"))
    login_manager.init_app(app)
    login_manager.login_view = "core.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = _l("Please log in to see this page.")

    @login_manager.user_loader
    def load_user(cookie_id: str):
        user_id, _, token = cookie_id.partition(":")
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and secrets.compare_digest(user.session_token, token) else None

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _enable_sqlite_foreign_keys(app)


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    with app.app_context():
        engine = db.engine

    @sqlalchemy_event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # the web processes and the outbox worker share the file: readers must not block the writer
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
        # pysqlite opens transactions on its own and not before a SAVEPOINT, so releasing one
        # would commit everything; SQLAlchemy's recipe: let it do nothing, and BEGIN ourselves
        dbapi_connection.isolation_level = None

    @sqlalchemy_event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN")


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(core_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(manage_bp, url_prefix="/manage")
    app.register_blueprint(admin_bp, url_prefix="/manage/users")
    app.register_blueprint(registration_bp)
    app.register_blueprint(series_invitations_bp, url_prefix="/manage/series")
    app.register_blueprint(registration_manage_bp, url_prefix="/manage/events/<slug>")
    app.register_blueprint(outbox_manage_bp, url_prefix="/manage/events/<slug>")
    app.register_blueprint(press_bp)
    app.register_blueprint(calendars_bp)
    app.register_blueprint(processes_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(photos_bp)
    app.register_blueprint(processes_manage_bp, url_prefix="/manage/processes")
    app.register_blueprint(proposals_manage_bp, url_prefix="/manage/processes")
    app.register_blueprint(press_manage_bp, url_prefix="/manage/events/<slug>/press")
    app.register_blueprint(comments_manage_bp, url_prefix="/manage/events/<slug>")
    app.register_blueprint(photos_manage_bp, url_prefix="/manage/events/<slug>")
    app.register_blueprint(groups_manage_bp, url_prefix="/manage/events/<slug>")
    app.register_blueprint(youtube_admin_bp, url_prefix="/manage/youtube")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # read-only GET endpoints
    register_error_pages(app)


def _register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(formatting.FILTERS)

    @app.context_processor
    def inject_globals():
        return {
            "current_locale": str(get_locale()),
            "language_names": LANGUAGE_NAMES,
            "labels": labels,
            "registration_labels": registration_labels,
            "press_labels": press_labels.REQUEST_STATE,
            "broadcast_states": press_labels.BROADCAST_STATE,
            "access_kinds": press_labels.ACCESS_KIND,
            "phase_kinds": PHASE_KIND,
            "is_organiser": is_organiser,
            "can_manage_event": can_manage_event,
            "organises_all_events": organises_all_events,
            "event_tabs": tabs_for,
        }

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'self'; form-action 'self'")
        if request.path.startswith(("/manage", "/login", "/r/", "/invitations/", "/watch/", "/agenda/")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
