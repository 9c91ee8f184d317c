"""Forms of registration."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, EmailField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from conference.core.formatting import local_time
from conference.core.forms import DeliverableAddress, options, stripped
from conference.events import labels
from conference.events.models import Organisation, OrganisationKind, SessionKind
from conference.extensions import db


class OrganisationFields:
    """A known organisation picked from the register, or one typed in with its kind."""

    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[Optional()],
                                  description=_l("Pick yours, or choose “Other” and type its name below."))
    organisation_name = StringField(_l("Other organisation"), validators=[Length(max=200)], filters=[stripped])
    # no Optional(): it would stop the chain before validate_organisation_kind runs
    organisation_kind = SelectField(_l("Kind of organisation"))

    def validate_organisation_name(self, field):
        if not self.organisation_id.data and not field.data:
            raise ValidationError(_l("Pick an organisation or type its name."))

    def validate_organisation_kind(self, field):
        if not self.organisation_id.data and field.data in (None, "", "None"):
            raise ValidationError(_l("Choose the kind of organisation."))


class DetailsForm(OrganisationFields, FlaskForm):
    """What a registrant can change later from the personal link."""

    # offered only where the event lets attendees pick sessions (the view sets the choices)
    sessions = SelectMultipleField(_l("The sessions you will attend"), coerce=int)  # Optional() would skip validate_sessions

    def validate_sessions(self, field):
        if field.choices and not field.data:
            raise ValidationError(_l("Pick at least one session."))

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    stakeholder_group = StringField(_l("Stakeholder group"), validators=[Length(max=100)], filters=[stripped],
                                    description=_l("For example municipal staff, researcher, civil society."))
    accessibility_needs = TextAreaField(
        _l("Accessibility needs (optional)"), validators=[Length(max=2000)],
        description=_l("Such as interpretation or a hearing loop. Only the organisers see this, and it is "
                       "deleted first after the event."))


class InvitationAnswerForm(DetailsForm):
    """The invitation link has proven the address, so the invitee gives no e-mail address."""

    consent = BooleanField(_l("I have read the privacy notice and agree that my details are used for this event."),
                           validators=[InputRequired(message=_l("You need to agree to register."))])


class RegistrationForm(InvitationAnswerForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254), DeliverableAddress()],
                       filters=[stripped])


class ManualRegistrationForm(OrganisationFields, FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254), DeliverableAddress()],
                       filters=[stripped])
    stakeholder_group = StringField(_l("Stakeholder group"), validators=[Length(max=100)], filters=[stripped])
    language = SelectField(_l("Language of the e-mails"), choices=options([("sv", "Svenska"), ("fi", "Suomi"),
                                                                           ("en", "English")]))


class InvitationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254), DeliverableAddress()],
                       filters=[stripped])
    organisation_name = StringField(_l("Organisation"), validators=[Length(max=200)], filters=[stripped])
    stakeholder_group = StringField(_l("Stakeholder group"), validators=[Length(max=100)], filters=[stripped])
    language = SelectField(_l("Language of the e-mails"), choices=options([("sv", "Svenska"), ("fi", "Suomi"),
                                                                           ("en", "English")]))


class InvitationUploadForm(FlaskForm):
    file = FileField(_l("CSV file"), description=_l(
        "Columns: name, email, organisation, group. The first row holds the column names. "
        "Comma or semicolon separated, UTF-8."))
    language = SelectField(_l("Language of the e-mails"), choices=options([("sv", "Svenska"), ("fi", "Suomi"),
                                                                           ("en", "English")]))


class CheckInForm(FlaskForm):
    code = StringField(_l("Ticket code"), validators=[DataRequired(), Length(max=80)], filters=[stripped],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})
    scan = HiddenField()  # a fresh nonce per form shown; the same nonce again is the same scan


def organisation_kind_choices():
    return options([("", _l("— choose —"))] + [(k.value, label) for k, label in labels.ORGANISATION_KIND.items()])


# ---------------------------------------------------------------- choices and answers of the organisation fields

def organisation_choices():
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name))
    return options([(0, _("Other (type the name below)"))] + [(o.id, o.name) for o in organisations])


def prepare(form, event=None):
    """Fill the choices of a form with organisation fields, and of the event's sessions if attendees pick."""
    form.organisation_id.choices = organisation_choices()
    form.organisation_kind.choices = organisation_kind_choices()
    if hasattr(form, "sessions"):
        form.sessions.choices = session_choices(event) if event is not None and event.attendees_pick_sessions else []
    return form


def session_choices(event):
    return options((s.id, f"{local_time(s.starts_at, event.timezone)}–{local_time(s.ends_at, event.timezone)} "
                          f"{s.title}") for s in event.sessions if s.kind is not SessionKind.BREAK)


def organisation_of(form) -> tuple[Organisation | None, OrganisationKind | None]:
    organisation = db.session.get(Organisation, form.organisation_id.data) if form.organisation_id.data else None
    kind = OrganisationKind(form.organisation_kind.data) if form.organisation_kind.data else None
    return organisation, kind
