"""Translatable names of a process's phases."""

from flask_babel import lazy_gettext as _l

from conference.consultation.processes.models import PhaseKind

PHASE_KIND = {
    PhaseKind.AGENDA_PROPOSALS: _l("Agenda proposals"),
    PhaseKind.CONSULTATION_MEETING: _l("Consultation meeting"),
    PhaseKind.FOLLOW_UP_DIALOGUE: _l("Follow-up dialogue"),
    PhaseKind.OTHER_DIALOGUE: _l("Other dialogue"),
    PhaseKind.PREPARATION: _l("Preparation"),
}
