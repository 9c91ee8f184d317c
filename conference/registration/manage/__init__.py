"""Organiser pages of registration, on one blueprint: `registrations` (the list, changes by hand,
the export and the statistics), `invitations` (inviting, and the mail that carries them) and
`desk` (check-in at the door). Each view parses its form, calls a service, commits once and answers.
"""

from flask import Blueprint

bp = Blueprint("registrations", __name__)

# the route modules register their views on bp
from conference.registration.manage import desk, invitations, registrations  # noqa: E402,F401
