"""Organisers link or create the YouTube broadcast; it moves with the event; the worker reads its state.

The real Google client talks to a stand-in on 127.0.0.1 (tests/fixtures/google.py); nothing
leaves the machine.
"""

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from conference.core.jobs import Job, JobState, run_due
from conference.core.timeutil import utcnow
from conference.events.models import Event
from conference.extensions import db
from conference.press import broadcasts
from conference.press.models import Broadcast
from tests import factories as f
from tests.conftest import post_form
from tests.pages import text_of

pytestmark = pytest.mark.usefixtures("only_loopback", "backoff_sleeps")


def run_worker(app, now=None) -> int:
    """One turn of `flask worker --once`."""
    with app.app_context():
        done = run_due(now or utcnow())
        db.session.remove()
        return done


@pytest.fixture
def connected(app, google_api, credentials_info, tmp_path):
    """A channel connected through the stand-in, its credentials in a file of their own."""
    app.config.update(YOUTUBE_API_ENDPOINT=google_api.base_url,
                      YOUTUBE_CREDENTIALS_FILE=str(tmp_path / "youtube.json"))
    with app.app_context():
        broadcasts.store_credentials(credentials_info)
    yield google_api
    app.config.update(YOUTUBE_API_ENDPOINT="", YOUTUBE_CREDENTIALS_FILE=str(tmp_path / "none.json"))


@pytest.fixture
def event(app):
    with app.app_context():
        start = datetime(2031, 11, 27, 8, 0, tzinfo=timezone.utc)
        e = f.event("forum", title="Integrationsforum 2031", starts_at=start, hours=6)
        db.session.commit()
        return e.id


def test_the_credentials_file_is_private(app, connected):
    import os
    import stat

    mode = os.stat(app.config["YOUTUBE_CREDENTIALS_FILE"]).st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert not app.config["YOUTUBE_CREDENTIALS_FILE"].startswith(app.static_folder)


def test_an_organiser_links_an_existing_broadcast_by_its_address(admin_client, app, connected, event):
    connected.add_broadcast("abcdefghijk", title="Forum live")
    response = post_form(admin_client, "/manage/events/forum/press/stream/broadcast",
                         {"broadcast": "https://www.youtube.com/watch?v=abcdefghijk&feature=share"})
    assert response.status_code == 302
    [call] = connected.api_requests
    assert (call.method, call.query["id"]) == ("GET", "abcdefghijk")
    assert call.headers["authorization"] == "Bearer test-token"
    with app.app_context():
        broadcast = db.session.scalar(select(Broadcast))
        assert broadcast.youtube_id == "abcdefghijk" and not broadcast.created_here


def test_an_unknown_broadcast_is_refused_beside_the_field(admin_client, app, connected, event):
    response = post_form(admin_client, "/manage/events/forum/press/stream/broadcast", {"broadcast": "zzzzzzzzzzz"})
    assert response.status_code == 422
    assert 'id="broadcast-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Broadcast)) is None


def test_an_organiser_creates_a_scheduled_unlisted_embeddable_broadcast(admin_client, app, connected, event):
    post_form(admin_client, "/manage/events/forum/press/stream/broadcast/create", {})
    [call] = connected.api_requests
    assert call.method == "POST"
    assert call.query["part"] == "snippet,status,contentDetails"
    assert call.body["snippet"]["title"] == "Integrationsforum 2031"
    assert call.body["snippet"]["scheduledStartTime"] == "2031-11-27T08:00:00Z"
    assert call.body["snippet"]["scheduledEndTime"] == "2031-11-27T14:00:00Z"
    assert call.body["status"]["privacyStatus"] == "unlisted"
    assert call.body["contentDetails"]["enableEmbed"] is True
    with app.app_context():
        assert db.session.scalar(select(Broadcast.created_here)) is True


def test_moving_the_event_moves_the_broadcast_created_here(admin_client, app, connected, event):
    post_form(admin_client, "/manage/events/forum/press/stream/broadcast/create", {})
    form = {"title": "Integrationsforum 2031", "slug": "forum", "series_id": "0", "kind": "conference",
            "format": "digital", "timezone": "Europe/Stockholm", "starts_at": "2031-11-28T10:00",
            "ends_at": "2031-11-28T15:00", "summary": "", "venue": "", "audience": "", "contact_name": "",
            "contact_email": "", "contact_phone": "", "registration_policy": "open", "capacity": "",
            "registration_opens_at": "", "registration_closes_at": "", "published": "1"}
    saved = post_form(admin_client, "/manage/events/forum/edit", form, follow_redirects=True)
    assert "YouTube" in text_of(saved)  # the organiser is told the broadcast follows
    assert [r for r in connected.api_requests if r.method == "PUT"] == []  # the request never waits for YouTube
    run_worker(app)
    [put] = [r for r in connected.api_requests if r.method == "PUT"]
    assert put.query["part"] == "snippet"
    assert put.body["snippet"]["scheduledStartTime"] == "2031-11-28T09:00:00Z"
    assert put.body["snippet"]["scheduledEndTime"] == "2031-11-28T14:00:00Z"


