"""A series of meetings invited to at once: one RRULE when a rule fits, one invitation per meeting otherwise.

Moving or cancelling one meeting touches that occurrence only (RECURRENCE-ID). The series crosses
the end of summer time, and 14:00 stays 14:00 in every parser.
"""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
from ical.calendar_stream import IcsCalendarStream
from sqlalchemy import func, select

from conference.core.jobs import run_due
from conference.core.timeutil import utcnow
from conference.events.models import Event, EventSeries
from conference.extensions import db
from conference.registration.models import Invitation, SeriesInvitee
from tests import factories as f
from tests.conftest import log_in, post_form
from tests.pages import text_of
from tests.registration.conftest import deliver

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SERIES_FORM = {"name": "Workshop för kommuner", "kind": "workshop", "format": "on_site",
               "timezone": "Europe/Stockholm", "starts_at_time": "14:00", "duration_minutes": "120",
               "first_date": "", "interval_weeks": "", "count": "", "dates": "", "venue": "Göteborg",
               "contact_name": "Eva", "contact_email": "eva@example.org", "capacity": "30", "summary": ""}


def calendar_part(message):
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part.get_param("method"), part.get_content()


def create(admin_client, **changes):
    return post_form(admin_client, "/manage/series/meetings/new", {**SERIES_FORM, **changes})


@pytest.fixture
def fortnightly(admin_client, app):
    """Four workshops every second Tuesday from 14 October 2031: summer time ends on 26 October."""
    response = create(admin_client, first_date="2031-10-14", interval_weeks="2", count="4")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        return db.session.scalar(select(EventSeries.id))


def invite(admin_client, series_id, email="kommun@example.org", name="Kerstin Kommun"):
    return post_form(admin_client, f"/manage/series/{series_id}/invitations",
                     {"one-name": name, "one-email": email, "one-organisation_name": "Exempelkommun",
                      "one-stakeholder_group": "Kommuner", "one-language": "sv"})


def test_the_meetings_keep_their_wall_clock_time_across_the_end_of_summer_time(app, fortnightly):
    with app.app_context():
        meetings = db.session.scalars(select(Event).order_by(Event.starts_at)).all()
        local = [m.starts_at.astimezone(STOCKHOLM) for m in meetings]
    assert [d.date() for d in local] == [date(2031, 10, 14), date(2031, 10, 28), date(2031, 11, 11),
                                         date(2031, 11, 25)]
    assert {d.time() for d in local} == {time(14, 0)}
    assert [m.starts_at.utcoffset() for m in meetings]  # stored in UTC: 12:00Z before, 13:00Z after the change
    assert [m.starts_at.hour for m in meetings] == [12, 13, 13, 13]


def test_a_weekly_series_goes_out_as_one_invitation_with_one_rrule(admin_client, app, smtp, fortnightly):
    assert invite(admin_client, fortnightly).status_code == 302
    deliver(app)
    [mail] = smtp.to("kommun@example.org")
    method, text = calendar_part(mail)
    assert method == "REQUEST"
    IcsCalendarStream.calendar_from_ics(text)
    parsed = vobject.readOne(text, validate=True)
    assert parsed.vevent.rrule.value == "FREQ=WEEKLY;COUNT=4;INTERVAL=2"
    assert parsed.vevent.attendee.params["RSVP"] == ["TRUE"]
    occurrences = recurring_ical_events.of(icalendar.Calendar.from_ical(text)).between(
        datetime(2031, 10, 1), datetime(2031, 12, 31))
    local = [o["DTSTART"].dt.astimezone(STOCKHOLM) for o in occurrences]
    assert [d.strftime("%Y-%m-%d %H:%M") for d in local] == [
        "2031-10-14 14:00", "2031-10-28 14:00", "2031-11-11 14:00", "2031-11-25 14:00"]
    # each meeting keeps its own answer
    assert text_body_links(mail) == 4
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 4


def text_body_links(mail) -> int:
    return mail.get_body(("plain",)).get_content().count("/invitations/")


