"""The YouTube adapter, run with the real Google client against the local stand-in."""

import base64
import hashlib
import socket
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from conference.streaming.youtube import (
    SCOPE,
    AuthorizationFailed,
    BroadcastInfo,
    BroadcastNotFound,
    CredentialsRevoked,
    LiveStreamingNotEnabled,
    NoRefreshToken,
    QuotaExceeded,
    StreamingError,
    YouTube,
    YouTubeError,
    YouTubeUnreachable,
    authorization_url,
    console_flow_url,
    exchange_code,
    exchange_console_code,
    parse_broadcast_id,
)
from tests.fixtures.google import LeftTheMachine, hours_from_now

STOCKHOLM = timezone(timedelta(hours=1))
STARTS = datetime(2026, 11, 26, 9, 0, tzinfo=STOCKHOLM)
ENDS = datetime(2026, 11, 26, 12, 30, tzinfo=STOCKHOLM)


# --- Linking an existing broadcast --------------------------------------------------------

def test_linking_a_broadcast_reads_it_by_id_as_the_organiser(youtube, google_api):
    google_api.add_broadcast("dQw4w9WgXcQ", title="Samråd om detaljplan",
                             scheduledStartTime="2026-11-26T08:00:00Z",
                             actualStartTime="2026-11-26T08:01:30.500Z")

    broadcast = youtube.get_broadcast("dQw4w9WgXcQ")

    [request] = google_api.api_requests
    assert request.method == "GET"
    assert request.query["id"] == "dQw4w9WgXcQ"
    assert set(request.query["part"].split(",")) >= {"snippet", "status", "contentDetails"}
    assert request.headers["authorization"] == "Bearer test-token"
    assert broadcast == BroadcastInfo(
        id="dQw4w9WgXcQ", title="Samråd om detaljplan",
        scheduled_start=datetime(2026, 11, 26, 8, 0, tzinfo=UTC), scheduled_end=None,
        actual_start=datetime(2026, 11, 26, 8, 1, 30, 500000, tzinfo=UTC), actual_end=None,
        life_cycle_status="ready", privacy_status="unlisted", embeddable=True,
    )
    assert broadcast.watch_url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert broadcast.embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def test_linking_an_unknown_broadcast_says_it_was_not_found(youtube, google_api):
    with pytest.raises(BroadcastNotFound) as caught:
        youtube.get_broadcast("aaaaaaaaaaa")
    assert caught.value.code == "not_found"
    assert len(google_api.api_requests) == 1


# --- Creating and rescheduling ------------------------------------------------------------

def test_creating_a_broadcast_schedules_an_unlisted_embeddable_one_not_made_for_kids(youtube, google_api):
    broadcast = youtube.create_broadcast("Samråd om detaljplan", "Kom och tyck till.", STARTS, ENDS)

    [request] = google_api.api_requests
    assert (request.method, request.path) == ("POST", "/youtube/v3/liveBroadcasts")
    assert request.query["part"] == "snippet,status,contentDetails"
    assert request.headers["authorization"] == "Bearer test-token"
    assert request.body == {
        "snippet": {"title": "Samråd om detaljplan", "description": "Kom och tyck till.",
                    "scheduledStartTime": "2026-11-26T08:00:00Z", "scheduledEndTime": "2026-11-26T11:30:00Z"},
        "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
        "contentDetails": {"enableEmbed": True},
    }
    assert broadcast.id in google_api.broadcasts
    assert broadcast.scheduled_start == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert (broadcast.life_cycle_status, broadcast.privacy_status, broadcast.embeddable) == ("created", "unlisted", True)


def test_a_title_is_made_acceptable_to_youtube_without_angle_brackets_or_excess_length(youtube, google_api):
    youtube.create_broadcast("Kommunen <3 " + "x" * 200, "Se <https://example.org>", STARTS, ENDS)

    snippet = google_api.api_requests[0].body["snippet"]
    assert snippet["title"].startswith("Kommunen ‹3 xxx") and len(snippet["title"]) == 100
    assert snippet["description"] == "Se ‹https://example.org›"


