"""The press's tabs on an event's organiser pages: the requests to review, and the stream."""

from flask_babel import lazy_gettext as _l

from conference.core.shell import event_tab

event_tab("press_manage.review_queue", _l("Press"), order=80)
event_tab("press_manage.stream", _l("Stream"), order=90)
