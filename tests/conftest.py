"""Fixtures: one application per run on SQLite or (TEST_DATABASE_URL) PostgreSQL, a clean database per test."""

import os
import re
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import text

from conference import create_app
from conference.extensions import db
from tests import factories

# Fixtures more than one folder asks for: the SMTP server, the Google stand-in, the concurrency helpers
pytest_plugins = ["tests.fixtures.smtp", "tests.fixtures.google", "tests.fixtures.concurrency"]

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = database_url(tmp_path_factory)
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough",
        "SQLALCHEMY_DATABASE_URI": url,
        "MAIL_FILE_DIRECTORY": str(tmp_path_factory.mktemp("mail")),
        "MAIL_SERVER": "",
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
    })
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        flask_migrate.upgrade()
    return app


@pytest.fixture(autouse=True)
def clean_database(app):
    """Each test starts from empty tables; the schema comes from the migrations, once."""
    yield
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                quoted = ", ".join(f'"{name}"' for name in tables)
                connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            else:
                for name in tables:
                    connection.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture
def ctx(app):
    """An application context for tests that call services directly."""
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, page: str = "/login") -> str:
    response = client.get(page)
    match = CSRF_INPUT.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def post_form(client, url: str, data: dict, *, token_page: str = "/manage/", **kwargs):
    """Post like a browser does: with the CSRF token a page of ours handed out."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, token_page)}, **kwargs)


def log_in(client, email: str, password: str = factories.PASSWORD):
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def admin(app):
    with app.app_context():
        user = factories.user("admin@example.org", admin=True)
        db.session.commit()
        return user.id


@pytest.fixture
def admin_client(client, admin):
    log_in(client, "admin@example.org")
    return client


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(Path(item.fspath)).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
