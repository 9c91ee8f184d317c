"""The organiser's list: counts, filters, registrations added, cancelled and moved by hand."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from conference.core.timeutil import utcnow
from conference.events.models import Event
from conference.extensions import db
from conference.outbox.models import OutboxMessage, OutboxState
from conference.registration import listing, services
from conference.registration.models import EventPlaces, Registration, RegistrationState
from tests import factories as f
from tests.conftest import log_in, post_form
from tests.pages import text_of
from tests.registration.conftest import deliver


@pytest.fixture
def full_event(app):
    """Capacity 2: Anna and Bo have places, Cecilia waits."""
    with app.app_context():
        e = f.event("forum", title="Forum", starts_at=utcnow() + timedelta(days=10), capacity=2)
        with app.test_request_context():
            for name in ("Anna", "Bo", "Cecilia"):
                services.register(e, services.Applicant(name=name, email=f"{name.lower()}@example.org",
                                                        organisation_name="Kommun"),
                                  now=utcnow(), consent_version="test", email_confirmed=True)
        db.session.commit()
        ids = dict(db.session.execute(select(Registration.name, Registration.id)).all())
        return ids


def state(app, name):
    with app.app_context():
        return db.session.scalar(select(Registration.state).where(Registration.name == name))


def test_the_list_shows_counts_and_filters_by_state_and_search(admin_client, full_event):
    page = text_of(admin_client.get("/manage/events/forum/registrations/"))
    assert "Bekräftad 2" in page and "Väntelista 1" in page and "Antal platser 2 / 2" in page
    waiting = text_of(admin_client.get("/manage/events/forum/registrations/?state=waitlisted"))
    assert "Cecilia" in waiting and "Anna" not in waiting
    assert "Bo" in text_of(admin_client.get("/manage/events/forum/registrations/?q=bo@"))


def test_an_organiser_cancels_by_hand_and_the_first_in_line_gets_the_place(admin_client, app, smtp, full_event):
    response = post_form(admin_client, f"/manage/events/forum/registrations/{full_event['Anna']}/cancel", {})
    assert response.status_code == 302
    assert state(app, "Anna") is RegistrationState.CANCELLED
    assert state(app, "Cecilia") is RegistrationState.CONFIRMED
    deliver(app)
    assert smtp.last("cecilia@example.org")["Subject"] == "Du har fått en plats på Forum"


def test_an_organiser_moves_someone_off_the_waiting_list_over_the_capacity(admin_client, app, full_event):
    post_form(admin_client, f"/manage/events/forum/registrations/{full_event['Cecilia']}/promote", {})
    assert state(app, "Cecilia") is RegistrationState.CONFIRMED
    with app.app_context():
        assert db.session.scalar(select(EventPlaces.taken)) == 3


def test_moving_someone_who_is_not_waiting_changes_nothing(admin_client, app, full_event):
    response = post_form(admin_client, f"/manage/events/forum/registrations/{full_event['Anna']}/promote", {})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(EventPlaces.taken)) == 2


def test_an_organiser_registers_someone_by_hand(admin_client, app, smtp, full_event):
    response = post_form(admin_client, "/manage/events/forum/registrations/new", {
        "name": "David", "email": "david@example.org", "organisation_id": "0", "organisation_name": "Region",
        "organisation_kind": "region", "stakeholder_group": "", "language": "en"})
    assert response.status_code == 302
    assert state(app, "David") is RegistrationState.WAITLISTED
    deliver(app)
    assert smtp.last("david@example.org")["Subject"] == "You are on the waiting list for Forum"


def test_the_personal_link_can_be_sent_again(admin_client, app, smtp, full_event):
    post_form(admin_client, f"/manage/events/forum/registrations/{full_event['Bo']}/resend", {})
    deliver(app)
    assert smtp.last("bo@example.org")["Subject"] == "Din anmälan till Forum"


def test_the_organiser_sees_failed_mail_with_the_reason_and_can_send_it_again(admin_client, app, smtp,
                                                                             full_event):
    smtp.refuse["anna@example.org"] = "550 5.1.1 No such user"
    deliver(app)
    page = text_of(admin_client.get("/manage/events/forum/outbox/"))
    assert "anna@example.org" in page and "550" in page
    with app.app_context():
        failed_id = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.state == OutboxState.FAILED))
    del smtp.refuse["anna@example.org"]
    post_form(admin_client, f"/manage/events/forum/outbox/{failed_id}/retry", {})
    deliver(app)
    with app.app_context():
        assert db.session.get(OutboxMessage, failed_id).state is OutboxState.SENT


def test_a_message_that_did_not_fail_is_not_sent_again(admin_client, app, smtp, full_event):
    deliver(app)
    with app.app_context():
        sent_id = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.state == OutboxState.SENT))
    response = post_form(admin_client, f"/manage/events/forum/outbox/{sent_id}/retry", {})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(OutboxMessage, sent_id).state is OutboxState.SENT


def test_a_failed_message_of_another_event_is_not_found_here(admin_client, app, smtp, full_event):
    smtp.refuse["anna@example.org"] = "550 5.1.1 No such user"
    deliver(app)
    with app.app_context():
        f.event("other")
        db.session.commit()
        failed_id = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.state == OutboxState.FAILED))
    assert post_form(admin_client, f"/manage/events/other/outbox/{failed_id}/retry", {}).status_code == 404
    with app.app_context():
        assert db.session.get(OutboxMessage, failed_id).state is OutboxState.FAILED


def test_a_page_of_the_list_holds_its_rows_and_knows_how_many_there_are(app, full_event):
    with app.app_context():
        event = db.session.scalar(select(Event))
        rows, total = listing.page_of(listing.filtered_registrations(event, "", ""), 2, 2)
        assert ([r.name for r in rows], total) == (["Cecilia"], 3)
        rows, total = listing.page_of(listing.filtered_registrations(event, "confirmed", "bo@"), 1, 2)
        assert ([r.name for r in rows], total) == (["Bo"], 1)


def test_an_organiser_of_another_event_sees_and_changes_nothing(client, app, full_event):
    with app.app_context():
        f.user("other@example.org", organiser_of=[f.event("other")])
        db.session.commit()
    log_in(client, "other@example.org")
    assert client.get("/manage/events/forum/registrations/").status_code == 403
    assert client.get("/manage/events/forum/outbox/").status_code == 403
    assert post_form(client, f"/manage/events/forum/registrations/{full_event['Anna']}/cancel",
                     {}).status_code == 403
    assert state(app, "Anna") is RegistrationState.CONFIRMED


def test_a_registration_of_another_event_is_not_found_here(admin_client, app, full_event):
    with app.app_context():
        f.event("other")
        db.session.commit()
    response = post_form(admin_client, f"/manage/events/other/registrations/{full_event['Anna']}/cancel", {})
    assert response.status_code == 404
    assert state(app, "Anna") is RegistrationState.CONFIRMED


def test_raising_the_capacity_gives_places_to_those_waiting(app, full_event):
    with app.test_request_context():
        event = db.session.scalar(select(Event))
        event.capacity = 3
        promoted = services.fill_free_seats(event, utcnow())
        db.session.commit()
    assert promoted == 1
    assert state(app, "Cecilia") is RegistrationState.CONFIRMED
