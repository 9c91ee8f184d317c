"""The programme's tab on an event's organiser pages: the event itself, first."""

from flask_babel import lazy_gettext as _l

from conference.core.shell import event_tab

event_tab("manage.event", _l("Programme and details"), order=10)
