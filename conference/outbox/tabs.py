"""The outbox's tab on an event's organiser pages: the event's outgoing e-mail."""

from flask_babel import lazy_gettext as _l

from conference.core.shell import event_tab

event_tab("outbox_manage.outbox_state", _l("Outgoing e-mail"), order=100)
