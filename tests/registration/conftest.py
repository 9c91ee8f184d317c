"""Helpers to read the mails the `smtp` fixture (tests/fixtures/smtp.py) received, and to run the outbox."""

import re

from conference.core.timeutil import utcnow
from conference.extensions import db
from conference.outbox import services as outbox


def text_body(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message, pattern: str = r"https?://\S+") -> str:
    """The first link in the text part, as a path the test client can open."""
    match = re.search(pattern, text_body(message))
    assert match, text_body(message)
    return re.sub(r"^https?://[^/]+", "", match.group(0))


def deliver(app) -> int:
    """Run the outbox worker once, as `flask outbox work --once` does."""
    with app.app_context():
        sent = outbox.deliver_due(utcnow())
        db.session.remove()
        return sent
