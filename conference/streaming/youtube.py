"""The YouTube Data API adapter: live broadcasts and the OAuth connection of a channel.

Plain Python, no Flask: callers pass values in and get `BroadcastInfo` back or a
`StreamingError` whose `code` the UI translates. YouTube live streaming accepts no service
accounts and no API keys, so every call runs as the organiser, with the authorized-user
JSON (token, refresh_token, token_uri, client_id, client_secret, scopes) that
`exchange_code` returned when they connected their channel.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import google_auth_httplib2
import httplib2
import requests
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

SCOPE = "https://www.googleapis.com/auth/youtube"
GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
# Where the console flow sends the browser when the client config names no redirect URI:
# nothing listens there, the organiser copies the address (or its code) from the address bar.
LOOPBACK_REDIRECT_URI = "http://localhost"

BROADCAST_PARTS = "id,snippet,status,contentDetails"
# Retries of 5xx, 429, rateLimitExceeded and timeouts, with googleapiclient's back-off.
# A 403 quotaExceeded is never retried by googleapiclient (it retries 403 only for
# rateLimitExceeded/userRateLimitExceeded).
NUM_RETRIES = 2
TITLE_LIMIT = 100          # characters, YouTube's limit for snippet.title
DESCRIPTION_LIMIT = 5000   # characters, YouTube's limit for snippet.description

_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_WATCH_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
_EMBED_HOSTS = _WATCH_HOSTS | {"youtube-nocookie.com", "www.youtube-nocookie.com"}


# --- Errors -------------------------------------------------------------------------------

class StreamingError(Exception):
    """Something the organiser should be told about; `code` names it for the UI."""

    code = "streaming_error"

    def __init__(self, detail: str = "", *, code: str | None = None, reason: str | None = None):
        if code is not None:
            self.code = code
        self.reason = reason
        super().__init__(detail or reason or self.code)


class QuotaExceeded(StreamingError):
    """The project's daily API quota is spent; it resets at midnight Pacific time."""

    code = "quota_exceeded"


class LiveStreamingNotEnabled(StreamingError):
    """The channel has not been enabled for live streaming (or is barred from it)."""

    code = "live_streaming_not_enabled"


class CredentialsRevoked(StreamingError):
    """The stored authorization no longer works: the organiser has to connect the channel again."""

    code = "credentials_revoked"


class NoRefreshToken(StreamingError):
    """Google granted access without a refresh token, so the connection would die within the hour."""

    code = "no_refresh_token"


class AuthorizationFailed(StreamingError):
    """Connecting the channel did not work; `reason` says why (access_denied, state_mismatch, …)."""

    code = "authorization_failed"


class BroadcastNotFound(StreamingError):
    """No broadcast with that id on the connected channel."""

    code = "not_found"


class YouTubeUnreachable(StreamingError):
    """Timeouts, connection errors, or server errors that outlasted the retries."""

    code = "unreachable"


class YouTubeError(StreamingError):
    """Any other refusal by the API; `reason` is YouTube's own (e.g. invalidScheduledStartTime)."""

    code = "api_error"


# --- Broadcasts ---------------------------------------------------------------------------

@dataclass(frozen=True)
class BroadcastInfo:
    """What YouTube says about one live broadcast; the id is also the video id."""

    id: str
    title: str
    scheduled_start: datetime | None    # aware, UTC
    scheduled_end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    life_cycle_status: str              # created, ready, testing, live, complete, revoked, …
    privacy_status: str                 # public, unlisted, private
    embeddable: bool

    @property
    def watch_url(self) -> str:
        return f"https://www.youtube.com/watch?v={self.id}"

    @property
    def embed_url(self) -> str:
        """The privacy-enhanced player: no cookies until the viewer presses play."""
        return f"https://www.youtube-nocookie.com/embed/{self.id}"

    @classmethod
    def from_resource(cls, item: dict) -> BroadcastInfo:
        snippet = item.get("snippet", {})
        status = item.get("status", {})
        return cls(
            id=item["id"],
            title=snippet.get("title", ""),
            scheduled_start=_parse_time(snippet.get("scheduledStartTime")),
            scheduled_end=_parse_time(snippet.get("scheduledEndTime")),
            actual_start=_parse_time(snippet.get("actualStartTime")),
            actual_end=_parse_time(snippet.get("actualEndTime")),
            life_cycle_status=status.get("lifeCycleStatus", ""),
            privacy_status=status.get("privacyStatus", ""),
            embeddable=bool(item.get("contentDetails", {}).get("enableEmbed", False)),
        )


