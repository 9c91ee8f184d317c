"""Press ask for the stream link; the press officer decides; approved press watch through a personal link."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from conference.core import tokens
from conference.core.timeutil import utcnow
from conference.events.models import Event
from conference.press.models import StreamAudience
from conference.extensions import db
from conference.press import services
from conference.press.models import PressRequest, PressRequestState, StreamAccess, StreamView, ViewOutcome
from tests import factories as f
from tests.conftest import csrf_token, log_in, post_form
from tests.pages import text_of
from tests.registration.conftest import deliver, link_in

FORM = {"name": "Karin Reporter", "outlet": "Sveriges Radio", "email": "karin@example.org", "phone": "",
        "note": "Presskort 1234", "website": "", "consent": "y"}


@pytest.fixture
def streamed_event(app):
    """A digital event a week away, with a press officer and a linked broadcast."""
    from conference.press.models import Broadcast

    with app.app_context():
        start = (utcnow() + timedelta(days=7)).replace(second=0, microsecond=0)
        e = f.event("forum", title="Integrationsforum 2031", starts_at=start, hours=6,
                    contact_email="info@example.org", press_contact_email="press@example.org")
        f.session(e, "Öppning", start + timedelta(minutes=30))
        f.user("pressofficer@example.org", press_officer_of=[e])
        db.session.add(Broadcast(event_id=e.id, youtube_id="abcdefghijk", life_cycle_status="ready"))
        db.session.commit()
        return {"id": e.id, "start": start}


def ask(client, **changes):
    return client.post("/events/forum/press", data={**FORM, **changes,
                                                    "csrf_token": csrf_token(client, "/events/forum/press")})


def press_request(app) -> PressRequest:
    with app.app_context():
        found = db.session.scalar(select(PressRequest))
        db.session.expunge_all()
        return found


def approve(client, app):
    log_in(client, "pressofficer@example.org")
    request_id = press_request(app).id
    return post_form(client, f"/manage/events/forum/press/{request_id}/approve", {},
                     token_page="/manage/events/forum/press/")


def approved_watch_link(client, app, smtp) -> str:
    """Karin asks, the press officer approves, and the link arrives by mail."""
    ask(client)
    approve(client, app)
    deliver(app)
    return link_in(smtp.last("karin@example.org"), r"https?://\S+/watch/[\w-]+")


def test_a_journalist_asks_and_the_press_contact_is_told(client, app, smtp, streamed_event):
    response = ask(client)
    assert response.status_code == 302
    assert "Din förfrågan har kommit fram" in text_of(client.get(response.headers["Location"]))
    deliver(app)
    notice = smtp.last("press@example.org")
    assert "Sveriges Radio" in notice["Subject"] or "Integrationsforum 2031" in notice["Subject"]
    assert notice["Reply-To"] == "karin@example.org"
    assert "/manage/events/forum/press/" in link_in(notice)


def test_a_form_posted_twice_stores_one_request(client, app, streamed_event):
    ask(client)
    ask(client, email="KARIN@example.org ")
    with app.app_context():
        assert db.session.scalar(select(func.count(PressRequest.id))) == 1


def test_the_honeypot_stores_nothing_but_answers_as_usual(client, app, streamed_event):
    response = ask(client, website="http://spam.example")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(PressRequest.id))) == 0


@pytest.mark.parametrize("changes, field_id", [({"email": "inte-en-adress"}, "email"), ({"outlet": ""}, "outlet"),
                                               ({"consent": ""}, "consent"), ({"note": "x" * 2001}, "note")])
def test_bad_input_is_explained_and_stores_nothing(client, app, streamed_event, changes, field_id):
    response = ask(client, **changes)
    assert response.status_code == 422
    assert f'id="{field_id}-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(PressRequest.id))) == 0


def test_approval_mails_a_personal_link_that_opens_the_watch_page(client, app, smtp, streamed_event):
    ask(client)
    response = approve(client, app)
    assert response.status_code == 302
    deliver(app)
    mail = smtp.last("karin@example.org")
    assert mail["Subject"] == "Din länk till sändningen av Integrationsforum 2031"
    watch = link_in(mail, r"https?://\S+/watch/[\w-]+")
    journalist = app.test_client()
    page = journalist.get(watch)
    assert page.status_code == 200
    assert "Sändningen öppnar" in text_of(page)  # a week before: the programme and the time left
    assert "(om 1 vecka)" in text_of(page)  # the opening is 7 days away, less the 30 minutes before
    assert "Öppning" in text_of(page)
    with app.app_context():
        access = db.session.scalar(select(StreamAccess))
        assert access.token_hash == tokens.hash_token(watch.rsplit("/", 1)[1])
        assert watch.rsplit("/", 1)[1] not in (access.nonce, access.token_hash)  # stored hashed
        assert len(watch.rsplit("/", 1)[1]) >= 22  # at least 128 bits, base64
        assert db.session.scalar(select(StreamView.outcome)) is ViewOutcome.SHOWN


def test_the_player_is_offered_inside_the_window_and_not_before(client, app, smtp, streamed_event):
    watch = approved_watch_link(client, app, smtp)
    with app.app_context():
        event = db.session.get(Event, streamed_event["id"])
        first_session = min(s.starts_at for s in event.sessions)
        shift = first_session - (utcnow() + timedelta(minutes=10))  # inside the 30 minutes before it
        event.starts_at -= shift
        event.ends_at -= shift
        for s in event.sessions:
            s.starts_at -= shift
            s.ends_at -= shift
        db.session.commit()
    journalist = app.test_client()
    html = journalist.get(watch).get_data(as_text=True)
    assert "Visa spelaren" in text_of(html) and "<iframe" not in html  # loaded on click only
    html = journalist.get(watch + "?player=1")
    assert 'src="https://www.youtube-nocookie.com/embed/abcdefghijk?autoplay=1"' in html.get_data(as_text=True)
    assert "frame-src https://www.youtube-nocookie.com" in html.headers["Content-Security-Policy"]


def test_after_the_event_the_page_says_the_stream_is_over_or_shows_the_recording(client, app, smtp,
                                                                                 streamed_event):
    watch = approved_watch_link(client, app, smtp)
    with app.app_context():
        event = db.session.get(Event, streamed_event["id"])
        for s in event.sessions:
            db.session.delete(s)
        event.starts_at = utcnow() - timedelta(hours=5)
        event.ends_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    assert "Evenemanget är slut, och sändningen likaså." in text_of(app.test_client().get(watch))
    with app.app_context():
        f.stream_settings(db.session.get(Event, streamed_event["id"]),
                          recording_url="https://www.youtube.com/watch?v=abcdefghijk")
        db.session.commit()
    assert 'href="https://www.youtube.com/watch?v=abcdefghijk"' in app.test_client().get(watch).get_data(as_text=True)


def test_a_revoked_link_stops_at_once_and_the_attempt_is_logged(client, app, smtp, streamed_event):
    watch = approved_watch_link(client, app, smtp)
    assert app.test_client().get(watch).status_code == 200
    post_form(client, f"/manage/events/forum/press/{press_request(app).id}/revoke", {},
              token_page="/manage/events/forum/press/")
    response = app.test_client().get(watch)
    assert response.status_code == 410
    assert "återkallats" in text_of(response)
    with app.app_context():
        outcomes = list(db.session.scalars(select(StreamView.outcome).order_by(StreamView.id)))
    assert outcomes == [ViewOutcome.SHOWN, ViewOutcome.REVOKED]


def test_an_expired_link_says_so(client, app, smtp, streamed_event):
    watch = approved_watch_link(client, app, smtp)
    with app.app_context():
        event = db.session.get(Event, streamed_event["id"])
        for s in event.sessions:
            db.session.delete(s)
        event.starts_at = utcnow() - timedelta(days=2, hours=6)
        event.ends_at = utcnow() - timedelta(days=2)  # the link lived until a day after the end
        db.session.commit()
    response = app.test_client().get(watch)
    assert response.status_code == 410 and "gått ut" in text_of(response)


def test_a_link_follows_the_event_when_it_moves_later(client, app, smtp, streamed_event):
    watch = approved_watch_link(client, app, smtp)
    with app.app_context():
        event = db.session.get(Event, streamed_event["id"])
        event.starts_at += timedelta(days=30)
        event.ends_at += timedelta(days=30)
        db.session.commit()
        assert services.link_expiry(db.session.scalar(select(StreamAccess))) > utcnow() + timedelta(days=36)
    assert app.test_client().get(watch).status_code == 200


def test_a_registrants_link_stops_when_the_event_gives_the_stream_to_press_only(client, app, smtp, streamed_event):
    from conference.registration import services as registration

    with app.test_request_context():
        event = db.session.get(Event, streamed_event["id"])
        f.stream_settings(event, audience=StreamAudience.PRESS_AND_REGISTRANTS)
        registration.register(event, registration.Applicant(name="Anna", email="anna@example.org"), now=utcnow(),
                              consent_version="test", email_confirmed=True)
        db.session.commit()
    deliver(app)
    watch = link_in(smtp.last("anna@example.org"), r"https?://\S+/watch/[\w-]+")
    with app.app_context():
        f.stream_settings(db.session.get(Event, streamed_event["id"]), audience=StreamAudience.PRESS)
        db.session.commit()
    assert app.test_client().get(watch).status_code == 410


def test_a_pending_or_denied_request_has_no_link(client, app, smtp, streamed_event):
    ask(client)
    with app.app_context():
        assert db.session.scalar(select(func.count(StreamAccess.id))) == 0
    log_in(client, "pressofficer@example.org")
    post_form(client, f"/manage/events/forum/press/{press_request(app).id}/deny",
              {"message": "Vi har tyvärr inte plats för fler."}, token_page="/manage/events/forum/press/")
    assert press_request(app).state is PressRequestState.DENIED
    with app.app_context():
        assert db.session.scalar(select(func.count(StreamAccess.id))) == 0
    deliver(app)
    denial = smtp.last("karin@example.org")
    assert "Vi har tyvärr inte plats för fler." in denial.get_body(("plain",)).get_content()


def test_a_denial_without_a_message_sends_nothing(client, app, smtp, streamed_event):
    ask(client)
    log_in(client, "pressofficer@example.org")
    post_form(client, f"/manage/events/forum/press/{press_request(app).id}/deny", {"message": ""},
              token_page="/manage/events/forum/press/")
    deliver(app)
    assert smtp.to("karin@example.org") == []


def test_an_unknown_token_is_refused_and_leaves_no_trace(client, app, streamed_event):
    response = client.get("/watch/" + tokens.new_token())
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(StreamView.id))) == 0


def test_a_token_opens_only_its_own_events_page(client, app, smtp, streamed_event):
    with app.app_context():
        f.event("other", title="Annat evenemang", starts_at=utcnow() + timedelta(days=3))
        db.session.commit()
    ask(client)
    approve(client, app)
    deliver(app)
    page = text_of(app.test_client().get(link_in(smtp.last("karin@example.org"), r"https?://\S+/watch/[\w-]+")))
    assert "Integrationsforum 2031" in page and "Annat evenemang" not in page


def test_bulk_approval_approves_the_chosen_pending_requests(client, app, smtp, streamed_event):
    for n in range(3):
        ask(client, email=f"j{n}@example.org", name=f"J{n}")
    with app.app_context():
        ids = list(db.session.scalars(select(PressRequest.id).order_by(PressRequest.id)))
    log_in(client, "pressofficer@example.org")
    token = csrf_token(client, "/manage/events/forum/press/")
    client.post("/manage/events/forum/press/approve", data={"csrf_token": token, "request": [ids[0], ids[2]]})
    with app.app_context():
        states = list(db.session.scalars(select(PressRequest.state).order_by(PressRequest.id)))
    assert states == [PressRequestState.APPROVED, PressRequestState.PENDING, PressRequestState.APPROVED]


def test_the_queue_shows_the_outlets_earlier_requests(client, app, streamed_event):
    with app.app_context():
        f.event("earlier", title="Förra årets forum", starts_at=utcnow() - timedelta(days=300))
        db.session.commit()
    client.post("/events/earlier/press", data={**FORM, "outlet": "sveriges radio",
                                                "csrf_token": csrf_token(client, "/events/earlier/press")})
    ask(client)
    log_in(client, "pressofficer@example.org")
    assert "Förra årets forum" in text_of(client.get("/manage/events/forum/press/"))


def test_an_organiser_of_another_event_can_neither_see_nor_decide(client, app, streamed_event):
    ask(client)
    with app.app_context():
        f.user("other@example.org", organiser_of=[f.event("other")], press_officer_of=[])
        db.session.commit()
    log_in(client, "other@example.org")
    assert client.get("/manage/events/forum/press/").status_code == 403
    response = post_form(client, f"/manage/events/forum/press/{press_request(app).id}/approve", {})
    assert response.status_code == 403
    assert press_request(app).state is PressRequestState.PENDING


def test_a_press_officer_cannot_change_the_stream_settings(client, app, streamed_event):
    log_in(client, "pressofficer@example.org")
    assert client.get("/manage/events/forum/press/stream").status_code == 403


def test_registrants_get_a_personal_watch_link_where_the_event_says_so(client, app, smtp, streamed_event):
    from conference.registration import services as registration

    with app.test_request_context():
        event = db.session.get(Event, streamed_event["id"])
        f.stream_settings(event, audience=StreamAudience.PRESS_AND_REGISTRANTS)
        registration.register(event, registration.Applicant(name="Anna", email="anna@example.org"), now=utcnow(),
                              consent_version="test", email_confirmed=True)
        db.session.commit()
    deliver(app)
    watch = link_in(smtp.last("anna@example.org"), r"https?://\S+/watch/[\w-]+")
    assert app.test_client().get(watch).status_code == 200
    with app.test_request_context():
        registrant = db.session.scalar(select(registration.Registration))
        registration.cancel(registrant, utcnow(), by="self")
        db.session.commit()
    assert app.test_client().get(watch).status_code == 410


def test_everyone_may_watch_where_the_event_is_public(client, app, streamed_event):
    assert client.get("/events/forum/watch").status_code == 404
    with app.app_context():
        f.stream_settings(db.session.get(Event, streamed_event["id"]), audience=StreamAudience.EVERYONE)
        db.session.commit()
    assert client.get("/events/forum/watch").status_code == 200
    assert 'href="/events/forum/watch"' in client.get("/events/forum/").get_data(as_text=True)


def test_the_organiser_sees_who_watched(admin_client, app, smtp, streamed_event):
    client = app.test_client()
    watch = approved_watch_link(client, app, smtp)
    app.test_client().get(watch)
    app.test_client().get(watch)
    page = text_of(admin_client.get("/manage/events/forum/press/stream"))
    assert "Karin Reporter, Sveriges Radio" in page


def test_the_request_form_is_rate_limited(app, tmp_path, streamed_event):
    import flask_migrate

    from conference import create_app
    from conference.extensions import limiter

    limited = create_app({"TESTING": True, "SECRET_KEY": "x" * 20, "RATELIMIT_ENABLED": True,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/limited.sqlite"})
    try:
        with limited.app_context():
            flask_migrate.upgrade()
            f.event("forum", starts_at=utcnow() + timedelta(days=7))
            db.session.commit()
        client = limited.test_client()
        answers = [client.post("/events/forum/press", data={**FORM, "email": f"j{n}@example.org",
                                                              "csrf_token": csrf_token(client, "/events/forum/press")})
                   .status_code for n in range(6)]
    finally:
        limiter.reset()
        limiter.enabled = False
    assert answers[:5] == [302] * 5 and answers[5] == 429
