"""Secrets that travel in links: random, stored hashed, compared in constant time.

A personal link must be sent again on request, so its token cannot be thrown away after the
first mail. Each holder keeps a random nonce instead; the token is an HMAC of the nonce under
the application's secret key. The database alone gives away no token, a lookup goes through the
token's SHA-256, and a new nonce revokes every link made from the old one.
"""

import base64
import hashlib
import hmac
import secrets
from typing import TypeVar

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from conference.extensions import db

NONCE_BYTES = 24  # 192 random bits
# Our tokens are 26 (ticket codes) to 43 (links) characters: anything far longer is no token of ours.
MAX_TOKEN_LENGTH = 100
# Ticket codes are typed at the door: no 0/O, 1/I/L look-alikes (as pretix does).
TICKET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TICKET_LENGTH = 26  # 26 symbols of a 31-letter alphabet carry 128 bits


def new_token() -> str:
    return secrets.token_urlsafe(NONCE_BYTES)


def new_nonce() -> str:
    return secrets.token_hex(NONCE_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


Row = TypeVar("Row")


def by_token(model: type[Row], column: InstrumentedAttribute[str], token: str) -> Row | None:
    """The row of `model` whose `column` holds the hash of `token`, or None.

    The database is asked by the token's SHA-256; the hash found is compared in constant time all the
    same. An empty or overlong token (or none at all) is refused without a query.
    """
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    hashed = hash_token(token)
    found = db.session.scalar(select(model).where(column == hashed))
    if found is not None and hmac.compare_digest(hashed, getattr(found, column.key)):
        return found
    return None


def _mac(purpose: str, nonce: str) -> bytes:
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, f"{purpose}:{nonce}".encode("ascii"), hashlib.sha256).digest()


def link_token(purpose: str, nonce: str) -> str:
    """The URL-safe token for a personal link (256 bits)."""
    return base64.urlsafe_b64encode(_mac(purpose, nonce)).decode("ascii").rstrip("=")


def ticket_code(nonce: str) -> str:
    """A ticket code in the unambiguous alphabet, 128 bits, for QR codes and typing at the door."""
    number = int.from_bytes(_mac("ticket", nonce), "big")
    symbols = []
    for _ in range(TICKET_LENGTH):
        number, index = divmod(number, len(TICKET_ALPHABET))
        symbols.append(TICKET_ALPHABET[index])
    return "".join(symbols)


def normalise_ticket_code(typed: str) -> str:
    """What a person types at the door, in any case, with spaces or hyphens."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def grouped(code: str, size: int = 5) -> str:
    """ABCDE-FGHJK-…: easier to read aloud and to type."""
    return "-".join(code[i:i + size] for i in range(0, len(code), size))