def parse_broadcast_id(text: str) -> str:
    """The video id in a bare id or a YouTube link (watch, youtu.be, live, embed, Studio)."""
    text = (text or "").strip()
    if _VIDEO_ID.fullmatch(text):
        return text
    if not re.match(r"https?://", text, re.IGNORECASE):
        text = "https://" + text    # "youtu.be/ID", "www.youtube.com/watch?v=ID"
    url = urlsplit(text)
    host = (url.hostname or "").lower()
    segments = [s for s in url.path.split("/") if s]
    candidate = None
    if host in _WATCH_HOSTS and segments == ["watch"]:
        candidate = parse_qs(url.query).get("v", [None])[0]
    elif host == "youtu.be" and len(segments) == 1:
        candidate = segments[0]
    elif host in _WATCH_HOSTS and len(segments) == 2 and segments[0] == "live":
        candidate = segments[1]
    elif host in _EMBED_HOSTS and len(segments) == 2 and segments[0] == "embed":
        candidate = segments[1]
    elif host == "studio.youtube.com" and len(segments) >= 2 and segments[0] == "video":
        candidate = segments[1]
    if url.scheme.lower() in ("http", "https") and candidate and _VIDEO_ID.fullmatch(candidate):
        return candidate
    raise ValueError(f"Not a YouTube video id or link: {text!r}")


class YouTube:
    """Live broadcasts of one connected channel.

    A new API client per call, because httplib2 is not thread-safe; the credentials are
    shared between calls, and refresh themselves when the access token has expired (an
    info dict without `expiry` counts as expired, so store `refreshed_credentials_info()`).
    """

    def __init__(self, credentials_info: dict, api_endpoint: str | None = None, timeout: float = 20):
        self._credentials = _credentials(credentials_info)
        self._api_endpoint = api_endpoint
        self._timeout = timeout

    def get_broadcast(self, broadcast_id: str) -> BroadcastInfo:
        response = self._execute(lambda broadcasts: broadcasts.list(part=BROADCAST_PARTS, id=broadcast_id))
        items = response.get("items") or []
        if not items:
            raise BroadcastNotFound(f"No broadcast {broadcast_id!r} on this channel")
        return BroadcastInfo.from_resource(items[0])

    def create_broadcast(self, title: str, description: str, starts_at: datetime,
                         ends_at: datetime | None) -> BroadcastInfo:
        """Schedule an unlisted, embeddable broadcast that is not made for kids.

        Not retried: a POST that timed out may still have created the broadcast, and a
        retry would leave a second one on the channel.
        """
        body = {
            "snippet": _snippet(title, description, starts_at, ends_at),
            "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
            "contentDetails": {"enableEmbed": True},
        }
        response = self._execute(
            lambda broadcasts: broadcasts.insert(part="snippet,status,contentDetails", body=body),
            num_retries=0,
        )
        return BroadcastInfo.from_resource(response)

    def reschedule(self, broadcast_id: str, title: str, description: str, starts_at: datetime,
                   ends_at: datetime | None) -> BroadcastInfo:
        """Replace title, description, start and end (an update replaces the whole snippet)."""
        body = {"id": broadcast_id, "snippet": _snippet(title, description, starts_at, ends_at)}
        self._execute(lambda broadcasts: broadcasts.update(part="snippet", body=body))
        # The update answers with the snippet only; read the status and embedding too.
        return self.get_broadcast(broadcast_id)

    def refreshed_credentials_info(self) -> dict:
        """The authorized-user info as it is now, with any new access token and its expiry."""
        return json.loads(self._credentials.to_json())

    def _execute(self, make_request, num_retries: int = NUM_RETRIES) -> dict:
        authorized = google_auth_httplib2.AuthorizedHttp(self._credentials, http=httplib2.Http(timeout=self._timeout))
        options = {"api_endpoint": self._api_endpoint} if self._api_endpoint else None
        with build("youtube", "v3", static_discovery=True, cache_discovery=False, http=authorized,
                   client_options=options) as service:
            request = make_request(service.liveBroadcasts())
            try:
                return request.execute(num_retries=num_retries)
            except HttpError as e:
                raise _error_from_response(e) from e
            except RefreshError as e:
                if getattr(e, "retryable", False):    # the token endpoint itself failed
                    raise YouTubeUnreachable(str(e)) from e
                raise CredentialsRevoked(str(e)) from e
            except (TransportError, httplib2.ServerNotFoundError, http.client.HTTPException, OSError) as e:
                # OSError covers TimeoutError (socket.timeout) and ConnectionError
                raise YouTubeUnreachable(str(e) or type(e).__name__) from e


