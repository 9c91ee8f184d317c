from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length


def options(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """Choices for a SelectField from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def stripped(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)],
                       filters=[stripped])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
