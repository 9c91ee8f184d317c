"""The secrets in a registrant's links: the personal manage link, the agenda feed, the ticket.

Each is derived from the registration's nonce and stored only as a hash; a new nonce
revokes every earlier link and ticket at once.
"""

import hmac

from conference.core import tokens
from conference.extensions import db
from conference.registration.models import Registration

MANAGE = "manage"
AGENDA = "agenda"


def manage_token(registration: Registration) -> str:
    return tokens.link_token(MANAGE, registration.manage_nonce)


def ticket_code(registration: Registration) -> str:
    return tokens.ticket_code(registration.manage_nonce)


def give_new_secrets(registration: Registration) -> None:
    """A new personal link and ticket; every earlier link and ticket stops working."""
    registration.manage_nonce = tokens.new_nonce()
    registration.manage_token_hash = tokens.hash_token(manage_token(registration))
    registration.ticket_code_hash = tokens.hash_token(ticket_code(registration))


def by_manage_token(token: str) -> Registration | None:
    return tokens.by_token(Registration, Registration.manage_token_hash, token)


def agenda_token(registration: Registration) -> str:
    return tokens.link_token(AGENDA, registration.manage_nonce)


def by_agenda_token(registration_id: int, token: str) -> Registration | None:
    found = db.session.get(Registration, registration_id)
    # compared as bytes: a made-up token with letters beyond ASCII is a mismatch, not an error
    if found is not None and hmac.compare_digest(agenda_token(found).encode(), token.encode()):
        return found
    return None


def by_ticket_code(typed: str) -> Registration | None:
    code = tokens.normalise_ticket_code(typed)
    if len(code) != tokens.TICKET_LENGTH:
        return None
    return tokens.by_token(Registration, Registration.ticket_code_hash, code)
