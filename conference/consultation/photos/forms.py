"""Forms of meeting photos: the organiser's upload and texts, the decision on a request, the public request."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, StopValidation, ValidationError

from conference.core.forms import DeliverableAddress, stripped
from conference.events.forms import paragraphs_text

class EmailAddress(Email):
    """An address that is no address needs no further advice about its letters."""

    def __call__(self, form, field):
        try:
            super().__call__(form, field)
        except ValidationError as error:
            raise StopValidation(str(error)) from None


def alt_text_field() -> StringField:
    return StringField(
        _l("Alt text"), validators=[DataRequired(message=_l("Describe what the photo shows.")), Length(max=300)],
        filters=[stripped],
        description=_l("What the photo shows, for people who use a screen reader. For example: "
                       "“Three participants talk at a round table.”"))


def caption_field() -> TextAreaField:
    return TextAreaField(_l("Caption (optional)"), validators=[Length(max=500)], filters=[stripped],
                         description=_l("Shown under the photo."))


def credit_field() -> StringField:
    return StringField(
        _l("Photographer"), validators=[DataRequired(message=_l("Give the photographer's name.")), Length(max=200)],
        filters=[stripped],
        description=_l("Shown with the photo as “Photo: name”; the law requires the photographer's name."))


class PhotoTextForm(FlaskForm):
    alt_text = alt_text_field()
    caption = caption_field()
    credit = credit_field()


class PhotoUploadForm(FlaskForm):
    """The file first, as on the page, so that the error summary lists the problems in the page's order."""

    photo = FileField(_l("Photo"), validators=[FileRequired(message=_l("Choose a photo."))],
                      description=_l("JPEG, PNG or WebP, at most 8 MB. Location, camera and other hidden data are "
                                     "removed, and a large photo is scaled down to 2,400 pixels on its long side."))
    alt_text = alt_text_field()
    caption = caption_field()
    credit = credit_field()


class DecisionForm(FlaskForm):
    message = TextAreaField(_l("Message to the person (optional)"), validators=[Length(max=2000)],
                            filters=[paragraphs_text],
                            description=_l("Sent by e-mail with your decision, for example why the photo stays."))
    remove = SubmitField(_l("Take the photo down"))
    keep = SubmitField(_l("Keep it"))


class TakedownRequestForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    email = EmailField(_l("E-mail address"),
                       validators=[DataRequired(), Length(max=254), EmailAddress(), DeliverableAddress()],
                       filters=[stripped],
                       description=_l("We answer here when the organiser has decided."))
    reason = TextAreaField(_l("Reason (optional)"), validators=[Length(max=2000)], filters=[paragraphs_text],
                           description=_l("For example where in the photo you are."))
    # a field people never see: bots that fill in every field give themselves away
    website = StringField(_l("Leave this field empty"), validators=[Length(max=0)])
