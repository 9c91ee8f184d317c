"""Forms of press access."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

from conference.core.forms import DeliverableAddress, options, stripped


class PressRequestForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    outlet = StringField(_l("Media outlet"), validators=[DataRequired(), Length(max=200)], filters=[stripped],
                         description=_l("The newspaper, broadcaster or publication you work for."))
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254), DeliverableAddress()],
                       filters=[stripped])
    phone = StringField(_l("Phone (optional)"), validators=[Length(max=40)], filters=[stripped])
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=2000)],
                         description=_l("For example your press card number, or what you are covering."))
    # a field people never see: bots that fill in every field give themselves away
    website = StringField(_l("Leave this field empty"), validators=[Length(max=0)])
    consent = BooleanField(_l("I have read the privacy notice and agree that my details are used for this request."),
                           validators=[InputRequired(message=_l("You need to agree to send the request."))])


class DenyForm(FlaskForm):
    message = TextAreaField(_l("Message to the journalist (optional)"), validators=[Length(max=2000)],
                            description=_l("Sent by e-mail only if you write one."))


class StreamSettingsForm(FlaskForm):
    stream_audience = SelectField(_l("Who gets the stream"))
    stream_opens_minutes = IntegerField(_l("The player opens this many minutes before the first session"),
                                        validators=[InputRequired(), NumberRange(min=0, max=24 * 60)])
    press_contact_email = EmailField(_l("Press contact e-mail"), validators=[Optional(), Email(), Length(max=254)],
                                     filters=[stripped],
                                     description=_l("Told of every new press request. Left empty: the event's "
                                                    "contact e-mail."))
    recording_url = URLField(_l("Recording (optional)"), filters=[stripped],
                             validators=[Optional(), Length(max=300),
                                         Regexp(r"^https://", message=_l("Start with https://"))],
                             description=_l("Shown on the watch page after the event."))


class LinkBroadcastForm(FlaskForm):
    broadcast = StringField(_l("YouTube broadcast (address or id)"), validators=[DataRequired(), Length(max=300)],
                            filters=[stripped])


def audience_choices(labels):
    return options((key.value, label) for key, label in labels.items())
