"""Invitations that stay true: REQUEST on confirmation, updates with a rising SEQUENCE, CANCEL (RFC 5546/6047).

Every message is read from a real SMTP server and parsed by calendar libraries nobody here wrote.
"""

from datetime import timedelta

import vobject
from ical.calendar_stream import IcsCalendarStream
from sqlalchemy import select

from conference.core.timeutil import utcnow
from conference.events.models import Event
from conference.extensions import db
from conference.registration import services
from conference.registration.models import Registration
from tests.conftest import post_form
from tests.pages import text_of
from tests.registration.conftest import deliver

EVENT_FORM = {"title": "Workshop om mottagande", "slug": "workshop", "series_id": "0", "kind": "workshop",
              "format": "on_site", "timezone": "Europe/Stockholm", "summary": "", "venue": "Göteborg",
              "audience": "", "contact_name": "Eva", "contact_email": "eva@example.org", "contact_phone": "",
              "registration_policy": "open", "capacity": "", "registration_opens_at": "",
              "registration_closes_at": "", "published": "1"}


def calendar_of(message) -> tuple[str, str]:
    """The iTIP part: the METHOD in its Content-Type, and its text."""
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part.get_param("method"), part.get_content()


def parsed(text: str):
    IcsCalendarStream.calendar_from_ics(text)  # strict syntax and known TZIDs, or it raises
    return vobject.readOne(text, validate=True)


def local_form(app, event_id, **changes):
    from conference.core.timeutil import local_naive

    with app.app_context():
        event = db.session.get(Event, event_id)
        times = {"starts_at": local_naive(event.starts_at, event.timezone).strftime("%Y-%m-%dT%H:%M"),
                 "ends_at": local_naive(event.ends_at, event.timezone).strftime("%Y-%m-%dT%H:%M")}
    return {**EVENT_FORM, **times, **changes}


def test_the_first_messages_are_requests_addressed_to_the_recipient(app, smtp, workshop):
    deliver(app)
    for address, partstat, rsvp in (("anna@example.org", "ACCEPTED", "FALSE"),
                                    ("cecilia@example.org", "NEEDS-ACTION", "TRUE")):
        method, text = calendar_of(smtp.last(address))
        calendar = parsed(text)
        assert method == "REQUEST" == calendar.method.value
        attendee = calendar.vevent.attendee
        assert attendee.value == f"mailto:{address}"
        assert attendee.params["PARTSTAT"] == [partstat] and attendee.params["RSVP"] == [rsvp]
        assert calendar.vevent.organizer.value == "mailto:eva@example.org"
        assert calendar.vevent.sequence.value == "0"
        assert calendar.vevent.dtstamp.value.utcoffset() == timedelta(0)


def test_moving_the_event_sends_one_update_with_the_same_uid_and_a_higher_sequence(admin_client, app, smtp,
                                                                                   workshop):
    deliver(app)
    _, first = calendar_of(smtp.last("anna@example.org"))
    form = local_form(app, workshop)
    form["starts_at"] = form["starts_at"][:11] + "15:00"  # it was 13:00 local time
    form["ends_at"] = form["ends_at"][:11] + "17:00"
    response = post_form(admin_client, "/manage/events/workshop/edit", form, follow_redirects=True)
    assert "Kalenderuppdateringar har skickats till 3 personer." in text_of(response)
    deliver(app)
    for address in ("anna@example.org", "bo@example.org", "cecilia@example.org"):
        updates = [m for m in smtp.to(address) if m["Subject"].startswith("Ändrat:")]
        assert len(updates) == 1, address
        method, text = calendar_of(updates[0])
        update = parsed(text)
        assert method == "REQUEST" and update.vevent.sequence.value == "1"
        assert update.vevent.uid.value == parsed(first).vevent.uid.value
        assert update.vevent.dtstart.value.hour == 15


def test_a_change_a_calendar_does_not_show_sends_nothing_unless_the_organiser_asks(admin_client, app, smtp,
                                                                                  workshop):
    deliver(app)
    before = len(smtp.messages)
    post_form(admin_client, "/manage/events/workshop/edit", local_form(app, workshop, summary="Rättat stavfel."))
    deliver(app)
    assert len(smtp.messages) == before
    post_form(admin_client, "/manage/events/workshop/calendar-update", {})
    deliver(app)
    assert len(smtp.messages) == before + 3
    _, text = calendar_of(smtp.last("bo@example.org"))
    assert parsed(text).vevent.sequence.value == "1"


def test_a_persons_cancellation_sends_them_a_cancel(app, smtp, workshop):
    deliver(app)
    with app.test_request_context():
        anna = db.session.scalar(select(Registration).where(Registration.email == "anna@example.org"))
        services.cancel(anna, utcnow(), by="self")
        db.session.commit()
    deliver(app)
    method, text = calendar_of(smtp.last("anna@example.org"))
    calendar = parsed(text)
    assert method == "CANCEL" == calendar.method.value
    assert calendar.vevent.status.value == "CANCELLED"
    assert int(calendar.vevent.sequence.value) >= 1
    assert [m for m in smtp.to("bo@example.org") if "avbokad" in m["Subject"]] == []


def test_cancelling_the_event_tells_every_calendar_and_closes_registration(admin_client, client, app, smtp,
                                                                          workshop):
    deliver(app)
    page = text_of(admin_client.get("/manage/events/workshop/cancel"))
    assert "3 personer" in page
    post_form(admin_client, "/manage/events/workshop/cancel", {})
    deliver(app)
    for address in ("anna@example.org", "bo@example.org", "cecilia@example.org"):
        method, text = calendar_of(smtp.last(address))
        calendar = parsed(text)
        assert method == "CANCEL" and calendar.vevent.status.value == "CANCELLED"
    assert "Evenemanget är inställt." in text_of(client.get("/events/workshop/"))
    assert client.get("/api/v1/events/workshop").get_json()["cancelled"] is True
    assert "stängt" in text_of(client.get("/events/workshop/register"))


def test_the_sequence_never_goes_down_for_anyone(admin_client, app, smtp, workshop):
    """Moves, a cancellation and a new registration: each address sees only rising sequences."""
    deliver(app)
    for hour in ("14", "15"):
        form = local_form(app, workshop)
        form["starts_at"] = form["starts_at"][:11] + f"{hour}:00"
        form["ends_at"] = form["ends_at"][:11] + "17:00"
        post_form(admin_client, "/manage/events/workshop/edit", form)
    with app.test_request_context():
        event = db.session.get(Event, workshop)
        anna = db.session.scalar(select(Registration).where(Registration.email == "anna@example.org"))
        services.cancel(anna, utcnow(), by="self")
        services.register(event, services.Applicant(name="Anna", email="anna@example.org"), now=utcnow(),
                          consent_version="test", email_confirmed=True)
        db.session.commit()
    deliver(app)
    for address in ("anna@example.org", "bo@example.org"):
        sequences = [int(parsed(calendar_of(m)[1]).vevent.sequence.value) for m in smtp.to(address)
                     if any(p.get_content_type() == "text/calendar" for p in m.walk())]
        assert sequences == sorted(sequences), (address, sequences)
    anna_sequences = [int(parsed(calendar_of(m)[1]).vevent.sequence.value) for m in smtp.to("anna@example.org")
                      if any(p.get_content_type() == "text/calendar" for p in m.walk())]
    assert anna_sequences[-1] > anna_sequences[-2]  # the new REQUEST after the CANCEL goes higher
