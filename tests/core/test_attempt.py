"""A view carries out a service's change with `attempt`: a refusal is shown and stores nothing, a success
commits once, and a bug is raised, never shown."""

import pytest
from flask import get_flashed_messages
from flask_babel import force_locale
from flask_wtf import FlaskForm
from sqlalchemy import event, func, select
from wtforms import StringField

from conference.core.forms import REFUSED, attempt
from conference.core.models import User
from conference.events.services import ProgrammeError
from conference.extensions import db
from tests import factories


class SlugForm(FlaskForm):
    slug = StringField()


@pytest.fixture
def request_ctx(app):
    with app.test_request_context(), force_locale("sv"):
        yield
        db.session.rollback()


@pytest.fixture
def commits():
    """The commits of the database session while the test runs."""
    seen = []

    def count(session):
        seen.append(session)

    event.listen(db.session, "after_commit", count)
    yield seen
    event.remove(db.session, "after_commit", count)


def stored_accounts() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def refused_change(code: str, field: str | None):
    def change():
        factories.user("half-done@example.org")  # begun, and flushed, before the rules said no
        raise ProgrammeError(code, field)
    return change


def test_a_refusal_is_shown_beside_its_field_and_nothing_is_stored(request_ctx, commits):
    form = SlugForm(meta={"csrf": False})

    assert attempt(form, refused_change("slug_taken", "slug")) is REFUSED

    assert form.slug.errors == ["Ett annat evenemang har redan den här webbadressen."]
    assert get_flashed_messages() == []
    assert commits == []
    db.session.commit()  # a later commit in the request finds nothing of the refused change
    assert stored_accounts() == 0


def test_a_refusal_about_no_field_of_the_form_is_flashed_and_nothing_is_stored(request_ctx, commits):
    form = SlugForm(meta={"csrf": False})

    assert attempt(form, refused_change("ends_before_start", "ends_at")) is REFUSED
    assert attempt(None, refused_change("ends_before_start", None)) is REFUSED

    assert form.errors == {}
    assert get_flashed_messages(with_categories=True) == [("error", "Sluttiden måste vara efter starttiden.")] * 2
    assert commits == []
    db.session.commit()
    assert stored_accounts() == 0


def test_a_change_the_rules_allow_is_committed_once_and_its_result_handed_back(request_ctx, commits):
    form = SlugForm(meta={"csrf": False})

    account = attempt(form, lambda: factories.user("anna@example.org"))

    assert account is not REFUSED and account.email == "anna@example.org"
    assert len(commits) == 1
    db.session.rollback()  # nothing is left to roll back: it is stored
    assert stored_accounts() == 1
    assert form.errors == {} and get_flashed_messages() == []


def test_any_other_exception_is_raised_not_shown_and_its_change_rolled_back(request_ctx, commits):
    form = SlugForm(meta={"csrf": False})

    def broken():
        factories.user("half-done@example.org")
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        attempt(form, broken)

    assert form.errors == {} and get_flashed_messages() == []
    assert commits == []
    db.session.commit()
    assert stored_accounts() == 0
