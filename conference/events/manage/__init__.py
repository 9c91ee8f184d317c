"""Organiser pages of the programme and of the shared register, on one blueprint.

The routes are split by domain: `events` (the dashboard, an event, its organisers), `programme`
(stages, sessions, speakers) and `register` (organisations, people, series). Each view parses
its form, calls a service, commits once and answers.
"""

from flask import Blueprint

bp = Blueprint("manage", __name__)

# the route modules register their views on bp
from conference.events.manage import events, programme, register  # noqa: E402,F401
