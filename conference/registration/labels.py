"""Translatable names for registration's states."""

from flask_babel import lazy_gettext as _l

from conference.registration.models import InvitationState, RegistrationState

STATE = {
    RegistrationState.PENDING: _l("Waiting for you to confirm your e-mail address"),
    RegistrationState.CONFIRMED: _l("Registered"),
    RegistrationState.WAITLISTED: _l("On the waiting list"),
    RegistrationState.CANCELLED: _l("Cancelled"),
    RegistrationState.EXPIRED: _l("Expired: the e-mail address was never confirmed"),
}

STATE_SHORT = {
    RegistrationState.PENDING: _l("Unconfirmed"),
    RegistrationState.CONFIRMED: _l("Confirmed"),
    RegistrationState.WAITLISTED: _l("Waiting"),
    RegistrationState.CANCELLED: _l("Cancelled"),
    RegistrationState.EXPIRED: _l("Expired"),
}

INVITATION = {
    InvitationState.INVITED: _l("No answer yet"),
    InvitationState.ACCEPTED: _l("Accepted"),
    InvitationState.DECLINED: _l("Declined"),
}
