"""Organiser pages of a meeting's consultation parts; each route checks the role on the event."""

from flask import Blueprint

bp = Blueprint("meeting_manage", __name__)


def _register_routes() -> None:
    from conference.consultation import comment_manage, photo_manage  # noqa: F401


_register_routes()
