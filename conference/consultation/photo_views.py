"""Public pages of photos: the image itself and the takedown request."""

from conference.consultation.views import bp  # noqa: F401
