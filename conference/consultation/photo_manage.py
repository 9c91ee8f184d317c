"""Organiser pages of photos: upload, caption and credit, takedown requests."""

from conference.consultation.meeting_manage import bp  # noqa: F401
