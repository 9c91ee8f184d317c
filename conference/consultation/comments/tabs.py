"""The written comments' tab on an event's organiser pages."""

from flask_babel import lazy_gettext as _l

from conference.core.shell import event_tab

event_tab("comments_manage.feedback_window", _l("Written comments"), order=60)
