"""The invited groups' tab on an event's organiser pages."""

from flask_babel import lazy_gettext as _l

from conference.core.shell import event_tab

event_tab("groups_manage.invited_groups", _l("Invited groups"), order=50)
