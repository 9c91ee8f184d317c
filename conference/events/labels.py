"""Translatable names for the programme's enumerations."""

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from conference.core.forms import options

from conference.events.models import (EventFormat, EventKind, OrganisationKind, OrganiserRole,
                                      RegistrationPolicy, SessionKind, SpeakerRole)
from conference.events.services import RegistrationState

EVENT_KIND = {
    EventKind.CONFERENCE: _l("Conference"),
    EventKind.WORKSHOP: _l("Workshop"),
    EventKind.DISCUSSION_MEETING: _l("Discussion meeting"),
    EventKind.CONSULTATION: _l("Consultation meeting"),
    EventKind.FOLLOW_UP_DIALOGUE: _l("Follow-up dialogue"),
    EventKind.KICK_OFF: _l("Kick-off meeting"),
}

EVENT_FORMAT = {
    EventFormat.DIGITAL: _l("Digital"),
    EventFormat.ON_SITE: _l("On site"),
    EventFormat.HYBRID: _l("Hybrid (on site and digital)"),
}

REGISTRATION_POLICY = {
    RegistrationPolicy.OPEN: _l("Open to everyone"),
    RegistrationPolicy.INVITATION_ONLY: _l("By invitation only"),
    RegistrationPolicy.CLOSED: _l("No registration"),
}

REGISTRATION_STATE = {
    RegistrationState.OPEN: _l("Registration is open"),
    RegistrationState.NOT_YET_OPEN: _l("Registration has not opened yet"),
    RegistrationState.CLOSED: _l("Registration is closed"),
    RegistrationState.INVITATION_ONLY: _l("By invitation only"),
    RegistrationState.NONE: _l("No registration needed"),
}

ORGANISATION_KIND = {
    OrganisationKind.AUTHORITY: _l("Government agency"),
    OrganisationKind.REGION: _l("Region"),
    OrganisationKind.MUNICIPALITY: _l("Municipality"),
    OrganisationKind.NGO: _l("Civil-society organisation"),
    OrganisationKind.RESEARCH: _l("Research"),
    OrganisationKind.EDUCATION: _l("Education"),
    OrganisationKind.MEDIA: _l("Media"),
    OrganisationKind.OTHER: _l("Other"),
}

ORGANISER_ROLE = {
    OrganiserRole.HOST: _l("Host"),
    OrganiserRole.CO_ORGANISER: _l("Co-organiser"),
    OrganiserRole.PARTNER: _l("Partner"),
}

SESSION_KIND = {
    SessionKind.TALK: _l("Talk"),
    SessionKind.PANEL: _l("Panel"),
    SessionKind.BREAK: _l("Break"),
    SessionKind.GROUP_DISCUSSION: _l("Group discussion"),
}

SPEAKER_ROLE = {
    SpeakerRole.SPEAKER: _l("Speaker"),
    SpeakerRole.MODERATOR: _l("Moderator"),
}

LANGUAGE = {"sv": _l("Swedish"), "en": _l("English"), "fi": _l("Finnish")}

TIMEZONE = {"Europe/Stockholm": _l("Swedish time (Europe/Stockholm)"),
            "Europe/Helsinki": _l("Finnish time (Europe/Helsinki)")}


def choices(mapping: dict) -> list[SelectChoice]:
    return options((key.value if hasattr(key, "value") else key, label) for key, label in mapping.items())
