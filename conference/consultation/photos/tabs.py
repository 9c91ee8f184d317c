"""The photos' tab on an event's organiser pages."""

from flask_babel import lazy_gettext as _l

from conference.core.shell import event_tab

event_tab("photos_manage.photos", _l("Photos"), order=70)
