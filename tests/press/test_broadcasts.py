"""Organisers link or create the YouTube broadcast; it moves with the event; the worker reads its state.

Every call to YouTube is the worker's: a request stores what the organiser asked and queues a job.
The real Google client talks to a stand-in on 127.0.0.1 (tests/fixtures/google.py); nothing
leaves the machine.
"""

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

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


def create_broadcast(admin_client, app):
    """The organiser presses Create on the Stream tab, and the worker takes its turn."""
    response = post_form(admin_client, "/manage/events/forum/press/stream/broadcast/create", {})
    assert response.status_code == 302
    run_worker(app)
    return response


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
    run_worker(app)
    [call] = connected.api_requests
    assert (call.method, call.query["id"]) == ("GET", "abcdefghijk")
    assert call.headers["authorization"] == "Bearer test-token"
    with app.app_context():
        broadcast = db.session.scalar(select(Broadcast))
        assert broadcast.youtube_id == "abcdefghijk" and not broadcast.created_here


def test_an_unknown_broadcast_is_refused_beside_the_field(admin_client, app, connected, event):
    response = post_form(admin_client, "/manage/events/forum/press/stream/broadcast", {"broadcast": "zzzzzzzzzzz"})
    assert response.status_code == 302
    run_worker(app)
    page = admin_client.get("/manage/events/forum/press/stream")
    assert 'id="broadcast-error"' in page.get_data(as_text=True)
    assert "YouTube har ingen sändning med den adressen eller det id:t." in text_of(page)
    with app.app_context():
        assert db.session.scalar(select(Broadcast)) is None


def test_an_address_that_is_not_youtube_is_refused_beside_the_field_at_once(admin_client, app, connected, event):
    response = post_form(admin_client, "/manage/events/forum/press/stream/broadcast",
                         {"broadcast": "https://vimeo.com/123456"})
    assert response.status_code == 422
    assert 'id="broadcast-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Job.id)).where(~Job.periodic)) == 0


def test_an_organiser_creates_a_scheduled_unlisted_embeddable_broadcast(admin_client, app, connected, event):
    create_broadcast(admin_client, app)
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
    create_broadcast(admin_client, app)
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
    create_broadcast(admin_client, app)
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
    create_broadcast(admin_client, app)
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
    create_broadcast(admin_client, app)
    response = admin_client.get("/manage/events/forum/press/stream")
    assert "ansluta kanalen igen" in text_of(response)


def test_a_timeout_is_reported_as_unreachable(admin_client, app, connected, event):
    app.config["YOUTUBE_TIMEOUT"] = 0.5
    connected.delay = 2
    create_broadcast(admin_client, app)
    connected.delay = 0
    response = admin_client.get("/manage/events/forum/press/stream")
    assert "Det gick inte att nå YouTube." in text_of(response)


def test_without_a_connection_the_organiser_is_told_who_connects(admin_client, app, event, tmp_path):
    app.config["YOUTUBE_CREDENTIALS_FILE"] = str(tmp_path / "missing.json")
    page = text_of(admin_client.get("/manage/events/forum/press/stream"))
    assert "Ingen YouTube-kanal är ansluten" in page


# ---------------------------------------------------------------- the request asks; the worker calls YouTube

def queue_the_job_again(app, name="press.jobs.carry_out_broadcast_request"):
    """As if a second worker took the job over after the first one's claim lapsed."""
    with app.app_context():
        db.session.execute(update(Job).where(Job.name == name).values(state=JobState.QUEUED, due_at=utcnow()))
        db.session.commit()


def test_the_organisers_requests_make_no_call_to_youtube(admin_client, app, connected, event):
    connected.add_broadcast("abcdefghijk", title="Forum live")
    post_form(admin_client, "/manage/events/forum/press/stream/broadcast", {"broadcast": "abcdefghijk"})
    page = text_of(admin_client.get("/manage/events/forum/press/stream"))
    assert "YouTube tillfrågas om sändningen som ska kopplas." in page
    run_worker(app)
    assert "Forum live" in text_of(admin_client.get("/manage/events/forum/press/stream"))
    asked = len(connected.requests)

    post_form(admin_client, "/manage/events/forum/press/stream/broadcast/refresh", {})
    assert "YouTube tillfrågas om sändningens status." in text_of(admin_client.get("/manage/events/forum/press/stream"))
    assert len(connected.requests) == asked  # neither the API nor the token endpoint was called
    with app.app_context():
        queued = db.session.scalars(select(Job.payload).where(Job.name == "press.jobs.carry_out_broadcast_request",
                                                              Job.state == JobState.QUEUED)).all()
        assert len(queued) == 1
    run_worker(app)
    assert len(connected.api_requests) == 2


