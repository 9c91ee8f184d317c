"""Forms of agenda proposals."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from conference.consultation.proposals.models import ProposalOutcome
from conference.consultation.proposals.services import OUTCOME, REASON_REQUIRED
from conference.core.forms import DeliverableAddress, options, stripped
from conference.events.forms import RealWallClockTime, organisation_choices, paragraphs_text


class ProposalForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)], filters=[stripped],
                       description=_l("Only the organisers see your name and e-mail address."))
    email = EmailField(_l("E-mail address"),
                       validators=[DataRequired(), Email(), Length(max=254), DeliverableAddress()], filters=[stripped])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[Optional()],
                                  description=_l("Pick yours, or choose “Other” and type its name below."))
    organisation_name = StringField(_l("Other organisation"), validators=[Length(max=200)], filters=[stripped])
    title = StringField(_l("Title of the proposal"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=5000)],
                                filters=[paragraphs_text],
                                description=_l("What should the consultation take up, and why? The title, the "
                                               "description and the organisation are published with the "
                                               "feedback."))
    # a field people never see: bots that fill in every field give themselves away
    website = StringField(_l("Leave this field empty"), validators=[Length(max=0)])
    consent = BooleanField(_l("I have read the privacy notice and agree that my details are used for this "
                              "proposal."),
                           validators=[InputRequired(message=_l("You need to agree to send the proposal."))])

    def validate_organisation_name(self, field):
        if not self.organisation_id.data and not field.data:
            raise ValidationError(_l("Pick an organisation or type its name."))


class FeedbackForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), validators=[DataRequired(message=_l("Choose the outcome."))])
    # the rules, not the list, decide what may be merged into what: their message says why
    merged_into_id = SelectField(_l("Merged into"), coerce=int, validate_choice=False,
                                 description=_l("Only for a proposal merged into another one."))
    feedback = TextAreaField(_l("Reason"), validators=[Length(max=5000)], filters=[paragraphs_text],
                             description=_l("Public once the feedback is published, and mailed to the proposer. "
                                            "Required unless the proposal is taken up."))

    def validate_merged_into_id(self, field):
        if self.outcome.data == ProposalOutcome.MERGED.value and not field.data:
            raise ValidationError(_l("Choose the proposal it was merged into."))

    def validate_feedback(self, field):
        if self.outcome.data in {o.value for o in REASON_REQUIRED} and not field.data:
            raise ValidationError(_l("Write the reason: the proposer and the public read it."))


class PublishForm(FlaskForm):
    publish_at = DateTimeLocalField(_l("Publish on"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                    validators=[DataRequired(message=_l("Enter a date and time.")),
                                                RealWallClockTime()])


class TopicForm(FlaskForm):
    topic_id = SelectField(_l("Topic"), coerce=int, validate_choice=False)


def proposal_form() -> ProposalForm:
    """The public form, with the register's organisations to pick from and "Other" first."""
    form = ProposalForm()
    form.organisation_id.choices = options([(0, _("Other (type the name below)"))]) + organisation_choices()
    return form


def outcome_choices():
    return options([("", _l("— choose —"))] + [(o.value, label) for o, label in OUTCOME.items()])


def prepare_feedback_form(form: FeedbackForm, targets) -> FeedbackForm:
    form.outcome.choices = outcome_choices()
    form.merged_into_id.choices = options([(0, _l("— none —"))] + [(p.id, f"{p.title} ({p.organisation_name})")
                                                                   for p in targets])
    return form
