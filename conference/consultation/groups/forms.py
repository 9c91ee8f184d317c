"""The organiser's form for a meeting's invited groups."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from conference.core.forms import options, stripped
from conference.events.forms import organisation_choices


class InvitedGroupForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation from the register"), coerce=int, validators=[Optional()])
    name = StringField(_l("Or the name of a stakeholder group"), validators=[Length(max=200)], filters=[stripped],
                       description=_l("For example “Civil society organisations in the integration field”."))


def invited_group_form() -> InvitedGroupForm:
    """The form with the register's organisations to pick from, or none."""
    form = InvitedGroupForm(prefix="group")
    form.organisation_id.choices = options([(0, _("— none —"))]) + organisation_choices()
    return form
