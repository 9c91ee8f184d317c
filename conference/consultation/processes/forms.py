"""Organiser forms of a process: its page, phases, documents, news, meetings and the next cycle."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from conference.consultation.processes.labels import PHASE_KIND
from conference.core.forms import options, stripped
from conference.events.forms import SLUG, paragraphs_text


class ProcessForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    slug = StringField(_l("Web address (slug)"), validators=[Optional(), Length(max=80), SLUG], filters=[stripped])
    summary = TextAreaField(_l("What the process is"), validators=[Length(max=20000)], filters=[paragraphs_text])
    topics = TextAreaField(_l("Topics taken up, one a line"), validators=[Length(max=5000)],
                           description=_l("Listed on later cycles' pages."))
    published = BooleanField(_l("Published"))


class PhaseForm(FlaskForm):
    kind = SelectField(_l("Kind of phase"), choices=options((k.value, v) for k, v in PHASE_KIND.items()))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    starts_on = DateField(_l("From"), validators=[DataRequired(message=_l("Enter a date."))])
    ends_on = DateField(_l("To"), validators=[Optional()])


class DocumentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=250)], filters=[stripped])
    url = StringField(_l("Address of the published document (optional)"), filters=[stripped],
                      validators=[Optional(), Length(max=500), Regexp(r"^https?://", message=_l("Start with https://"))])
    body = TextAreaField(_l("Text"), validators=[Length(max=50000)], filters=[paragraphs_text])
    published_on = DateField(_l("Date"), validators=[DataRequired(message=_l("Enter a date."))])


class NewsForm(FlaskForm):
    title = StringField(_l("Headline"), validators=[DataRequired(), Length(max=250)], filters=[stripped])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=50000)], filters=[paragraphs_text])
    published_at = DateTimeLocalField(_l("Published"), format=["%Y-%m-%dT%H:%M"],
                                      validators=[DataRequired(message=_l("Enter a date and time."))],
                                      description=_l("Swedish time. A time ahead publishes the news then."))


class LinkMeetingForm(FlaskForm):
    event_id = SelectField(_l("Meeting"), coerce=int, validators=[DataRequired(message=_l("Choose a meeting."))])


class CopyCycleForm(FlaskForm):
    title = StringField(_l("Title of the next cycle"), validators=[DataRequired(), Length(max=200)],
                        filters=[stripped])
    offset_days = IntegerField(_l("Move every date forward by (days)"),
                               validators=[DataRequired(), NumberRange(min=1, max=3660)],
                               description=_l("364 days keeps the weekdays a year later."))