def test_moving_one_meeting_updates_that_occurrence_only(admin_client, app, smtp, fortnightly):
    invite(admin_client, fortnightly)
    deliver(app)
    _, series_text = calendar_part(smtp.last("kommun@example.org"))
    with app.app_context():
        third = db.session.scalars(select(Event).order_by(Event.starts_at)).all()[2]
        slug = third.slug
    form = {"title": third.title, "slug": slug, "series_id": str(fortnightly), "kind": "workshop",
            "format": "on_site", "timezone": "Europe/Stockholm", "starts_at": "2031-11-12T10:00",
            "ends_at": "2031-11-12T12:00", "summary": "", "venue": "Göteborg", "audience": "", "contact_name": "Eva",
            "contact_email": "eva@example.org", "contact_phone": "", "registration_policy": "invitation_only",
            "capacity": "30", "registration_opens_at": "", "registration_closes_at": "", "published": "1"}
    assert post_form(admin_client, f"/manage/events/{slug}/edit", form).status_code == 302
    deliver(app)
    method, text = calendar_part(smtp.last("kommun@example.org"))
    update = vobject.readOne(text, validate=True)
    IcsCalendarStream.calendar_from_ics(text)
    assert method == "REQUEST"
    assert update.vevent.uid.value == vobject.readOne(series_text).vevent.uid.value
    assert update.vevent.recurrence_id.value.astimezone(STOCKHOLM) == datetime(2031, 11, 11, 14, tzinfo=STOCKHOLM)
    assert update.vevent.dtstart.value.astimezone(STOCKHOLM) == datetime(2031, 11, 12, 10, tzinfo=STOCKHOLM)
    assert int(update.vevent.sequence.value) > int(vobject.readOne(series_text).vevent.sequence.value)
    assert not hasattr(update.vevent, "rrule")

    # the series and its changed occurrence, together, as a calendar client would hold them
    merged = icalendar.Calendar.from_ical(series_text)
    for component in icalendar.Calendar.from_ical(text).walk("VEVENT"):
        merged.add_component(component)
    starts = [o["DTSTART"].dt.astimezone(STOCKHOLM).strftime("%m-%d %H:%M") for o in
              recurring_ical_events.of(merged).between(datetime(2031, 10, 1), datetime(2031, 12, 31))]
    assert starts == ["10-14 14:00", "10-28 14:00", "11-12 10:00", "11-25 14:00"]


def test_cancelling_one_meeting_cancels_that_occurrence_only(admin_client, app, smtp, fortnightly):
    invite(admin_client, fortnightly)
    deliver(app)
    with app.app_context():
        second = db.session.scalars(select(Event).order_by(Event.starts_at)).all()[1].slug
    post_form(admin_client, f"/manage/events/{second}/cancel", {})
    deliver(app)
    method, text = calendar_part(smtp.last("kommun@example.org"))
    cancel = vobject.readOne(text, validate=True)
    assert method == "CANCEL" and cancel.vevent.status.value == "CANCELLED"
    assert cancel.vevent.recurrence_id.value.astimezone(STOCKHOLM) == datetime(2031, 10, 28, 14, tzinfo=STOCKHOLM)

    # a person invited after that sees the series without the cancelled meeting
    invite(admin_client, fortnightly, "sen@example.org", "Sen Inbjuden")
    deliver(app)
    _, late = calendar_part(smtp.last("sen@example.org"))
    starts = [o["DTSTART"].dt.astimezone(STOCKHOLM).strftime("%m-%d") for o in recurring_ical_events.of(
        icalendar.Calendar.from_ical(late)).between(datetime(2031, 10, 1), datetime(2031, 12, 31))]
    assert starts == ["10-14", "11-11", "11-25"]


def test_meetings_on_dates_of_their_own_get_one_invitation_each(admin_client, app, smtp):
    response = create(admin_client, name="Samråd och sakråd", kind="consultation",
                      dates="2031-03-10\n2031-05-19\n2031-09-22")
    assert response.status_code == 302
    with app.app_context():
        series_id = db.session.scalar(select(EventSeries.id))
    invite(admin_client, series_id)
    deliver(app)
    mails = smtp.to("kommun@example.org")
    assert len(mails) == 3
    uids = {vobject.readOne(calendar_part(m)[1], validate=True).vevent.uid.value for m in mails}
    assert len(uids) == 3