def test_naive_times_are_refused_before_anything_is_sent(youtube, google_api):
    with pytest.raises(ValueError):
        youtube.create_broadcast("Samråd", "", datetime(2026, 11, 26, 9), datetime(2026, 11, 26, 12))
    assert google_api.requests == []


def test_a_broadcast_that_ends_before_it_starts_is_refused_before_anything_is_sent(youtube, google_api):
    with pytest.raises(ValueError):
        youtube.create_broadcast("Samråd", "", ENDS, STARTS)
    assert google_api.requests == []


def test_creating_is_not_retried_because_the_first_attempt_may_have_created_it(youtube, google_api):
    google_api.answer_error(503, "backendError", times=3)

    with pytest.raises(YouTubeUnreachable):
        youtube.create_broadcast("Samråd", "", STARTS, ENDS)

    assert len(google_api.api_requests) == 1


def test_rescheduling_replaces_title_description_and_times_of_the_snippet(youtube, google_api):
    google_api.add_broadcast("dQw4w9WgXcQ", title="Gammal titel", description="Gammal text",
                             scheduledEndTime="2026-11-26T10:00:00Z")
    later_start, later_end = STARTS + timedelta(days=1), ENDS + timedelta(days=1)

    broadcast = youtube.reschedule("dQw4w9WgXcQ", "Ny titel", "Ny text", later_start, later_end)

    put = google_api.api_requests[0]
    assert (put.method, put.query["part"]) == ("PUT", "snippet")
    assert put.body == {"id": "dQw4w9WgXcQ", "snippet": {
        "title": "Ny titel", "description": "Ny text",
        "scheduledStartTime": "2026-11-27T08:00:00Z", "scheduledEndTime": "2026-11-27T11:30:00Z"}}
    assert broadcast.title == "Ny titel"
    assert broadcast.scheduled_end == datetime(2026, 11, 27, 11, 30, tzinfo=UTC)
    assert broadcast.life_cycle_status == "ready"    # read back: the update answers with the snippet only


def test_rescheduling_a_deleted_broadcast_says_it_was_not_found(youtube, google_api):
    with pytest.raises(BroadcastNotFound):
        youtube.reschedule("aaaaaaaaaaa", "Ny titel", "", STARTS, ENDS)


# --- Tokens -------------------------------------------------------------------------------

def test_an_expired_access_token_is_refreshed_before_the_call_and_handed_back(google_api, credentials_info):
    google_api.add_broadcast("dQw4w9WgXcQ")
    youtube = YouTube({**credentials_info, "expiry": hours_from_now(-1)}, api_endpoint=google_api.base_url)

    youtube.get_broadcast("dQw4w9WgXcQ")

    assert [r.path for r in google_api.requests] == ["/token", "/youtube/v3/liveBroadcasts"]
    [refresh] = google_api.token_requests
    assert refresh.body["grant_type"] == "refresh_token"
    assert refresh.body["refresh_token"] == "test-refresh-token"
    assert refresh.body["client_id"] == "test-client.apps.googleusercontent.com"
    assert google_api.api_requests[0].headers["authorization"] == "Bearer fresh-token-1"
    info = youtube.refreshed_credentials_info()
    assert info["token"] == "fresh-token-1"
    assert info["refresh_token"] == "test-refresh-token"
    assert datetime.fromisoformat(info["expiry"].replace("Z", "+00:00")) > datetime.now(UTC)


def test_stored_credentials_without_an_expiry_are_refreshed_on_first_use(google_api, credentials_info):
    google_api.add_broadcast("dQw4w9WgXcQ")
    info = {k: v for k, v in credentials_info.items() if k != "expiry"}

    YouTube(info, api_endpoint=google_api.base_url).get_broadcast("dQw4w9WgXcQ")

    assert len(google_api.token_requests) == 1


