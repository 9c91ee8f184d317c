"""Organiser pages of registration, on one blueprint, `registration_manage` (the public pages are
`registration`): `registrations` (the list, changes by hand, the export and the statistics),
`invitations` (inviting one person or a file of them) and `desk` (check-in at the door). Each
view parses its form, calls a service, commits once and answers.
"""

from flask import Blueprint

bp = Blueprint("registration_manage", __name__)

# the route modules register their views on bp
from conference.registration.manage import desk, invitations, registrations  # noqa: E402,F401
