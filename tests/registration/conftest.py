"""A real SMTP server (aiosmtpd) on loopback, and helpers to register and read what arrives."""

import email
import re
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from conference.core.timeutil import utcnow
from conference.extensions import db, mail
from conference.outbox import services as outbox


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the SMTP server received; `refuse` maps an address to the answer its RCPT gets."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["To"]]

    def subjects_for(self, address: str) -> list[str]:
        return [m["Subject"] for m in self.to(address)]

    def last(self, address: str) -> email.message.EmailMessage:
        found = self.to(address)
        assert found, f"no mail to {address}; subjects: {[m['Subject'] for m in self.messages]}"
        return found[-1]


def text_body(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message, pattern: str = r"https?://\S+") -> str:
    """The first link in the text part, as a path the test client can open."""
    match = re.search(pattern, text_body(message))
    assert match, text_body(message)
    return re.sub(r"^https?://[^/]+", "", match.group(0))


def use_smtp_server(app, host: str, port: int) -> None:
    app.config.update(MAIL_SERVER=host, MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USE_SSL=False,
                      MAIL_SUPPRESS_SEND=False)
    # Flask-Mail reads its settings once, at init_app
    app.extensions["mail"] = mail.init_mail(app.config, app.debug, testing=False)


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_PORT")}
    use_smtp_server(app, "127.0.0.1", port)
    inbox.controller = controller
    inbox.port = port
    yield inbox
    controller.stop()
    app.config.update(saved)
    app.extensions["mail"] = mail.init_mail(app.config, app.debug, testing=True)


def deliver(app) -> int:
    """Run the outbox worker once, as `flask outbox work --once` does."""
    with app.app_context():
        sent = outbox.deliver_due(utcnow())
        db.session.remove()
        return sent
