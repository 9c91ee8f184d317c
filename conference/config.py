"""Settings, read from the environment, with defaults that are safe on one machine."""

import os
from pathlib import Path

INSECURE_SECRET_KEYS = {"", "dev", "change-me", "secret"}


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment(instance_path: str) -> dict:
    """Build the configuration mapping; the embedded default is SQLite under instance/."""
    instance = Path(instance_path)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'conference.sqlite'}"
    if database_url.startswith("postgres://"):
        # Heroku-style URLs name the old driver; psycopg 3 is the one we ship.
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Konferens <noreply@example.org>"),
        # With no SMTP server configured, outgoing mail is written here as .eml files.
        "MAIL_FILE_DIRECTORY": os.environ.get("MAIL_FILE_DIRECTORY", str(instance / "mail")),
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "LANGUAGES": ("sv", "en", "fi"),
        "SUPPORTED_TIMEZONES": ("Europe/Stockholm", "Europe/Helsinki"),
        "LOGO_MAX_BYTES": int(os.environ.get("LOGO_MAX_BYTES", str(512 * 1024))),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(8 * 1024 * 1024))),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # how many reverse proxies stand in front of the app; their X-Forwarded-For/-Proto are believed,
        # so rate limits count each client and not the proxy. 0: the headers are ignored (anyone can send them)
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        "SERVER_NAME": os.environ.get("SERVER_NAME") or None,
        "WTF_CSRF_TIME_LIMIT": None,
        # absolute links in mail; without it, the host of the request that caused the mail
        "BASE_URL": os.environ.get("BASE_URL", ""),
        "PRIVACY_NOTICE_VERSION": os.environ.get("PRIVACY_NOTICE_VERSION", "2026-11"),
        "UNCONFIRMED_EXPIRY_HOURS": int(os.environ.get("UNCONFIRMED_EXPIRY_HOURS", "24")),
        # the OAuth client from Google's console; the channel's credentials are kept in the instance folder
        "YOUTUBE_CLIENT_SECRETS_FILE": os.environ.get("YOUTUBE_CLIENT_SECRETS_FILE", ""),
        "YOUTUBE_CREDENTIALS_FILE": os.environ.get("YOUTUBE_CREDENTIALS_FILE",
                                                   str(instance / "youtube-credentials.json")),
        "YOUTUBE_API_ENDPOINT": os.environ.get("YOUTUBE_API_ENDPOINT", ""),  # tests point it at a local server
        "YOUTUBE_TIMEOUT": float(os.environ.get("YOUTUBE_TIMEOUT", "20")),
    }


def require_base_url(config: dict, *, debug: bool, testing: bool) -> None:
    """Links in mail must not be built from a request's Host header, which anyone can set."""
    if debug or testing:
        return
    if not config.get("BASE_URL", "").startswith(("https://", "http://")):
        raise RuntimeError(
            "BASE_URL is missing. Set BASE_URL to the site's public address, e.g. https://konferens.example.org: "
            "links in e-mail are built from it.")


def require_secret_key(config: dict, *, debug: bool, testing: bool) -> None:
    """Refuse to run in production with a missing or well-known secret key."""
    if debug or testing:
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = "development-only-" + os.urandom(16).hex()
        return
    if config.get("SECRET_KEY", "") in INSECURE_SECRET_KEYS or len(config["SECRET_KEY"]) < 16:
        raise RuntimeError(
            "SECRET_KEY is missing or too weak. Set SECRET_KEY in the environment to a random "
            "value of at least 16 characters (python3 -c 'import secrets; print(secrets.token_urlsafe(32))')."
        )