def test_creating_asks_nothing_of_youtube_until_the_worker_runs(admin_client, app, connected, event):
    response = post_form(admin_client, "/manage/events/forum/press/stream/broadcast/create", {},
                         follow_redirects=True)
    assert "YouTube tillfrågas om att skapa sändningen." in text_of(response)
    assert connected.requests == []
    with app.app_context():
        assert db.session.scalar(select(Broadcast)) is None


def test_a_link_job_run_twice_links_once(admin_client, app, connected, event):
    connected.add_broadcast("abcdefghijk", title="Forum live")
    post_form(admin_client, "/manage/events/forum/press/stream/broadcast", {"broadcast": "abcdefghijk"})
    run_worker(app)
    queue_the_job_again(app)
    run_worker(app)
    assert len(connected.api_requests) == 1
    with app.app_context():
        assert db.session.scalars(select(Broadcast.youtube_id)).all() == ["abcdefghijk"]


def test_a_create_job_run_twice_creates_once(admin_client, app, connected, event):
    create_broadcast(admin_client, app)
    queue_the_job_again(app)
    run_worker(app)
    assert len([r for r in connected.api_requests if r.method == "POST"]) == 1
    assert len(connected.broadcasts) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(Broadcast.id))) == 1


def test_a_worker_that_dies_after_sending_the_creation_never_sends_it_again(admin_client, app, connected, event,
                                                                           monkeypatch):
    def die(*args, **kwargs):
        raise RuntimeError("the worker died before its commit")

    remember = broadcasts.remember
    monkeypatch.setattr(broadcasts, "remember", die)
    create_broadcast(admin_client, app)
    monkeypatch.setattr(broadcasts, "remember", remember)
    with app.app_context():
        retry = db.session.scalar(select(Job).where(Job.name == "press.jobs.carry_out_broadcast_request"))
        assert (retry.state, retry.attempts) == (JobState.QUEUED, 1)
    run_worker(app, retry.due_at)

    assert len([r for r in connected.api_requests if r.method == "POST"]) == 1  # on the channel once
    with app.app_context():
        assert db.session.scalar(select(Broadcast)) is None
        assert db.session.scalar(select(Job.state).where(Job.name == retry.name)) is JobState.DONE
    page = text_of(admin_client.get("/manage/events/forum/press/stream"))
    assert "inte känt om sändningen skapades" in page

    create_broadcast(admin_client, app)  # the organiser looked in YouTube Studio and asks again
    assert len([r for r in connected.api_requests if r.method == "POST"]) == 2
    with app.app_context():
        assert db.session.scalar(select(Broadcast.created_here)) is True


def test_a_timed_out_creation_is_not_sent_again(admin_client, app, connected, event):
    app.config["YOUTUBE_TIMEOUT"] = 0.5
    connected.delay = 2
    create_broadcast(admin_client, app)
    connected.delay = 0
    queue_the_job_again(app)
    run_worker(app)
    assert len([r for r in connected.api_requests if r.method == "POST"]) == 1
    assert "inte känt om sändningen skapades" in text_of(admin_client.get("/manage/events/forum/press/stream"))


def test_pressing_create_twice_asks_youtube_once(admin_client, app, connected, event):
    post_form(admin_client, "/manage/events/forum/press/stream/broadcast/create", {})
    again = post_form(admin_client, "/manage/events/forum/press/stream/broadcast/create", {}, follow_redirects=True)
    assert "YouTube tillfrågas fortfarande om den förra begäran." in text_of(again)
    run_worker(app)
    assert len([r for r in connected.api_requests if r.method == "POST"]) == 1


def test_youtubes_refusal_is_shown_on_the_stream_tab_after_the_job_ran(admin_client, app, connected, event):
    connected.answer_error(403, "liveStreamingNotEnabled")
    post_form(admin_client, "/manage/events/forum/press/stream/broadcast/create", {})
    before = text_of(admin_client.get("/manage/events/forum/press/stream"))
    assert "YouTube Studio" not in before and "YouTube tillfrågas om att skapa sändningen." in before
    run_worker(app)
    after = admin_client.get("/manage/events/forum/press/stream")
    assert "YouTube Studio" in text_of(after)
    assert "YouTube tillfrågas" not in text_of(after)
    assert "broadcast/create" in after.get_data(as_text=True)  # the organiser may ask again
    with app.app_context():
        assert db.session.scalar(select(Broadcast)) is None
