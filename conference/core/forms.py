from collections.abc import Callable, Iterable
from enum import Enum
from typing import Final, TypeVar

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.fields.choices import SelectChoice
from email_validator import EmailNotValidError, validate_email
from wtforms.validators import DataRequired, Email, Length, ValidationError

from conference.core.errors import Refusal
from conference.extensions import db

T = TypeVar("T")


def options(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """Choices for a SelectField from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class DeliverableAddress:
    """An address our mail can carry: a plain (ASCII) local part; an international domain in its ASCII form."""

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            info = validate_email(field.data, check_deliverability=False, allow_smtputf8=False)
        except EmailNotValidError:
            raise ValidationError(_l("Use an address whose part before the @ has no letters beyond a–z.")) from None
        field.data = info.ascii_email or field.data


def show_refusal(form: FlaskForm | None, refusal: Refusal) -> bool:
    """The refusal's message beside the field it names, if the form has that field; otherwise flashed at the
    top of the page. True when it went beside a field."""
    message = str(refusal.message)
    if form is not None and refusal.field and refusal.field in form:
        field = form[refusal.field]
        field.errors = list(field.errors) + [message]
        return True
    flash(message, "error")
    return False


class Refused(Enum):
    """What `attempt` hands back when the rules refused the change."""

    REFUSED = "refused"


REFUSED: Final = Refused.REFUSED


def attempt(form: FlaskForm | None, change: Callable[[], T]) -> T | Refused:
    """Carry out a service's change for a view, and end the request's unit of work with it.

    Services never commit and raise a `Refusal` when their rules say no; every page that changes
    something then does the same few steps, which are written once here so that no view forgets the
    rollback or commits twice. `change` runs the service. On a refusal, whatever it had begun is
    rolled back, the refusal is shown with `form` (beside its field, or flashed at the top of the page:
    `show_refusal`) and REFUSED comes back; `form.errors` then says whether it went beside a field.
    Otherwise the request commits once and the service's result comes back.

    Only a refusal is caught. Any other exception is a bug: it is rolled back and raised, to answer
    500, never shown as a message.
    """
    try:
        result = change()
    except Refusal as refusal:
        db.session.rollback()
        show_refusal(form, refusal)
        return REFUSED
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    return result


def stripped(value: str | None) -> str | None:
    """One line, trimmed: a line break in a name would break the headers of every mail to it."""
    return " ".join(value.split()) if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)],
                       filters=[stripped])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class ConfirmForm(FlaskForm):
    """A POST with CSRF and nothing else: delete, move, remove."""
