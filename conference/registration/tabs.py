"""Registration's tabs on an event's organiser pages: who comes, how many over time, whom we invited,
and the door."""

from flask_babel import lazy_gettext as _l

from conference.core.shell import event_tab
from conference.events.models import EventFormat, RegistrationPolicy

event_tab("registration_manage.registration_list", _l("Registrations"), order=20)
event_tab("registration_manage.statistics", _l("Statistics"), order=30)
event_tab("registration_manage.invitation_list", _l("Invitations"), order=40,
          shown=lambda event: event.registration_policy is RegistrationPolicy.INVITATION_ONLY)
# nobody comes to the door of a digital event
event_tab("registration_manage.checkin", _l("Check-in"), order=110,
          shown=lambda event: event.format is not EventFormat.DIGITAL)
