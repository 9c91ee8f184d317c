"""For the calendars' tests: a real CalDAV server (Radicale on a free loopback port, stopped afterwards),
and a workshop with registrations and an invitation."""

import base64
import http.client
import socket
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from conference.core.timeutil import utcnow
from conference.extensions import db
from conference.registration import invitations, services
from tests import factories as f

START_TIMEOUT = 20  # seconds for Radicale to answer
STOP_TIMEOUT = 10


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CalDAV:
    """Plain HTTP to the server: what a calendar client sends, nothing a library adds.

    With `[auth] type = none` any name logs in; each user owns the collections under /<name>/.
    """

    USER = "tester"

    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            login = base64.b64encode(f"{self.USER}:any".encode()).decode()
            connection.request(method, path, body=body, headers={"Authorization": f"Basic {login}", **(headers or {})})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


def wait_until_answering(server: CalDAV, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Radicale stopped at start: {log.read_text(errors='replace')}")
        try:
            server.request("OPTIONS", "/")
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("Radicale did not answer in time")


@pytest.fixture
def radicale(tmp_path):
    port = free_loopback_port()
    config = tmp_path / "radicale.conf"
    config.write_text(
        "[server]\n"
        f"hosts = 127.0.0.1:{port}\n"
        "[auth]\n"
        "type = none\n"
        "[rights]\n"
        "type = owner_only\n"
        "[storage]\n"
        f"filesystem_folder = {tmp_path / 'collections'}\n"
        "[web]\n"
        "type = none\n"
        "[logging]\n"
        "level = warning\n"
    )
    log = tmp_path / "radicale.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                                   stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        server = CalDAV(port)
        wait_until_answering(server, process, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


@pytest.fixture
def workshop(app):
    with app.app_context():
        start = (utcnow() + timedelta(days=20)).replace(hour=12, minute=0, second=0, microsecond=0)
        e = f.event("workshop", title="Workshop om mottagande", starts_at=start, hours=3, venue="Göteborg",
                    contact_email="eva@example.org", contact_name="Eva", kind=f.EventKind.WORKSHOP)
        with app.test_request_context():
            for name in ("anna", "bo"):
                services.register(e, services.Applicant(name=name.title(), email=f"{name}@example.org"),
                                  now=utcnow(), consent_version="test", email_confirmed=True)
            invitations.invite(e, name="Cecilia", email="cecilia@example.org")
        db.session.commit()
        return e.id