def _credentials(info: dict) -> Credentials:
    try:
        parsed = Credentials.from_authorized_user_info(info)    # checks the fields, parses expiry
    except ValueError as e:    # no refresh_token, client_id or client_secret: nothing to refresh with
        raise CredentialsRevoked(str(e)) from e
    # google-auth ignores the info's token_uri here and always uses Google's; keep the stored
    # one (Google's in production, the local stand-in in tests). The copy loses the expiry.
    credentials = parsed.with_token_uri(info.get("token_uri") or GOOGLE_TOKEN_URI)
    credentials.expiry = parsed.expiry
    return credentials


def _error_from_response(e: HttpError) -> StreamingError:
    status = e.resp.status
    reason = _reason(e)
    detail = f"{status} {reason or 'error'}: {e.reason}"
    if reason in ("quotaExceeded", "dailyLimitExceeded"):
        return QuotaExceeded(detail, reason=reason)
    if reason in ("liveStreamingNotEnabled", "livePermissionBlocked"):    # see youtube.com/features
        return LiveStreamingNotEnabled(detail, reason=reason)
    if status == 401:    # still refused after google-auth refreshed the token
        return CredentialsRevoked(detail, reason=reason)
    if status == 404 or reason == "liveBroadcastNotFound":
        return BroadcastNotFound(detail, reason=reason)
    if status >= 500:
        return YouTubeUnreachable(detail, reason=reason)
    return YouTubeError(detail, reason=reason or f"http_{status}")


def _reason(e: HttpError) -> str | None:
    try:
        return json.loads(e.content)["error"]["errors"][0]["reason"]
    except (ValueError, TypeError, KeyError, IndexError):
        return None


def _snippet(title: str, description: str, starts_at: datetime, ends_at: datetime | None) -> dict:
    snippet = {
        "title": _youtube_text(title, TITLE_LIMIT),
        "description": _youtube_text(description, DESCRIPTION_LIMIT),
        "scheduledStartTime": _rfc3339(starts_at),
    }
    if not snippet["title"]:
        raise ValueError("A broadcast needs a title")
    if ends_at is not None:
        snippet["scheduledEndTime"] = _rfc3339(ends_at)
        if ends_at <= starts_at:
            raise ValueError("A broadcast has to end after it starts")
    return snippet


def _youtube_text(text: str, limit: int) -> str:
    """YouTube refuses '<' and '>' in titles and descriptions, and text over its limits."""
    text = (text or "").strip().replace("<", "‹").replace(">", "›")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Broadcast times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


# --- Connecting a channel (OAuth) ---------------------------------------------------------

def authorization_url(client_config: dict, redirect_uri: str) -> tuple[str, str]:
    """Where to send the organiser to connect their channel, and the state to keep in their session.

    `client_config` is the client secrets JSON from the Google Cloud console ({"web": {...}});
    its `token_uri` and `auth_uri` are used as given.
    """
    state = secrets.token_urlsafe(32)
    flow = _flow(client_config, redirect_uri, state)
    url, _ = flow.authorization_url(
        state=state, access_type="offline", prompt="consent", include_granted_scopes="true",
    )
    return url, state


