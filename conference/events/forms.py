"""Organiser forms of the programme."""

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, DateTimeLocalField, EmailField, IntegerField, SelectField, StringField,
                     TextAreaField, TimeField, URLField)
from sqlalchemy import select
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError

from conference.core.forms import ConfirmForm, options, stripped  # noqa: F401 (views use forms.ConfirmForm)
from conference.core.timeutil import to_utc, wall_clock_problem
from conference.events import labels, registry_numbers
from conference.events.models import (EventFormat, EventKind, EventSeries, Organisation, Person, RegistrationPolicy,
                                      SessionKind)
from conference.events.services import EventDetails, SessionDetails
from conference.extensions import db

SLUG = Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
              message=_l("Use lower-case letters a–z, digits and hyphens only."))


class RealWallClockTime:
    """Refuse a local time the clocks skip in spring, or pass twice in autumn."""

    def __call__(self, form, field):
        if field.data is None:
            return
        tz_name = getattr(form, "timezone_name", None) or form.timezone.data
        if tz_name not in current_app.config["SUPPORTED_TIMEZONES"]:
            return  # the timezone field says what is wrong
        problem = wall_clock_problem(field.data, tz_name)
        if problem == "nonexistent":
            raise ValidationError(_l("This time does not exist: the clocks go forward an hour that night."))
        if problem == "ambiguous":
            raise ValidationError(_l("This time occurs twice: the clocks go back an hour that night. "
                                     "Choose a time outside that hour."))


def local_datetime_field(label):
    return DateTimeLocalField(label, format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                              validators=[DataRequired(message=_l("Enter a date and time.")), RealWallClockTime()])


def optional_local_datetime_field(label, description=""):
    return DateTimeLocalField(label, format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                              validators=[Optional(), RealWallClockTime()], description=description)


def paragraphs_text(value: str | None) -> str | None:
    """Browsers send CRLF; the pages split paragraphs on blank lines."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() if isinstance(value, str) else value


class SupportedTimezone:
    def __call__(self, form, field):
        if field.data not in current_app.config["SUPPORTED_TIMEZONES"]:
            raise ValidationError(_l("Choose a supported timezone."))


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    slug = StringField(_l("Web address (slug)"), validators=[Optional(), Length(max=80), SLUG],
                       description=_l("Part of the page address. Left empty, it is made from the title."))
    series_id = SelectField(_l("Series"), coerce=int, validators=[Optional()])
    kind = SelectField(_l("Kind of event"), choices=labels.choices(labels.EVENT_KIND))
    format = SelectField(_l("Format"), choices=labels.choices(labels.EVENT_FORMAT))
    timezone = SelectField(_l("Timezone"), choices=labels.choices(labels.TIMEZONE),
                           validators=[SupportedTimezone()])
    starts_at = local_datetime_field(_l("Starts"))
    ends_at = local_datetime_field(_l("Ends"))
    summary = TextAreaField(_l("Description"), validators=[Length(max=20000)], filters=[paragraphs_text])
    venue = StringField(_l("Venue"), validators=[Length(max=300)],
                        description=_l("Address, for on-site and hybrid events."))
    audience = TextAreaField(_l("Audience"), validators=[Length(max=2000)], filters=[paragraphs_text])
    contact_name = StringField(_l("Contact person"), validators=[Length(max=200)], filters=[stripped])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email(), Length(max=254)],
                               filters=[stripped])
    contact_phone = StringField(_l("Contact phone"), validators=[Length(max=40)], filters=[stripped])
    registration_policy = SelectField(_l("Registration"), choices=labels.choices(labels.REGISTRATION_POLICY))
    capacity = IntegerField(_l("Places"), validators=[Optional(), NumberRange(min=0, max=1_000_000)],
                            description=_l("Leave empty for no limit."))
    registration_opens_at = optional_local_datetime_field(_l("Registration opens"))
    registration_closes_at = optional_local_datetime_field(
        _l("Registration closes"), description=_l("Left empty, registration closes when the event starts."))
    attendees_pick_sessions = BooleanField(_l("Attendees pick the sessions they will attend"),
                                           description=_l("Each picked session then comes into their calendar "
                                                          "on its own."))
    published = SelectField(_l("Visibility"), coerce=int,
                            choices=options([(0, _l("Draft: organisers only")), (1, _l("Published"))]))

    def details(self) -> EventDetails:
        """What the organiser stated, its wall-clock times read in the event's timezone."""
        tz = self.timezone.data

        def moment(field):
            return to_utc(field.data, tz) if field.data else None

        return EventDetails(
            title=self.title.data, slug=self.slug.data or "", series_id=self.series_id.data or None,
            kind=EventKind(self.kind.data), format=EventFormat(self.format.data), timezone=tz,
            starts_at=moment(self.starts_at), ends_at=moment(self.ends_at), summary=self.summary.data or "",
            venue=self.venue.data or "", audience=self.audience.data or "", contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "", contact_phone=self.contact_phone.data or "",
            registration_policy=RegistrationPolicy(self.registration_policy.data), capacity=self.capacity.data,
            registration_opens_at=moment(self.registration_opens_at),
            registration_closes_at=moment(self.registration_closes_at), published=bool(self.published.data),
            attendees_pick_sessions=bool(self.attendees_pick_sessions.data))


