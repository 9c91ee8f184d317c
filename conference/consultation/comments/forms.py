"""Forms of written feedback: the comment (by link or public), the organiser's window and summary."""

from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from conference.consultation.comments import attachments
from conference.consultation.comments.models import FeedbackAudience
from conference.consultation.comments.services import MAX_BODY
from conference.core.forms import DeliverableAddress, options, stripped
from conference.core.timeutil import wall_clock_problem
from conference.events.forms import paragraphs_text

AUDIENCE = {
    FeedbackAudience.PARTICIPANTS: _l("Participants only, through their personal links"),
    FeedbackAudience.ANYONE: _l("Anyone, through a public form on the meeting's page"),
}
ACCEPTED_FILES = ",".join([".pdf", ".docx", ".odt", attachments.PDF, attachments.DOCX, attachments.ODT])


class BlankIsNone:
    """A date or time field left empty has no value, rather than a wrong one: DataRequired then speaks alone."""

    def process_formdata(self, valuelist):
        if valuelist and not " ".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class DeadlineDateField(BlankIsNone, DateField):
    pass


class DeadlineTimeField(BlankIsNone, TimeField):
    pass


# ---------------------------------------------------------------- the comment

def body_field():
    return TextAreaField(_l("Your comment"), filters=[paragraphs_text], render_kw={"rows": 12},
                         validators=[DataRequired(message=_l("Write your comment.")),
                                     Length(max=MAX_BODY, message=_l("Write at most 10,000 characters; put a longer "
                                                                     "text in an attachment."))],
                         description=_l("At most 10,000 characters. Separate paragraphs with a blank line."))


def attachment_field():
    return FileField(_l("Attachment (optional)"), render_kw={"accept": ACCEPTED_FILES},
                     description=_l("A PDF, Word (DOCX) or OpenDocument (ODT) file of at most 5 MB."))


class AttachmentCheck:
    """The attachment is checked by its content; the checked file waits on the form for the view."""

    checked_attachment: attachments.CheckedFile | None = None

    def validate_attachment(self, field):
        if not field.data:
            return
        data = field.data.stream.read(attachments.MAX_BYTES + 1)
        try:
            self.checked_attachment = attachments.check(data, field.data.filename)
        except attachments.AttachmentRefused as refused:
            raise ValidationError(refused.message) from None


class CommentForm(AttachmentCheck, FlaskForm):
    """From a personal link: the link says who is writing."""

    body = body_field()
    attachment = attachment_field()


class PublicCommentForm(AttachmentCheck, FlaskForm):
    """From the public form: the sender says who they are."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    email = EmailField(_l("E-mail address"), filters=[stripped],
                       validators=[DataRequired(), Email(), Length(max=254), DeliverableAddress()],
                       description=_l("We send a receipt here."))
    organisation_name = StringField(_l("Organisation (optional)"), validators=[Length(max=200)], filters=[stripped],
                                    description=_l("If you write on behalf of an organisation."))
    body = body_field()
    attachment = attachment_field()
    # a field people never see: bots that fill in every field give themselves away
    website = StringField(_l("Leave this field empty"), validators=[Length(max=0)])
    consent = BooleanField(_l("I have read the privacy notice and agree that my details are used for this comment."),
                           validators=[InputRequired(message=_l("You need to agree to send the comment."))])


# ---------------------------------------------------------------- the organiser's forms

class WindowForm(FlaskForm):
    """The deadline is typed as a date and a time on the meeting's clock."""

    deadline_date = DeadlineDateField(_l("Deadline: date"), validators=[DataRequired(message=_l("Enter a date."))])
    deadline_time = DeadlineTimeField(_l("Deadline: time"), default=time(23, 59),
                                      validators=[DataRequired(message=_l("Enter a time."))],
                                      description=_l("In the meeting's timezone. Comments are taken until this "
                                                     "minute ends: with 23:59, one sent at 23:59:59 still counts."))
    audience = SelectField(_l("Who may send comments"),
                           choices=options((key.value, label) for key, label in AUDIENCE.items()))
    instructions = TextAreaField(_l("What you ask about (optional)"), validators=[Length(max=5000)],
                                 filters=[paragraphs_text],
                                 description=_l("Shown above the comment form and on the meeting's page."))

    timezone_name = "Europe/Stockholm"  # the view sets the event's

    def validate_deadline_time(self, field):
        if field.data is None or self.deadline_date.data is None:
            return
        problem = wall_clock_problem(self.deadline(), self.timezone_name)
        if problem == "nonexistent":
            raise ValidationError(_l("This time does not exist: the clocks go forward an hour that night."))
        if problem == "ambiguous":
            raise ValidationError(_l("This time occurs twice: the clocks go back an hour that night. "
                                     "Choose a time outside that hour."))

    def deadline(self) -> datetime:
        """The wall-clock deadline, without a zone."""
        return datetime.combine(self.deadline_date.data, self.deadline_time.data.replace(second=0, microsecond=0))


class SummaryForm(FlaskForm):
    summary = TextAreaField(_l("Summary of the comments"), validators=[Length(max=50000)], filters=[paragraphs_text],
                            render_kw={"rows": 12},
                            description=_l("Separate paragraphs with a blank line."))
