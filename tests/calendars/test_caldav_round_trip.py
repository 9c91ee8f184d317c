"""Every iTIP object we mail is also a calendar object a real CalDAV server (Radicale) accepts and gives back."""

import icalendar

from tests.calendars.test_itip import calendar_of, local_form
from tests.calendars.test_series import create, invite
from tests.conftest import post_form
from tests.registration.conftest import deliver


def store(radicale, collection: str, name: str, text: str) -> icalendar.Calendar:
    """PUT the object as a client files it (no METHOD), and read it back."""
    stored = icalendar.Calendar.from_ical(text)
    del stored["METHOD"]
    status, answer = radicale.request("PUT", f"/tester/{collection}/{name}.ics", stored.to_ical(),
                                      {"Content-Type": "text/calendar; charset=utf-8"})
    assert status in (201, 204), answer
    status, back = radicale.request("GET", f"/tester/{collection}/{name}.ics")
    assert status == 200
    return icalendar.Calendar.from_ical(back)


def test_invitation_update_and_cancellation_round_trip(admin_client, app, smtp, workshop, radicale):
    assert radicale.request("MKCALENDAR", "/tester/itip/")[0] == 201
    deliver(app)
    _, invitation = calendar_of(smtp.last("anna@example.org"))
    first = store(radicale, "itip", "anna", invitation).walk("VEVENT")[0]

    form = local_form(app, workshop)
    form["starts_at"] = form["starts_at"][:11] + "15:00"
    form["ends_at"] = form["ends_at"][:11] + "17:00"
    post_form(admin_client, "/manage/events/workshop/edit", form)
    deliver(app)
    _, update = calendar_of(smtp.last("anna@example.org"))
    updated = store(radicale, "itip", "anna", update).walk("VEVENT")[0]
    assert updated["UID"] == first["UID"] and updated["SEQUENCE"] > first["SEQUENCE"]

    post_form(admin_client, "/manage/events/workshop/cancel", {})
    deliver(app)
    _, cancellation = calendar_of(smtp.last("anna@example.org"))
    cancelled = store(radicale, "itip", "anna", cancellation).walk("VEVENT")[0]
    assert cancelled["STATUS"] == "CANCELLED" and cancelled["SEQUENCE"] > updated["SEQUENCE"]


def test_a_series_with_a_changed_occurrence_round_trips(admin_client, app, smtp, radicale):
    from sqlalchemy import select

    from conference.events.models import Event, EventSeries
    from conference.extensions import db

    assert create(admin_client, first_date="2031-10-14", interval_weeks="2", count="4").status_code == 302
    with app.app_context():
        series_id = db.session.scalar(select(EventSeries.id))
        third = db.session.scalars(select(Event).order_by(Event.starts_at)).all()[2]
        third_slug, third_title = third.slug, third.title
    invite(admin_client, series_id)
    deliver(app)
    _, series_text = calendar_of(smtp.last("kommun@example.org"))
    form = {"title": third_title, "slug": third_slug, "series_id": str(series_id), "kind": "workshop",
            "format": "on_site", "timezone": "Europe/Stockholm", "starts_at": "2031-11-12T10:00",
            "ends_at": "2031-11-12T12:00", "venue": "Göteborg", "contact_name": "Eva",
            "contact_email": "eva@example.org", "registration_policy": "invitation_only", "capacity": "30",
            "published": "1"}
    post_form(admin_client, f"/manage/events/{third_slug}/edit", form)
    deliver(app)
    _, occurrence_text = calendar_of(smtp.last("kommun@example.org"))

    merged = icalendar.Calendar.from_ical(series_text)
    for component in icalendar.Calendar.from_ical(occurrence_text).walk("VEVENT"):
        merged.add_component(component)
    assert radicale.request("MKCALENDAR", "/tester/series/")[0] == 201
    back = store(radicale, "series", "workshop", merged.to_ical().decode())
    events = back.walk("VEVENT")
    assert len(events) == 2 and "RRULE" in events[0] and "RECURRENCE-ID" in events[1]
