"""Organiser pages of written feedback: the window, the comments, their export and the summary."""

from conference.consultation.meeting_manage import bp  # noqa: F401