def test_the_series_invitation_is_stored_by_a_real_caldav_server(admin_client, app, smtp, fortnightly, radicale):
    invite(admin_client, fortnightly)
    deliver(app)
    _, text = calendar_part(smtp.last("kommun@example.org"))
    stored = icalendar.Calendar.from_ical(text)
    del stored["METHOD"]  # objects on a server carry no METHOD
    assert radicale.request("MKCALENDAR", "/tester/series/")[0] == 201
    status, answer = radicale.request("PUT", "/tester/series/workshop.ics", stored.to_ical(),
                                      {"Content-Type": "text/calendar; charset=utf-8"})
    assert status == 201, answer
    status, back = radicale.request("GET", "/tester/series/workshop.ics")
    assert status == 200 and b"RRULE:FREQ=WEEKLY" in back


@pytest.mark.parametrize("changes, field_id", [
    ({}, "dates"),
    ({"dates": "2031-03-10\ninte ett datum"}, "dates"),
    ({"first_date": "2031-10-14", "interval_weeks": "2", "count": "4", "timezone": "America/New_York"}, "timezone"),
    ({"first_date": "2031-03-30", "interval_weeks": "1", "count": "2", "starts_at_time": "02:30"}, "starts_at_time"),
])
def test_a_series_without_usable_dates_is_refused_and_nothing_saved(admin_client, app, changes, field_id):
    response = create(admin_client, **changes)
    assert response.status_code == 422
    assert f'id="{field_id}-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Event.id))) == 0
        assert db.session.scalar(select(func.count(EventSeries.id))) == 0


def test_the_same_address_is_not_invited_twice_to_a_series(admin_client, app, fortnightly):
    invite(admin_client, fortnightly)
    assert invite(admin_client, fortnightly, "KOMMUN@example.org").status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(SeriesInvitee.id))) == 1


def test_an_organiser_of_one_meeting_cannot_invite_to_the_whole_series(app, fortnightly):
    with app.app_context():
        first = db.session.scalars(select(Event).order_by(Event.starts_at)).first()
        f.user("one@example.org", organiser_of=[first])
        db.session.commit()
    client = app.test_client()
    log_in(client, "one@example.org")
    assert client.get(f"/manage/series/{fortnightly}/invitations").status_code == 403


def test_a_stakeholder_group_is_invited_to_the_whole_series_from_a_list(admin_client, app, smtp, fortnightly):
    content = "namn;e-post;organisation;grupp\nKerstin;k@example.org;Kommun A;Kommuner\nAli;a@example.org;Kommun B;Kommuner\n"
    response = post_form(admin_client, f"/manage/series/{fortnightly}/invitations/upload",
                         {"upload-file": (io.BytesIO(content.encode("utf-8-sig")), "kommuner.csv"),
                          "upload-language": "sv"}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        run_due(utcnow())  # the worker writes the invitations of the list
    deliver(app)
    for address in ("k@example.org", "a@example.org"):
        [mail] = smtp.to(address)
        assert vobject.readOne(calendar_part(mail)[1]).vevent.rrule.value.startswith("FREQ=WEEKLY")
    with app.app_context():
        assert db.session.scalar(select(func.count(SeriesInvitee.id))) == 2
        assert db.session.scalar(select(func.count(Invitation.id))) == 8  # each of the two, to each of 4 meetings

    bad = post_form(admin_client, f"/manage/series/{fortnightly}/invitations/upload",
                    {"upload-file": (io.BytesIO(b"name,email\nBo,inte-en-adress\n"), "fel.csv"),
                     "upload-language": "sv"}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "Rad 2" in text_of(bad)


def test_a_series_of_yearly_editions_has_no_page_to_invite_to_every_meeting(admin_client, app):
    with app.app_context():
        editions = EventSeries(name="Integrationsforum", slug="integrationsforum")
        db.session.add(editions)
        db.session.flush()
        f.event("integrationsforum-2030", series_id=editions.id)
        db.session.commit()
        series_id = editions.id
    assert admin_client.get(f"/manage/series/{series_id}/invitations").status_code == 404
    assert admin_client.get("/manage/series/999999/invitations").status_code == 404
