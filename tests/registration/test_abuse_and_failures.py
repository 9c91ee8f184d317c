"""Odd input and failures half-way leave places counted right and mail flowing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from conference.core.timeutil import utcnow
from conference.events.models import Event
from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.compose import Mail
from conference.outbox.models import OutboxMessage, OutboxState
from conference.registration import services
from conference.registration.models import Registration, RegistrationState
from tests import factories as f
from tests.conftest import csrf_token, post_form
from tests.registration.conftest import deliver

FORM = {"name": "Anna", "email": "anna@example.org", "organisation_id": "0", "organisation_name": "X",
        "organisation_kind": "ngo", "consent": "y"}


def open_event(app, capacity=None):
    with app.app_context():
        e = f.event("forum", starts_at=utcnow() + timedelta(days=10), capacity=capacity,
                    registration_opens_at=utcnow() - timedelta(days=1))
        db.session.commit()
        return e.id


def register(client, **changes):
    return client.post("/events/forum/register",
                       data={**FORM, **changes, "csrf_token": csrf_token(client, "/events/forum/register")})


def test_a_line_break_in_a_name_becomes_a_space_and_the_mail_goes_out(client, app, smtp):
    open_event(app)
    assert register(client, name="Eve\r\nBcc: victim@example.org").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Registration.name)) == "Eve Bcc: victim@example.org"
    assert deliver(app) == 1
    assert smtp.messages[0]["To"] == '"Eve Bcc: victim@example.org" <anna@example.org>'
    assert smtp.messages[0]["Bcc"] is None


def test_an_address_with_letters_beyond_a_to_z_before_the_at_is_refused(client, app):
    open_event(app)
    response = register(client, email="åsa@example.org")
    assert response.status_code == 422 and 'id="email-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Registration.id))) == 0
        assert f.seats_taken(1) == 0


def test_an_international_domain_is_kept_in_its_ascii_form(client, app):
    open_event(app)
    register(client, email="anna@exämple.org")
    with app.app_context():
        assert db.session.scalar(select(Registration.email)) == "anna@xn--exmple-cua.org"


def test_one_message_that_cannot_be_sent_does_not_stop_the_others(app, smtp):
    with app.test_request_context():
        outbox.enqueue(Mail(to_name="A", to_address="a@example.org", subject="First", text="t", html="h"),
                       kind="test")
        outbox.enqueue(Mail(to_name="B", to_address="b@example.org", subject="Second", text="t", html="h"),
                       kind="test")
        db.session.commit()
        broken = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject == "First"))
        broken.recipient = "åsa@exämple.org"  # as an older row might hold
        db.session.commit()
    assert deliver(app) == 1
    with app.app_context():
        states = dict(db.session.execute(select(OutboxMessage.subject, OutboxMessage.state)).all())
    assert states == {"First": OutboxState.FAILED, "Second": OutboxState.SENT}


def test_raising_the_capacity_gives_the_new_places_to_those_waiting(admin_client, app):
    event_id = open_event(app, capacity=1)
    with app.test_request_context():
        event = db.session.get(Event, event_id)
        for name in ("a", "b", "c"):
            services.register(event, services.Applicant(name=name, email=f"{name}@example.org"), now=utcnow(),
                              consent_version="test", email_confirmed=True)
        db.session.commit()
    from conference.core.timeutil import local_naive

    with app.app_context():
        event = db.session.get(Event, event_id)
        times = [local_naive(t, "Europe/Stockholm").strftime("%Y-%m-%dT%H:%M") for t in (event.starts_at,
                                                                                          event.ends_at)]
    form = {"title": "Forum", "slug": "forum", "series_id": "0", "kind": "conference", "format": "digital",
            "timezone": "Europe/Stockholm", "starts_at": times[0], "ends_at": times[1], "registration_policy": "open",
            "capacity": "3", "published": "1"}
    assert post_form(admin_client, "/manage/events/forum/edit", form).status_code == 302
    with app.app_context():
        states = sorted(s.value for s in db.session.scalars(select(Registration.state)))
        assert states == ["confirmed"] * 3 and f.seats_taken(event_id) == 3


def test_a_cancelled_event_does_not_come_back_to_life_in_calendars(admin_client, app, smtp):
    event_id = open_event(app)
    with app.test_request_context():
        services.register(db.session.get(Event, event_id), services.Applicant(name="A", email="a@example.org"),
                          now=utcnow(), consent_version="test", email_confirmed=True)
        db.session.commit()
    post_form(admin_client, "/manage/events/forum/cancel", {})
    deliver(app)
    before = len(smtp.messages)
    with app.app_context():
        event = db.session.get(Event, event_id)
        from conference.core.timeutil import local_naive
        times = [local_naive(t, "Europe/Stockholm").strftime("%Y-%m-%dT%H:%M") for t in (event.starts_at,
                                                                                          event.ends_at)]
    form = {"title": "Nytt namn", "slug": "forum", "series_id": "0", "kind": "conference", "format": "digital",
            "timezone": "Europe/Stockholm", "starts_at": times[0], "ends_at": times[1], "registration_policy": "open",
            "published": "1"}
    post_form(admin_client, "/manage/events/forum/edit", form)
    deliver(app)
    assert len(smtp.messages) == before


def test_an_unconfirmed_address_cannot_be_confirmed_once_the_event_is_cancelled(client, app, admin_client):
    open_event(app)
    register(client)
    post_form(admin_client, "/manage/events/forum/cancel", {})
    with app.test_request_context():
        registration = db.session.scalar(select(Registration))
        with pytest.raises(services.RegistrationError, match="no_longer_valid"):
            services.confirm_address(registration, utcnow())
        db.session.rollback()
        assert db.session.scalar(select(Registration.state)) is RegistrationState.PENDING


def test_registering_again_and_again_mails_the_link_once_a_quarter(client, app):
    open_event(app)
    for _ in range(5):
        register(client)
    with app.app_context():
        kinds = list(db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)))
    assert kinds == ["registration.confirm_address", "registration.link"]