def test_when_youtube_refuses_the_move_the_event_is_saved_and_the_organiser_told(admin_client, app, connected,
                                                                                 event):
    post_form(admin_client, "/manage/events/forum/press/stream/broadcast/create", {})
    connected.answer_error(403, "quotaExceeded")
    form = {"title": "Integrationsforum 2031", "slug": "forum", "series_id": "0", "kind": "conference",
            "format": "digital", "timezone": "Europe/Stockholm", "starts_at": "2031-11-28T10:00",
            "ends_at": "2031-11-28T15:00", "registration_policy": "open", "published": "1"}
    assert post_form(admin_client, "/manage/events/forum/edit", form).status_code == 302
    run_worker(app)
    with app.app_context():
        assert db.session.scalar(select(Event.starts_at)) == datetime(2031, 11, 28, 9, tzinfo=timezone.utc)
        assert db.session.scalar(select(Broadcast.problem)) == "quota_exceeded"
        assert db.session.scalar(select(Job.state).where(Job.name == "press.jobs.move_broadcast")) is JobState.DONE
    assert "kvot" in text_of(admin_client.get("/manage/events/forum/press/stream")).lower()


def test_an_unreachable_youtube_is_tried_again_later_and_the_broadcast_then_moves(admin_client, app, connected,
                                                                                   event):
    post_form(admin_client, "/manage/events/forum/press/stream/broadcast/create", {})
    connected.answer_error(500, "backendError", times=10)
    form = {"title": "Integrationsforum 2031", "slug": "forum", "series_id": "0", "kind": "conference",
            "format": "digital", "timezone": "Europe/Stockholm", "starts_at": "2031-11-28T10:00",
            "ends_at": "2031-11-28T15:00", "registration_policy": "open", "published": "1"}
    post_form(admin_client, "/manage/events/forum/edit", form)
    run_worker(app)
    with app.app_context():
        queued = db.session.scalar(select(Job).where(Job.name == "press.jobs.move_broadcast"))
        assert (queued.state, queued.attempts) == (JobState.QUEUED, 1)
        assert db.session.scalar(select(Broadcast.problem)) is not None
    connected.errors.clear()
    tried = len([r for r in connected.api_requests if r.method == "PUT"])
    run_worker(app, queued.due_at)
    puts = [r for r in connected.api_requests if r.method == "PUT"]
    assert len(puts) == tried + 1
    assert puts[-1].body["snippet"]["scheduledStartTime"] == "2031-11-28T09:00:00Z"
    with app.app_context():
        assert db.session.scalar(select(Broadcast.problem)) is None


def test_the_worker_reads_the_state_of_broadcasts_about_to_start(app, connected):
    with app.app_context():
        soon = f.event("soon", starts_at=utcnow() + timedelta(minutes=30))
        later = f.event("later", starts_at=utcnow() + timedelta(days=3))
        db.session.add_all([Broadcast(event_id=soon.id, youtube_id="soonsoon123"),
                            Broadcast(event_id=later.id, youtube_id="laterlater1")])
        db.session.commit()
    connected.add_broadcast("soonsoon123", title="Soon")
    connected.broadcasts["soonsoon123"]["status"]["lifeCycleStatus"] = "live"
    with app.app_context():
        assert broadcasts.poll_due(utcnow()) == 1
        db.session.commit()
        states = dict(db.session.execute(select(Broadcast.youtube_id, Broadcast.life_cycle_status)).all())
    assert states == {"soonsoon123": "live", "laterlater1": "created"}
    assert [r.query["id"] for r in connected.api_requests] == ["soonsoon123"]


@pytest.mark.parametrize("answer, problem, words", [
    ((403, "quotaExceeded"), "quota_exceeded", "kvot"),
    ((403, "liveStreamingNotEnabled"), "live_streaming_not_enabled", "YouTube Studio"),
])
def test_youtube_problems_keep_the_last_known_state_and_tell_the_organiser(admin_client, client, app, connected,
                                                                          answer, problem, words):
    from conference.press.models import StreamAudience

    with app.app_context():
        soon = f.event("soon", starts_at=utcnow() + timedelta(minutes=10), stream_audience=StreamAudience.EVERYONE)
        db.session.add(Broadcast(event_id=soon.id, youtube_id="soonsoon123", life_cycle_status="ready"))
        db.session.commit()
    connected.answer_error(*answer)
    with app.app_context():
        broadcasts.poll_due(utcnow())
        db.session.commit()
        broadcast = db.session.scalar(select(Broadcast))
        assert (broadcast.life_cycle_status, broadcast.problem) == ("ready", problem)
    assert client.get("/events/soon/watch").status_code == 200
    assert words in text_of(admin_client.get("/manage/events/soon/press/stream"))


def test_revoked_credentials_ask_for_a_new_connection(admin_client, app, connected, event):
    with app.app_context():
        info = json.loads(broadcasts.credentials_path().read_text())
        info["expiry"] = "2000-01-01T00:00:00Z"
        broadcasts.store_credentials(info)
    connected.answer_token_error(400, {"error": "invalid_grant", "error_description": "Token has been revoked."})
    response = post_form(admin_client, "/manage/events/forum/press/stream/broadcast/create", {},
                         follow_redirects=True)
    assert "ansluta kanalen igen" in text_of(response)


def test_a_timeout_is_reported_as_unreachable(admin_client, app, connected, event):
    app.config["YOUTUBE_TIMEOUT"] = 0.5
    connected.delay = 2
    response = post_form(admin_client, "/manage/events/forum/press/stream/broadcast/create", {},
                         follow_redirects=True)
    connected.delay = 0
    assert "Det gick inte att nå YouTube." in text_of(response)


def test_without_a_connection_the_organiser_is_told_who_connects(admin_client, app, event, tmp_path):
    app.config["YOUTUBE_CREDENTIALS_FILE"] = str(tmp_path / "missing.json")
    page = text_of(admin_client.get("/manage/events/forum/press/stream"))
    assert "Ingen YouTube-kanal är ansluten" in page
