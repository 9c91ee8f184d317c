"""Public pages of agenda proposals: the form, the e-mail confirmation and the proposer's own page."""

from conference.consultation.views import bp  # noqa: F401