def test_a_revoked_refresh_token_asks_the_organiser_to_reconnect(google_api, credentials_info):
    google_api.answer_token_error(400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
    youtube = YouTube({**credentials_info, "expiry": hours_from_now(-1)}, api_endpoint=google_api.base_url)

    with pytest.raises(CredentialsRevoked) as caught:
        youtube.get_broadcast("dQw4w9WgXcQ")

    assert caught.value.code == "credentials_revoked"
    assert "invalid_grant" in str(caught.value)
    assert google_api.api_requests == []


def test_an_access_token_still_refused_after_refreshing_asks_the_organiser_to_reconnect(youtube, google_api):
    google_api.answer_error(401, "authError", times=5)

    with pytest.raises(CredentialsRevoked):
        youtube.get_broadcast("dQw4w9WgXcQ")

    # google-auth refreshes and retries twice, then gives up; googleapiclient does not retry a 401
    assert [r.path.rsplit("/", 1)[1] for r in google_api.requests] == [
        "liveBroadcasts", "token", "liveBroadcasts", "token", "liveBroadcasts"]


def test_a_failing_token_endpoint_is_unreachable_not_revoked(google_api, credentials_info, backoff_sleeps):
    google_api.answer_token_error(503, {"error": "temporarily_unavailable"}, times=3)
    youtube = YouTube({**credentials_info, "expiry": hours_from_now(-1)}, api_endpoint=google_api.base_url)

    with pytest.raises(YouTubeUnreachable):
        youtube.get_broadcast("dQw4w9WgXcQ")

    assert len(google_api.token_requests) == 3


def test_incomplete_stored_credentials_ask_the_organiser_to_reconnect(credentials_info):
    with pytest.raises(CredentialsRevoked):
        YouTube({k: v for k, v in credentials_info.items() if k != "refresh_token"})


# --- Errors -------------------------------------------------------------------------------

def test_a_spent_quota_is_reported_after_one_request_without_retrying(youtube, google_api, backoff_sleeps):
    google_api.answer_error(403, "quotaExceeded", times=3)

    with pytest.raises(QuotaExceeded) as caught:
        youtube.get_broadcast("dQw4w9WgXcQ")

    assert caught.value.code == "quota_exceeded"
    assert len(google_api.api_requests) == 1
    assert backoff_sleeps == []


def test_a_rate_limit_is_retried_and_then_succeeds(youtube, google_api, backoff_sleeps):
    google_api.add_broadcast("dQw4w9WgXcQ")
    google_api.answer_error(403, "rateLimitExceeded")

    assert youtube.get_broadcast("dQw4w9WgXcQ").id == "dQw4w9WgXcQ"
    assert len(google_api.api_requests) == 2
    assert len(backoff_sleeps) == 1


def test_a_channel_without_live_streaming_is_told_so(youtube, google_api):
    google_api.answer_error(403, "liveStreamingNotEnabled", times=3)

    with pytest.raises(LiveStreamingNotEnabled) as caught:
        youtube.create_broadcast("Samråd", "", STARTS, ENDS)

    assert caught.value.code == "live_streaming_not_enabled"
    assert len(google_api.api_requests) == 1


def test_other_refusals_carry_youtubes_reason(youtube, google_api):
    google_api.answer_error(400, "invalidScheduledStartTime")

    with pytest.raises(YouTubeError) as caught:
        youtube.create_broadcast("Samråd", "", STARTS, ENDS)

    assert (caught.value.code, caught.value.reason) == ("api_error", "invalidScheduledStartTime")


def test_a_server_that_answers_too_slowly_is_unreachable_after_the_retries(google_api, credentials_info):
    google_api.delay = 1.5
    youtube = YouTube(credentials_info, api_endpoint=google_api.base_url, timeout=0.5)

    with pytest.raises(YouTubeUnreachable) as caught:
        youtube.get_broadcast("dQw4w9WgXcQ")

    assert caught.value.code == "unreachable"
    assert len(google_api.api_requests) == 3    # the first try and two retries


def test_server_errors_on_every_try_are_unreachable_after_two_retries(youtube, google_api, backoff_sleeps):
    google_api.answer_error(500, "backendError", times=5)

    with pytest.raises(YouTubeUnreachable):
        youtube.get_broadcast("dQw4w9WgXcQ")

    assert len(google_api.api_requests) == 3
    assert len(backoff_sleeps) == 2


def test_a_closed_port_is_unreachable(credentials_info):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    youtube = YouTube(credentials_info, api_endpoint=closed, timeout=0.5)

    with pytest.raises(YouTubeUnreachable):
        youtube.get_broadcast("dQw4w9WgXcQ")


def test_every_error_is_a_streaming_error_with_a_code():
    for error in (QuotaExceeded, LiveStreamingNotEnabled, CredentialsRevoked, BroadcastNotFound,
                  YouTubeUnreachable, YouTubeError, NoRefreshToken, AuthorizationFailed):
        assert issubclass(error, StreamingError)
        assert error().code != StreamingError.code


# --- Links --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "dQw4w9WgXcQ",
    "  dQw4w9WgXcQ\n",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42s",
    "http://m.youtube.com/watch?v=dQw4w9WgXcQ",
    "www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ?si=AbCdEf123",
    "https://www.youtube.com/live/dQw4w9WgXcQ",
    "https://youtube.com/live/dQw4w9WgXcQ?si=AbCdEf123&feature=shared",
    "https://studio.youtube.com/video/dQw4w9WgXcQ/livestreaming",
    "https://studio.youtube.com/video/dQw4w9WgXcQ/edit?c=UCtestchannel",
    "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
])
def test_a_broadcast_id_is_found_in_each_usual_form(text):
    assert parse_broadcast_id(text) == "dQw4w9WgXcQ"


