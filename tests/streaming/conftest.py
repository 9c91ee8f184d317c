"""A local stand-in for the YouTube Data API and Google's token endpoint, and a guard
that fails any test reaching beyond this machine."""

import ipaddress
import json
import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import google.auth._exponential_backoff
import googleapiclient.http
import pytest

from conference.streaming.youtube import SCOPE, YouTube

# --- No network beyond loopback -----------------------------------------------------------

LOOPBACK_NAMES = {"localhost", "localhost.", "127.0.0.1", "::1"}


class LeftTheMachine(AssertionError):
    """A test tried to reach an address that is not this machine."""


def is_loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if host is None or host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch):
    """Every connection and name lookup outside loopback fails the test, loudly: an
    AssertionError is nothing the adapter or the Google client would catch and retry."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_create_connection = socket.create_connection
    real_getaddrinfo = socket.getaddrinfo

    def refuse_unless_loopback(host):
        if not is_loopback(host):
            raise LeftTheMachine(f"a test tried to reach {host}")

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            refuse_unless_loopback(address[0])
        return real_connect(sock, address)

    def connect_ex(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            refuse_unless_loopback(address[0])
        return real_connect_ex(sock, address)

    def create_connection(address, *args, **kwargs):
        refuse_unless_loopback(address[0])
        return real_create_connection(address, *args, **kwargs)

    def getaddrinfo(host, *args, **kwargs):
        refuse_unless_loopback(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def backoff_sleeps(monkeypatch):
    """The seconds googleapiclient and google-auth would have slept between retries;
    recorded instead of slept, so retries cost no time."""
    sleeps = []
    recorder = SimpleNamespace(sleep=sleeps.append)
    monkeypatch.setattr(googleapiclient.http, "time", recorder)
    monkeypatch.setattr(google.auth._exponential_backoff, "time", recorder)
    return sleeps


# --- The stand-in API ---------------------------------------------------------------------

@dataclass
class Recorded:
    method: str
    path: str
    query: dict                 # single values, decoded: {"part": "snippet,status,contentDetails"}
    headers: dict               # lower-case names
    body: dict | str | None     # JSON or form fields, decoded


@dataclass
class FakeGoogle:
    """Answers /youtube/v3/liveBroadcasts and /token like Google would, and records every request."""

    base_url: str = ""
    requests: list = field(default_factory=list)
    broadcasts: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)          # (status, reason) for the next API requests
    token_errors: list = field(default_factory=list)    # (status, body) for the next /token requests
    delay: float = 0.0                                  # seconds to wait before answering the API
    refresh_token_in_grant: bool = True
    granted_scope: str = SCOPE
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    issued_tokens: int = 0

    @property
    def token_uri(self) -> str:
        return self.base_url + "token"

    def answer_error(self, status: int, reason: str, times: int = 1) -> None:
        self.errors.extend([(status, reason)] * times)

    def answer_token_error(self, status: int, body: dict, times: int = 1) -> None:
        self.token_errors.extend([(status, body)] * times)

    def to(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    @property
    def api_requests(self) -> list[Recorded]:
        return self.to("/youtube/v3/liveBroadcasts")

    @property
    def token_requests(self) -> list[Recorded]:
        return self.to("/token")

    def add_broadcast(self, video_id: str, **snippet) -> dict:
        resource = {
            "kind": "youtube#liveBroadcast",
            "id": video_id,
            "snippet": {"title": "Samråd om detaljplan", "description": "",
                        "scheduledStartTime": "2026-11-26T08:00:00Z", **snippet},
            "status": {"lifeCycleStatus": "ready", "privacyStatus": "unlisted",
                       "recordingStatus": "notRecording", "selfDeclaredMadeForKids": False},
            "contentDetails": {"enableEmbed": True, "recordFromStart": True},
        }
        self.broadcasts[video_id] = resource
        return resource

    # -- answers, called from the server's threads --

    def answer(self, handler: "Handler", method: str) -> tuple[int, dict]:
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode() if length else ""
        content_type = handler.headers.get("Content-Type", "")
        if "json" in content_type:
            body = json.loads(raw)
        elif "x-www-form-urlencoded" in content_type:
            body = dict(parse_qsl(raw))
        else:
            body = raw or None
        query = dict(parse_qsl(url.query))
        with self.lock:
            self.requests.append(Recorded(method, url.path, query,
                                          {k.lower(): v for k, v in handler.headers.items()}, body))
        if url.path == "/token" and method == "POST":
            return self.answer_token(body)
        if url.path == "/youtube/v3/liveBroadcasts":
            if self.delay:
                self.stopping.wait(self.delay)
            with self.lock:
                error = self.errors.pop(0) if self.errors else None
            if error:
                return error[0], google_error(*error)
            if method == "GET":
                return self.list_broadcasts(query)
            if method == "POST":
                return self.insert_broadcast(query, body)
            if method == "PUT":
                return self.update_broadcast(query, body)
        return 404, google_error(404, "notFound")

    def answer_token(self, form: dict) -> tuple[int, dict]:
        with self.lock:
            if self.token_errors:
                return self.token_errors.pop(0)
            self.issued_tokens += 1
            token = {"access_token": f"fresh-token-{self.issued_tokens}", "expires_in": 3599,
                     "token_type": "Bearer", "scope": self.granted_scope}
        if form.get("grant_type") == "authorization_code" and self.refresh_token_in_grant:
            token["refresh_token"] = "granted-refresh-token"
        return 200, token

    def list_broadcasts(self, query: dict) -> tuple[int, dict]:
        found = self.broadcasts.get(query.get("id", ""))
        items = [only_parts(found, query["part"])] if found else []
        return 200, {"kind": "youtube#liveBroadcastListResponse", "items": items,
                     "pageInfo": {"totalResults": len(items), "resultsPerPage": 5}}

    def insert_broadcast(self, query: dict, body: dict) -> tuple[int, dict]:
        with self.lock:
            video_id = f"new{len(self.broadcasts):08d}"
        resource = {
            "kind": "youtube#liveBroadcast",
            "id": video_id,
            "snippet": {**body["snippet"], "channelId": "UCtestchannel", "publishedAt": "2026-10-01T09:00:00Z"},
            "status": {"lifeCycleStatus": "created", "recordingStatus": "notRecording", **body["status"]},
            "contentDetails": {"enableEmbed": False, "recordFromStart": True, **body.get("contentDetails", {})},
        }
        self.broadcasts[video_id] = resource
        return 200, only_parts(resource, query["part"])

    def update_broadcast(self, query: dict, body: dict) -> tuple[int, dict]:
        resource = self.broadcasts.get(body.get("id"))
        if resource is None:
            return 404, google_error(404, "liveBroadcastNotFound")
        for part in query["part"].split(","):
            if part in body:    # an update replaces every mutable field of the parts named
                kept = {k: v for k, v in resource[part].items() if k in ("channelId", "publishedAt")}
                resource[part] = {**kept, **body[part]}
        return 200, only_parts(resource, query["part"])


def only_parts(resource: dict, part: str) -> dict:
    parts = set(part.split(","))
    return {k: v for k, v in resource.items() if k in ("kind", "id") or k in parts}


def google_error(status: int, reason: str) -> dict:
    return {"error": {"code": status, "message": f"The request failed: {reason}.",
                      "errors": [{"message": f"The request failed: {reason}.", "domain": "youtube.test",
                                  "reason": reason}]}}


class Handler(BaseHTTPRequestHandler):
    fake: FakeGoogle

    def do_GET(self):
        self.respond(*self.fake.answer(self, "GET"))

    def do_POST(self):
        self.respond(*self.fake.answer(self, "POST"))

    def do_PUT(self):
        self.respond(*self.fake.answer(self, "PUT"))

    def respond(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass    # the client gave up waiting: that was the point of the delay

    def log_message(self, format, *args):
        pass


@pytest.fixture
def google_api():
    """The stand-in, serving on 127.0.0.1 on a free port for one test."""
    fake = FakeGoogle()
    handler = type("BoundHandler", (Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield fake
    fake.stopping.set()
    server.shutdown()
    server.server_close()
    thread.join()


def hours_from_now(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def credentials_info(google_api):
    """An organiser's stored authorization, its access token valid for another hour."""
    return {
        "token": "test-token",
        "refresh_token": "test-refresh-token",
        "token_uri": google_api.token_uri,
        "client_id": "test-client.apps.googleusercontent.com",
        "client_secret": "test-client-secret",
        "scopes": [SCOPE],
        "expiry": hours_from_now(1),
    }


@pytest.fixture
def youtube(google_api, credentials_info):
    return YouTube(credentials_info, api_endpoint=google_api.base_url, timeout=5)


@pytest.fixture
def client_config(google_api, monkeypatch):
    """A web client's secrets, with the token endpoint on the stand-in.

    oauthlib refuses plain-HTTP token endpoints unless told otherwise; production's is https.
    """
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    return {"web": {
        "client_id": "test-client.apps.googleusercontent.com",
        "client_secret": "test-client-secret",
        "project_id": "conference-test",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": google_api.token_uri,
        "redirect_uris": ["https://conference.example.org/admin/youtube/callback"],
    }}
