"""Where attendees pick sessions, each picked session is a calendar object of its own, kept true."""

from datetime import timedelta

import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from sqlalchemy import select

from conference.core.timeutil import local_naive, utcnow
from conference.events.models import Session
from conference.extensions import db
from conference.registration.models import Registration
from tests import factories as f
from tests.conftest import csrf_token, post_form
from tests.pages import text_of
from tests.registration.conftest import deliver, link_in

FORM = {"name": "Anna", "email": "anna@example.org", "organisation_id": "0", "organisation_name": "Kommun",
        "organisation_kind": "municipality", "stakeholder_group": "", "accessibility_needs": "", "consent": "y"}


@pytest.fixture
def conference(app):
    with app.app_context():
        start = (utcnow() + timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
        e = f.event("forum", title="Forum", starts_at=start, hours=8, attendees_pick_sessions=True,
                    contact_email="eva@example.org", registration_opens_at=utcnow() - timedelta(days=1))
        hall = f.stage(e, "Stora salen")
        sessions = [f.session(e, title, start + timedelta(hours=n), 50, stage=hall)
                    for n, title in enumerate(["Bosättning", "Arbetsmarknad", "Civilsamhället"])]
        db.session.commit()
        return [s.id for s in sessions]


def register(client, picks, email="anna@example.org"):
    data = {**FORM, "email": email, "sessions": [str(i) for i in picks],
            "csrf_token": csrf_token(client, "/events/forum/register")}
    return client.post("/events/forum/register", data=data)


def confirm(client, smtp, email="anna@example.org"):
    path = link_in(smtp.last(email), r"https?://\S+/confirm")
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    return response.headers["Location"]


def calendars_to(smtp, email):
    found = []
    for message in smtp.to(email):
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                text = part.get_content()
                IcsCalendarStream.calendar_from_ics(text)
                found.append((part.get_param("method"), vobject.readOne(text, validate=True)))
    return found


def test_each_picked_session_comes_as_its_own_invitation(client, app, smtp, conference):
    assert register(client, [conference[0], conference[2]]).status_code == 302
    deliver(app)
    confirm(client, smtp)
    deliver(app)
    sent = calendars_to(smtp, "anna@example.org")
    assert [method for method, _ in sent] == ["REQUEST", "REQUEST"]
    assert sorted(c.vevent.uid.value for _, c in sent) == sorted(
        f"session-{i}@conference.example.org" for i in (conference[0], conference[2]))
    assert all(c.vevent.attendee.value == "mailto:anna@example.org" for _, c in sent)


def test_the_form_asks_for_at_least_one_session(client, app, conference):
    response = register(client, [])
    assert response.status_code == 422
    assert 'id="sessions-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Registration)) is None


def test_moving_a_session_updates_only_those_who_picked_it(admin_client, app, smtp, conference):
    guest = app.test_client()
    register(guest, [conference[0]])
    register(guest, [conference[1]], email="bo@example.org")
    deliver(app)
    confirm(guest, smtp)
    confirm(guest, smtp, "bo@example.org")
    deliver(app)
    with app.app_context():
        session = db.session.get(Session, conference[0])
        start = local_naive(session.starts_at, "Europe/Stockholm") + timedelta(minutes=30)
    form = {"title": "Bosättning", "kind": "talk", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(minutes=50)).strftime("%Y-%m-%dT%H:%M"), "stage_id": "0",
            "language": "sv", "abstract": ""}
    response = post_form(admin_client, f"/manage/events/forum/sessions/{conference[0]}/edit", form,
                         follow_redirects=True)
    assert "En kalenderuppdatering har skickats till 1 person." in text_of(response)
    deliver(app)
    method, update = calendars_to(smtp, "anna@example.org")[-1]
    assert method == "REQUEST" and update.vevent.sequence.value == "1"
    assert update.vevent.uid.value == f"session-{conference[0]}@conference.example.org"
    assert len(calendars_to(smtp, "bo@example.org")) == 1  # only the first invitation


def test_an_abstract_typo_sends_nothing(admin_client, app, smtp, conference):
    guest = app.test_client()
    register(guest, [conference[0]])
    deliver(app)
    confirm(guest, smtp)
    deliver(app)
    before = len(smtp.messages)
    with app.app_context():
        session = db.session.get(Session, conference[0])
        times = (local_naive(session.starts_at, "Europe/Stockholm"), local_naive(session.ends_at, "Europe/Stockholm"))
    form = {"title": "Bosättning", "kind": "talk", "starts_at": times[0].strftime("%Y-%m-%dT%H:%M"),
            "ends_at": times[1].strftime("%Y-%m-%dT%H:%M"), "stage_id": str(session_stage(app, conference[0])),
            "language": "sv", "abstract": "Rättat stavfel."}
    post_form(admin_client, f"/manage/events/forum/sessions/{conference[0]}/edit", form)
    deliver(app)
    assert len(smtp.messages) == before


def session_stage(app, session_id):
    with app.app_context():
        return db.session.get(Session, session_id).stage_id


def test_changing_picks_adds_and_removes_calendar_entries(client, app, smtp, conference):
    register(client, [conference[0]])
    deliver(app)
    manage = confirm(client, smtp)
    deliver(app)
    client.post(manage, data={**FORM, "sessions": [str(conference[1])], "csrf_token": csrf_token(client, manage)})
    deliver(app)
    sent = calendars_to(smtp, "anna@example.org")
    assert [(m, c.vevent.uid.value.split("@")[0]) for m, c in sent] == [
        ("REQUEST", f"session-{conference[0]}"), ("REQUEST", f"session-{conference[1]}"),
        ("CANCEL", f"session-{conference[0]}")]
    assert sent[-1][1].vevent.status.value == "CANCELLED"


def test_cancelling_the_registration_removes_every_picked_session(client, app, smtp, conference):
    register(client, [conference[0], conference[1]])
    deliver(app)
    manage = confirm(client, smtp)
    deliver(app)
    client.post(manage + "/cancel", data={"csrf_token": csrf_token(client, manage + "/cancel")})
    deliver(app)
    cancels = [c for m, c in calendars_to(smtp, "anna@example.org") if m == "CANCEL"]
    assert sorted(c.vevent.uid.value for c in cancels) == sorted(
        f"session-{i}@conference.example.org" for i in conference[:2])
    assert all(int(c.vevent.sequence.value) >= 1 for c in cancels)


def test_the_organiser_can_send_every_picked_session_again(admin_client, client, app, smtp, conference):
    register(client, [conference[1]])
    deliver(app)
    confirm(client, smtp)
    deliver(app)
    post_form(admin_client, "/manage/events/forum/calendar-update", {})
    deliver(app)
    method, again = calendars_to(smtp, "anna@example.org")[-1]
    assert method == "REQUEST" and again.vevent.sequence.value == "1"
