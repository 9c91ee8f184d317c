"""Public pages of written feedback: the comment form for participants and, where allowed, anyone."""

from conference.consultation.views import bp  # noqa: F401
