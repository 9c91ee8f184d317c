"""A service's refusal carries its code, the field it is about, and a message in the reader's language."""

import re
from pathlib import Path

import pytest
from flask import get_flashed_messages
from flask_babel import force_locale
from flask_wtf import FlaskForm
from wtforms import StringField

from conference.core.errors import Refusal
from conference.core.forms import show_refusal
from conference.events.services import ProgrammeError
from conference.registration.invitations import RowProblem, UploadRefused
from conference.registration.services import RegistrationError

SOURCE = Path(__file__).resolve().parent.parent.parent / "conference"
# Refusals without a field that the comment form's page tells in its own words, with the window's times.
TOLD_BY_THEIR_PAGE = {("FeedbackError", code) for code in ("participants_only", "not_yet_open", "closed",
                                                           "address_not_confirmed")}


class SlugForm(FlaskForm):
    slug = StringField()


def every_refusal_class(cls=Refusal) -> dict[str, type[Refusal]]:
    found = {}
    for sub in cls.__subclasses__():
        found[sub.__name__] = sub
        found.update(every_refusal_class(sub))
    return found


@pytest.mark.parametrize("language, text", [
    ("sv", "Anmälan till evenemanget har stängt."),
    ("fi", "Ilmoittautuminen tähän tapahtumaan on päättynyt."),
    ("en", "Registration for this event has closed."),
])
def test_a_refusal_is_told_in_the_language_of_whoever_reads_it(app, language, text):
    refusal = RegistrationError("closed")  # raised before anyone has read it
    with app.test_request_context(), force_locale(language):
        assert str(refusal.message) == text
    assert (refusal.code, str(refusal), refusal.field) == ("closed", "closed", None)


@pytest.mark.parametrize("language, text", [
    ("sv", "Rad 7: “anna@” är inte en e-postadress."),
    ("fi", "Rivi 7: “anna@” ei ole sähköpostiosoite."),
    ("en", "Row 7: “anna@” is not an e-mail address."),
])
def test_a_refusal_with_details_puts_them_in_its_message(app, language, text):
    problem = RowProblem(7, "invalid_email", "anna@")
    with app.test_request_context(), force_locale(language):
        assert str(problem.message) == text


def test_the_field_is_the_one_the_raise_names_or_else_the_one_the_rule_is_about():
    assert ProgrammeError("slug_taken", "slug").field == "slug"
    assert RegistrationError("already_invited").field == "email"
    assert UploadRefused("empty").field == "file"
    assert RegistrationError("closed").field is None


def test_a_refusal_shows_beside_its_field_when_the_form_has_it(app):
    with app.test_request_context(), force_locale("sv"):
        form = SlugForm(meta={"csrf": False})
        assert show_refusal(form, ProgrammeError("slug_taken", "slug")) is True
        assert form.slug.errors == ["Ett annat evenemang har redan den här webbadressen."]
        assert get_flashed_messages() == []


def test_a_refusal_without_a_field_of_the_form_is_flashed_at_the_top(app):
    with app.test_request_context(), force_locale("sv"):
        form = SlugForm(meta={"csrf": False})
        assert show_refusal(form, ProgrammeError("ends_before_start", "ends_at")) is False
        assert show_refusal(None, RegistrationError("closed")) is False
        assert not form.slug.errors
        assert get_flashed_messages(with_categories=True) == [
            ("error", "Sluttiden måste vara efter starttiden."), ("error", "Anmälan till evenemanget har stängt.")]


def test_every_code_a_service_raises_has_a_message(app):
    classes = every_refusal_class()
    raised = re.compile(r"\b(\w+)\(\s*\"([a-z_]+)\"")
    missing = []
    for path in SOURCE.rglob("*.py"):
        for name, code in raised.findall(path.read_text()):
            if name in classes and code not in classes[name].messages and (name, code) not in TOLD_BY_THEIR_PAGE:
                missing.append(f"{path.relative_to(SOURCE)}: {name}({code!r})")
    assert len(classes) >= 10  # the features' refusals were found
    assert missing == []
