"""Forms of organiser accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from conference.core.forms import stripped


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