class StageForm(FlaskForm):
    name = StringField(_l("Name of the stage or room"), validators=[DataRequired(), Length(max=120)], filters=[stripped])


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=250)], filters=[stripped])
    kind = SelectField(_l("Kind"), choices=labels.choices(labels.SESSION_KIND))
    starts_at = local_datetime_field(_l("Starts"))
    ends_at = local_datetime_field(_l("Ends"))
    stage_id = SelectField(_l("Stage or room"), coerce=int, validators=[Optional()])
    language = SelectField(_l("Language"), choices=labels.choices(labels.LANGUAGE))
    abstract = TextAreaField(_l("Abstract"), validators=[Length(max=20000)], filters=[paragraphs_text])

    def details(self, tz_name: str) -> SessionDetails:
        """What the organiser stated, its wall-clock times read in the event's timezone."""
        return SessionDetails(title=self.title.data, kind=SessionKind(self.kind.data),
                              starts_at=to_utc(self.starts_at.data, tz_name), ends_at=to_utc(self.ends_at.data, tz_name),
                              stage_id=self.stage_id.data or None, language=self.language.data,
                              abstract=self.abstract.data or "")


class SpeakerForm(FlaskForm):
    person_id = SelectField(_l("Person"), coerce=int, validators=[DataRequired(message=_l("Choose a person."))])
    role = SelectField(_l("Role"), choices=labels.choices(labels.SPEAKER_ROLE))


class PersonForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    bio = TextAreaField(_l("Short biography"), validators=[Length(max=5000)], filters=[paragraphs_text])


class AppointmentForm(FlaskForm):
    title = StringField(_l("Title or position"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[Optional()])
    valid_from = DateField(_l("From"), validators=[DataRequired(message=_l("Enter a date."))])
    valid_to = DateField(_l("To"), validators=[Optional()],
                         description=_l("Leave empty while the position is held."))


class RegistryNumberField(StringField):
    """Holds the normalised number and its country once validated."""

    parsed: registry_numbers.RegistryNumber | None = None

    def pre_validate(self, form):
        self.parsed = None
        if self.data and self.data.strip():
            try:
                self.parsed = registry_numbers.parse(self.data)
            except registry_numbers.InvalidRegistryNumber:
                raise ValidationError(_l(
                    "This is not a valid Swedish organisationsnummer (NNNNNN-NNNN) or Finnish "
                    "Y-tunnus (NNNNNNN-N): check the digits."))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    short_name = StringField(_l("Short name"), validators=[Length(max=60)], filters=[stripped])
    slug = StringField(_l("Web address (slug)"), validators=[Optional(), Length(max=80), SLUG],
                       description=_l("Part of the page address. Left empty, it is made from the name."))
    kind = SelectField(_l("Kind"), choices=labels.choices(labels.ORGANISATION_KIND))
    registry_number = RegistryNumberField(
        _l("Organisation number"), validators=[Length(max=20)],
        description=_l("Swedish organisationsnummer or Finnish Y-tunnus (optional)."))
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300),
                                                  Regexp(r"^https?://", message=_l("Start with https://"))])
    logo = FileField(_l("Logo"))


class EventOrganisationForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int,
                                  validators=[DataRequired(message=_l("Choose an organisation."))])
    role = SelectField(_l("Role"), choices=labels.choices(labels.ORGANISER_ROLE))


class SeriesForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], filters=[stripped])
    slug = StringField(_l("Web address (slug)"), validators=[Optional(), Length(max=80), SLUG])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)], filters=[paragraphs_text])


class MeetingSeriesForm(FlaskForm):
    """A series of meetings: every N weeks from a first date, or on dates of their own."""

    name = StringField(_l("Name of the series"), validators=[DataRequired(), Length(max=150)], filters=[stripped])
    kind = SelectField(_l("Kind of meetings"), choices=labels.choices(labels.EVENT_KIND))
    format = SelectField(_l("Format"), choices=labels.choices(labels.EVENT_FORMAT))
    timezone = SelectField(_l("Timezone"), choices=labels.choices(labels.TIMEZONE), validators=[SupportedTimezone()])
    starts_at_time = TimeField(_l("Every meeting starts at"), validators=[DataRequired(message=_l("Enter a time."))])
    duration_minutes = IntegerField(_l("Length of each meeting, in minutes"),
                                    validators=[DataRequired(), NumberRange(min=15, max=12 * 60)])
    first_date = DateField(_l("First meeting"), validators=[Optional()],
                           description=_l("With “every … weeks” and the number of meetings."))
    interval_weeks = IntegerField(_l("Every … weeks"), validators=[Optional(), NumberRange(min=1, max=52)])
    count = IntegerField(_l("Number of meetings"), validators=[Optional(), NumberRange(min=2, max=52)])
    dates = TextAreaField(_l("Or: the dates, one a line"), validators=[Length(max=2000)],
                          description=_l("For meetings that follow no rule, such as a samråd and two sakråd "
                                         "(YYYY-MM-DD)."))
    venue = StringField(_l("Venue"), validators=[Length(max=300)], filters=[stripped])
    contact_name = StringField(_l("Contact person"), validators=[Length(max=200)], filters=[stripped])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email(), Length(max=254)],
                               filters=[stripped])
    capacity = IntegerField(_l("Places at each meeting"), validators=[Optional(), NumberRange(min=1, max=100000)])
    summary = TextAreaField(_l("Description"), validators=[Length(max=20000)], filters=[paragraphs_text])

    def listed_dates(self) -> list:
        """The dates typed one a line; a line that is no date is an error beside the field."""
        found = []
        for line in (self.dates.data or "").splitlines():
            if line.strip():
                try:
                    found.append(date.fromisoformat(line.strip()))
                except ValueError:
                    self.dates.errors = list(self.dates.errors) + [
                        _l("“%(line)s” is not a date (YYYY-MM-DD).", line=line.strip())]
        return found


# ---------------------------------------------------------------- choices from the shared register

def organisation_choices():
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name))
    return options((o.id, o.name) for o in organisations)


def person_choices():
    return options((p.id, p.name) for p in db.session.scalars(select(Person).order_by(Person.name)))


def series_choices():
    series = db.session.scalars(select(EventSeries).order_by(EventSeries.name))
    return options([(0, _("— none —"))] + [(s.id, s.name) for s in series])
