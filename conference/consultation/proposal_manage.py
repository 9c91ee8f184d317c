"""Organiser pages of agenda proposals: every proposal, feedback on each, publishing, follow-up topics."""

from conference.consultation.manage import bp  # noqa: F401