@pytest.mark.parametrize("text", [
    "",
    "dQw4w9WgXc",
    "dQw4w9WgXcQQ",
    "dQw4w9 WgXcQ",
    "https://www.youtube.com/watch?v=short",
    "https://www.youtube.com/watch",
    "https://www.youtube.com/@kommunen/live",
    "https://evil.example.org/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com.evil.example.org/live/dQw4w9WgXcQ",
    "javascript://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "ftp://youtu.be/dQw4w9WgXcQ",
])
def test_anything_else_is_not_a_broadcast_id(text):
    with pytest.raises(ValueError):
        parse_broadcast_id(text)


# --- Connecting a channel -----------------------------------------------------------------

REDIRECT = "https://conference.example.org/admin/youtube/callback"


def test_the_authorization_url_asks_for_offline_youtube_access_with_state_and_pkce(client_config):
    url, state = authorization_url(client_config, REDIRECT)

    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://accounts.google.com/o/oauth2/auth"
    assert query["access_type"] == "offline"
    assert query["prompt"] == "consent"
    assert query["include_granted_scopes"] == "true"
    assert query["scope"] == SCOPE
    assert query["response_type"] == "code"
    assert query["redirect_uri"] == REDIRECT
    assert query["state"] == state and len(state) >= 32
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    assert authorization_url(client_config, REDIRECT)[1] != state


def test_the_code_google_sends_back_becomes_a_stored_authorization(client_config, google_api):
    url, state = authorization_url(client_config, REDIRECT)

    info = exchange_code(client_config, REDIRECT, state, f"{REDIRECT}?state={state}&code=4/abc&scope={SCOPE}")

    [grant] = google_api.token_requests
    assert grant.body["grant_type"] == "authorization_code"
    assert grant.body["code"] == "4/abc"
    assert grant.body["redirect_uri"] == REDIRECT
    challenge = parse_qs(urlsplit(url).query)["code_challenge"][0]
    assert pkce_challenge(grant.body["code_verifier"]) == challenge
    assert info["refresh_token"] == "granted-refresh-token"
    assert info["token"] == "fresh-token-1"
    assert info["token_uri"] == google_api.token_uri
    assert info["client_id"] == "test-client.apps.googleusercontent.com"
    assert info["scopes"] == [SCOPE]


def test_a_stored_authorization_works_for_the_api(client_config, google_api):
    _, state = authorization_url(client_config, REDIRECT)
    info = exchange_code(client_config, REDIRECT, state, f"{REDIRECT}?state={state}&code=4/abc")
    google_api.add_broadcast("dQw4w9WgXcQ")

    YouTube(info, api_endpoint=google_api.base_url).get_broadcast("dQw4w9WgXcQ")

    assert google_api.api_requests[0].headers["authorization"] == "Bearer fresh-token-1"
    assert len(google_api.token_requests) == 1    # the new token was not refreshed again


def test_scopes_granted_earlier_to_the_same_client_do_not_break_the_exchange(client_config, google_api):
    google_api.granted_scope = f"openid {SCOPE} https://www.googleapis.com/auth/userinfo.email"
    _, state = authorization_url(client_config, REDIRECT)

    info = exchange_code(client_config, REDIRECT, state, f"{REDIRECT}?state={state}&code=4/abc")

    assert info["refresh_token"] == "granted-refresh-token"
    assert SCOPE in info["scopes"]