def exchange_code(client_config: dict, redirect_uri: str, state: str, authorization_response_url: str,
                  *, timeout: float = 20) -> dict:
    """The authorized-user info for the address Google sent the organiser back to.

    `state` is the one `authorization_url` returned for this organiser's session.
    """
    query = parse_qs(urlsplit(authorization_response_url).query)
    if "error" in query:    # access_denied when the organiser said no
        raise AuthorizationFailed(reason=query["error"][0])
    returned_state = query.get("state", [""])[0]
    if not (state and hmac.compare_digest(returned_state.encode(), state.encode())):
        raise AuthorizationFailed(reason="state_mismatch")
    code = query.get("code", [""])[0]
    if not code:
        raise AuthorizationFailed(reason="missing_code")
    return _exchange(_flow(client_config, redirect_uri, state), code, timeout)


def console_flow_url(client_config: dict) -> tuple[str, str]:
    """For a server without a browser: the URL to open anywhere, and the state to hand back.

    After consent Google redirects to the client's first redirect URI (or http://localhost,
    where nothing answers); the organiser copies the `code` from that address, or the
    whole address, into `exchange_console_code`.
    """
    state = secrets.token_urlsafe(32)
    flow = _flow(client_config, _console_redirect_uri(client_config), state)
    url, _ = flow.authorization_url(
        state=state, access_type="offline", prompt="consent", include_granted_scopes="true",
    )
    return url, state


def exchange_console_code(client_config: dict, state: str, code: str, *, timeout: float = 20) -> dict:
    """The authorized-user info for a code (or the whole address) pasted from the browser."""
    code = code.strip()
    if "://" in code or code.startswith(("?", "/")):
        return exchange_code(client_config, _console_redirect_uri(client_config), state, code, timeout=timeout)
    if not code:
        raise AuthorizationFailed(reason="missing_code")
    return _exchange(_flow(client_config, _console_redirect_uri(client_config), state), code, timeout)


def _exchange(flow: Flow, code: str, timeout: float) -> dict:
    try:
        flow.fetch_token(code=code, timeout=timeout)
    except OAuth2Error as e:    # invalid_grant: a used or expired code, a wrong verifier
        raise AuthorizationFailed(str(e), reason=e.error) from e
    except requests.RequestException as e:
        raise YouTubeUnreachable(str(e)) from e
    except Warning as e:
        # oauthlib refuses a token whose scopes differ from the ones asked for, and with
        # include_granted_scopes Google adds every scope granted to this client before.
        token = getattr(e, "token", None)
        if token is None or SCOPE not in (getattr(e, "new_scope", None) or []):
            raise AuthorizationFailed(str(e), reason="scope_not_granted") from e
        flow.oauth2session.token = token
    info = json.loads(flow.credentials.to_json())
    if not info.get("refresh_token"):
        raise NoRefreshToken("Google sent no refresh token; connect again and grant offline access")
    return info


def _flow(client_config: dict, redirect_uri: str, state: str) -> Flow:
    kind, settings = _client_settings(client_config)
    return Flow.from_client_config(
        {kind: settings}, scopes=[SCOPE], redirect_uri=redirect_uri, state=state,
        code_verifier=_code_verifier(settings["client_secret"], state),
        autogenerate_code_verifier=False,
    )


def _code_verifier(client_secret: str, state: str) -> str:
    """The PKCE verifier for a state, derived so that the state is all the caller keeps.

    The verifier never travels through the browser (only its SHA-256 challenge does), and
    nobody can derive it from the state without the client secret.
    """
    digest = hmac.new(client_secret.encode(), b"pkce-verifier:" + state.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()    # 43 characters


def _client_settings(client_config: dict) -> tuple[str, dict]:
    for kind in ("web", "installed"):
        if kind in client_config:
            settings = {"auth_uri": GOOGLE_AUTH_URI, "token_uri": GOOGLE_TOKEN_URI, **client_config[kind]}
            missing = {"client_id", "client_secret"} - settings.keys()
            if missing:
                raise ValueError(f"The client config lacks {', '.join(sorted(missing))}")
            return kind, settings
    raise ValueError("The client config needs a 'web' or 'installed' section")


def _console_redirect_uri(client_config: dict) -> str:
    _, settings = _client_settings(client_config)
    return (settings.get("redirect_uris") or [LOOPBACK_REDIRECT_URI])[0]
