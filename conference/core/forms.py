from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from email_validator import EmailNotValidError, validate_email
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError


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


def stripped(value: str | None) -> str | None:
    """One line, trimmed: a line break in a name would break the headers of every mail to it."""
    return " ".join(value.split()) if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)],
                       filters=[stripped])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class ConfirmForm(FlaskForm):
    """A POST with CSRF and nothing else: delete, move, remove."""


class NewUserForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)],
                       filters=[stripped])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=10, max=200)],
                             description=_l("At least 10 characters. Give it to the person in a safe way."))
    is_admin = BooleanField(_l("Administrator (all events, users and settings)"))


class AccountForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=200)])
    is_admin = BooleanField(_l("Administrator (all events, users and settings)"))
    active = BooleanField(_l("The account is active"))
    new_password = PasswordField(_l("New password"), validators=[Optional(), Length(min=10, max=200)],
                                 description=_l("Leave empty to keep the current password."))


class GrantForm(FlaskForm):
    role = SelectField(_l("Role"))
    event_id = SelectField(_l("For"), coerce=int)