def test_an_exchange_without_the_youtube_scope_is_refused(client_config, google_api):
    google_api.granted_scope = "https://www.googleapis.com/auth/userinfo.email"
    _, state = authorization_url(client_config, REDIRECT)

    with pytest.raises(AuthorizationFailed) as caught:
        exchange_code(client_config, REDIRECT, state, f"{REDIRECT}?state={state}&code=4/abc")
    assert caught.value.reason == "scope_not_granted"


def test_a_callback_with_someone_elses_state_is_refused_without_asking_google(client_config, google_api):
    _, state = authorization_url(client_config, REDIRECT)

    with pytest.raises(AuthorizationFailed) as caught:
        exchange_code(client_config, REDIRECT, state, f"{REDIRECT}?state=forged&code=4/abc")

    assert caught.value.reason == "state_mismatch"
    assert google_api.requests == []


def test_an_organiser_who_declines_is_told_so(client_config):
    _, state = authorization_url(client_config, REDIRECT)

    with pytest.raises(AuthorizationFailed) as caught:
        exchange_code(client_config, REDIRECT, state, f"{REDIRECT}?error=access_denied&state={state}")
    assert caught.value.reason == "access_denied"


def test_a_used_code_is_refused(client_config, google_api):
    google_api.answer_token_error(400, {"error": "invalid_grant", "error_description": "Bad Request"})
    _, state = authorization_url(client_config, REDIRECT)

    with pytest.raises(AuthorizationFailed) as caught:
        exchange_code(client_config, REDIRECT, state, f"{REDIRECT}?state={state}&code=4/used")
    assert caught.value.reason == "invalid_grant"


def test_a_grant_without_a_refresh_token_is_refused(client_config, google_api):
    google_api.refresh_token_in_grant = False
    _, state = authorization_url(client_config, REDIRECT)

    with pytest.raises(NoRefreshToken) as caught:
        exchange_code(client_config, REDIRECT, state, f"{REDIRECT}?state={state}&code=4/abc")
    assert caught.value.code == "no_refresh_token"


def test_a_server_without_a_browser_connects_with_a_pasted_code(client_config, google_api):
    url, state = console_flow_url(client_config)
    assert parse_qs(urlsplit(url).query)["redirect_uri"] == [REDIRECT]

    info = exchange_console_code(client_config, state, " 4/pasted \n")

    [grant] = google_api.token_requests
    assert (grant.body["code"], grant.body["redirect_uri"]) == ("4/pasted", REDIRECT)
    assert pkce_challenge(grant.body["code_verifier"]) == parse_qs(urlsplit(url).query)["code_challenge"][0]
    assert info["refresh_token"] == "granted-refresh-token"


def test_a_desktop_client_connects_through_localhost_with_the_pasted_address(client_config, google_api):
    desktop = {"installed": {k: v for k, v in client_config["web"].items() if k != "redirect_uris"}}
    url, state = console_flow_url(desktop)
    assert parse_qs(urlsplit(url).query)["redirect_uri"] == ["http://localhost"]

    info = exchange_console_code(desktop, state, f"http://localhost/?state={state}&code=4/pasted&scope={SCOPE}")

    assert google_api.token_requests[0].body["redirect_uri"] == "http://localhost"
    assert info["refresh_token"] == "granted-refresh-token"


def pkce_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


# --- Nothing leaves the machine -----------------------------------------------------------

def test_the_guard_refuses_googles_api_host():
    with pytest.raises(LeftTheMachine):
        socket.getaddrinfo("www.googleapis.com", 443)
    with pytest.raises(LeftTheMachine):
        socket.create_connection(("www.googleapis.com", 443), timeout=1)
    with socket.socket() as raw, pytest.raises(LeftTheMachine):
        raw.connect(("142.250.74.42", 443))


def test_without_an_endpoint_the_adapter_would_call_google_and_the_guard_stops_it(credentials_info):
    with pytest.raises(LeftTheMachine, match="youtube.googleapis.com"):
        YouTube(credentials_info).get_broadcast("dQw4w9WgXcQ")
