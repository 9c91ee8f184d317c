"""Calendar feeds and "Add to calendar", proved with parsers and a CalDAV server nobody here wrote."""

import html
import re
from datetime import date, datetime, timezone
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
from ical.calendar_stream import IcsCalendarStream
from sqlalchemy import select

from conference.events.models import EventFormat, OrganiserRole, Session, SpeakerRole
from conference.calendars import itip
from conference.extensions import db
from conference.registration import services as registration
from conference.registration.models import Registration
from tests import factories as f

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2030, 9, 1, 12, tzinfo=timezone.utc)


@pytest.fixture
def consultation(app):
    """A consultation across the end of summer time (27 October 2030), with a speaker and a stage."""
    with app.app_context():
        event = f.event("samrad", title="Samråd om vindkraft", starts_at=f.local(2030, 10, 21, 9),
                        hours=24 * 14, format=EventFormat.ON_SITE, venue="Kulturhuset, Storgatan 1, Umeå",
                        summary="Ett samråd om vindkraft i länet.")
        hall = f.stage(event, "Stora salen")
        org = f.organisation()
        anna = f.person("Anna Berg", ("Generaldirektör", org, date(2030, 1, 1), None),
                        ("Avdelningschef", org, date(2020, 1, 1), date(2029, 12, 31)))
        leif = f.person("Leif Ek")
        f.session(event, "Öppning i sommartid", f.local(2030, 10, 22, 10), 60, stage=hall, abstract="Vi öppnar samrådet.",
                  speakers=[(anna, SpeakerRole.SPEAKER), (leif, SpeakerRole.MODERATOR)])
        f.session(event, "Avslutning i vintertid", f.local(2030, 11, 1, 10), 90)
        db.session.commit()
    return "samrad"


def session_ids(app, slug="samrad") -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Session.id).join(Session.event).where(f.Event.slug == slug)
                                       .order_by(Session.starts_at)))


def register(app, email: str, slug: str = "samrad") -> str:
    """A confirmed registrant's agenda feed, as a path without its .ics ending."""
    with app.test_request_context():
        event = db.session.scalar(select(f.Event).where(f.Event.slug == slug))
        found, _ = registration.register(event, registration.Applicant(name="Eva Lund", email=email), now=NOW,
                                         consent_version="test", email_confirmed=True)
        db.session.commit()
        return f"/agenda/{found.id}/{registration.agenda_token(found)}"


def get_calendar(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return response.get_data(as_text=True)


def vevents(text: str) -> list:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def all_feed_urls(app, client) -> list[str]:
    first, _ = session_ids(app)
    with app.app_context():
        event = db.session.scalar(select(f.Event).where(f.Event.slug == "samrad"))
        f.link(event, db.session.scalar(select(f.Organisation)))
        db.session.commit()
    token = register(app, "eva@example.org")
    return ["/events/samrad/programme.ics", f"/events/samrad/sessions/{first}.ics",
            "/organisations/arbetsformedlingen/events.ics", f"{token}.ics"]


# ---------------------------------------------------------------- parsers nobody here wrote

def test_every_feed_passes_vobjects_validation(app, client, consultation):
    for url in all_feed_urls(app, client):
        parsed = vobject.readOne(get_calendar(client, url), validate=True)
        assert parsed.vevent.uid.value.endswith("@conference.example.org"), url


def test_every_feed_passes_the_strict_ical_parser(app, client, consultation):
    for url in all_feed_urls(app, client):
        calendar = IcsCalendarStream.calendar_from_ics(get_calendar(client, url))
        assert calendar.events, url
        assert all(e.dtstart.tzinfo is not None for e in calendar.events), url


def test_sessions_come_out_at_their_local_times_in_summer_and_in_winter_time(client, consultation):
    text = get_calendar(client, "/events/samrad/programme.ics")

    found = recurring_ical_events.of(icalendar.Calendar.from_ical(text)).between(date(2030, 10, 1),
                                                                                  date(2030, 12, 1))

    starts = {str(e["SUMMARY"]): e["DTSTART"].dt for e in found}
    assert starts["Öppning i sommartid"].astimezone(STOCKHOLM).strftime("%H:%M %Z") == "10:00 CEST"
    assert starts["Öppning i sommartid"].astimezone(timezone.utc).hour == 8
    assert starts["Avslutning i vintertid"].astimezone(STOCKHOLM).strftime("%H:%M %Z") == "10:00 CET"
    assert starts["Avslutning i vintertid"].astimezone(timezone.utc).hour == 9
    assert "DTSTART;TZID=Europe/Stockholm:20301022T100000" in text
    assert text.count("BEGIN:VTIMEZONE") == 1


def test_a_session_outside_the_asked_dates_is_left_out(client, consultation):
    text = get_calendar(client, "/events/samrad/programme.ics")

    found = recurring_ical_events.of(icalendar.Calendar.from_ical(text)).between(date(2030, 10, 28),
                                                                                  date(2030, 12, 1))

    assert [str(e["SUMMARY"]) for e in found] == ["Avslutning i vintertid"]


def test_the_programme_is_a_subscribable_published_calendar(client, consultation):
    response = client.get("/events/samrad/programme.ics")
    text = response.get_data(as_text=True)
    calendar = icalendar.Calendar.from_ical(text)

    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "Samråd om vindkraft"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text
    assert "X-PUBLISHED-TTL:PT1H" in text
    assert response.headers["Cache-Control"] in ("public, max-age=300", "max-age=300, public")
    assert response.headers["ETag"].startswith('"')  # strong
    assert response.headers["Last-Modified"]


def test_each_session_keeps_its_uid_and_links_back_to_its_page(app, client, consultation):
    first, second = session_ids(app)

    entries = vevents(get_calendar(client, "/events/samrad/programme.ics"))

    assert [str(e["UID"]) for e in entries] == [f"session-{first}@conference.example.org",
                                                 f"session-{second}@conference.example.org"]
    assert str(entries[0]["URL"]).endswith(f"/events/samrad/sessions/{first}")
    assert entries[0]["DTSTAMP"].to_ical().endswith(b"Z")  # UTC
    assert entries[0]["SEQUENCE"] == 0
    assert vevents(get_calendar(client, "/events/samrad/programme.ics"))[0]["UID"] == entries[0]["UID"]


def test_a_session_tells_who_speaks_with_the_title_held_that_day(client, consultation):
    client.get("/language/en")

    entry = vevents(get_calendar(client, "/events/samrad/programme.ics"))[0]

    description = str(entry["DESCRIPTION"])
    assert description.startswith("Vi öppnar samrådet.")
    assert "Anna Berg, Generaldirektör, Arbetsförmedlingen" in description
    assert "Avdelningschef" not in description
    assert "Leif Ek (moderator)" in description
    assert str(entry["LOCATION"]) == "Stora salen, Kulturhuset, Storgatan 1, Umeå"


def test_a_digital_session_is_located_at_the_event_page(app, client):
    with app.app_context():
        event = f.event("webbinar", format=EventFormat.DIGITAL)
        f.session(event, "Online", f.local(2030, 11, 26, 10))
        db.session.commit()

    entry = vevents(get_calendar(client, "/events/webbinar/programme.ics"))[0]

    assert str(entry["LOCATION"]).endswith("/events/webbinar/")


def test_an_event_without_a_programme_is_one_entry(app, client):
    with app.app_context():
        event_id = f.event("tomt").id
        db.session.commit()

    entries = vevents(get_calendar(client, "/events/tomt/programme.ics"))

    assert [str(e["UID"]) for e in entries] == [f"event-{event_id}@conference.example.org"]
    assert entries[0]["DTSTART"].dt == f.local(2030, 11, 26, 9)


def test_one_session_has_its_own_file(app, client, consultation):
    first, second = session_ids(app)

    entries = vevents(get_calendar(client, f"/events/samrad/sessions/{second}.ics"))

    assert [str(e["SUMMARY"]) for e in entries] == ["Avslutning i vintertid"]
    assert client.get(f"/events/samrad/sessions/{second + 100}.ics").status_code == 404


def test_a_session_of_another_event_is_not_found_under_this_one(app, client, consultation):
    with app.app_context():
        other = f.event("annat")
        other_session = f.session(other, "Annat", f.local(2030, 11, 26, 10)).id
        db.session.commit()

    assert client.get(f"/events/samrad/sessions/{other_session}.ics").status_code == 404


def test_an_organisation_feed_holds_the_events_it_hosts_or_co_organises(app, client):
    with app.app_context():
        org = f.organisation()
        f.link(f.event("hosted", starts_at=f.local(2030, 5, 5)), org, OrganiserRole.HOST)
        f.link(f.event("co", starts_at=f.local(2030, 6, 5)), org, OrganiserRole.CO_ORGANISER)
        f.link(f.event("partnered"), org, OrganiserRole.PARTNER)
        f.link(f.event("draft", published=False), org, OrganiserRole.HOST)
        db.session.commit()

    entries = vevents(get_calendar(client, "/organisations/arbetsformedlingen/events.ics"))

    assert [str(e["SUMMARY"]) for e in entries] == ["Hosted", "Co"]
    assert all(str(e["UID"]).startswith("event-") for e in entries)
    assert client.get("/organisations/nobody/events.ics").status_code == 404


def test_an_organisation_without_events_still_gives_a_valid_calendar(app, client):
    with app.app_context():
        f.organisation()
        db.session.commit()

    text = get_calendar(client, "/organisations/arbetsformedlingen/events.ics")

    assert vobject.readOne(text, validate=True)
    assert IcsCalendarStream.calendar_from_ics(text).events == []


# ---------------------------------------------------------------- a real CalDAV server

def as_calendar_object(feed: icalendar.Calendar, entry) -> bytes:
    """One stored object as a CalDAV client PUTs it: its VTIMEZONE, its VEVENT, no METHOD."""
    stored = icalendar.Calendar()
    stored.add("PRODID", feed["PRODID"])
    stored.add("VERSION", "2.0")
    for zone in feed.walk("VTIMEZONE"):
        stored.add_component(zone)
    stored.add_component(entry)
    return stored.to_ical()


def test_radicale_stores_every_session_of_the_programme_and_gives_it_back(client, consultation, radicale):
    feed = icalendar.Calendar.from_ical(get_calendar(client, "/events/samrad/programme.ics"))
    status, _ = radicale.request("MKCALENDAR", "/tester/programme/")
    assert status == 201

    for entry in feed.walk("VEVENT"):
        path = f"/tester/programme/{str(entry['UID']).split('@')[0]}.ics"
        status, answer = radicale.request("PUT", path, as_calendar_object(feed, entry),
                                          {"Content-Type": "text/calendar; charset=utf-8"})
        assert status == 201, answer

        status, stored = radicale.request("GET", path)
        assert status == 200
        back = icalendar.Calendar.from_ical(stored).walk("VEVENT")[0]
        assert back["UID"] == entry["UID"]
        assert back["DTSTART"].dt == entry["DTSTART"].dt
        assert back["DTSTART"].params["TZID"] == "Europe/Stockholm"


# ---------------------------------------------------------------- caching

def test_a_client_with_the_current_etag_gets_304(client, consultation):
    etag = client.get("/events/samrad/programme.ics").headers["ETag"]

    again = client.get("/events/samrad/programme.ics", headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag


def test_a_changed_session_gives_a_new_etag_and_the_new_title(app, client, consultation):
    first = client.get("/events/samrad/programme.ics")
    with app.app_context():
        session = db.session.get(Session, session_ids(app)[0])
        session.title = "Öppning, flyttad"
        db.session.commit()

    again = client.get("/events/samrad/programme.ics", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]
    assert "SUMMARY:Öppning\\, flyttad" in again.get_data(as_text=True)
    assert again.last_modified >= first.last_modified


# ---------------------------------------------------------------- the personal agenda

def test_a_confirmed_registrant_subscribes_to_the_event_and_its_sessions(app, client, consultation):
    token = register(app, "eva@example.org")

    response = client.get(f"{token}.ics")

    uids = [str(e["UID"]) for e in vevents(response.get_data(as_text=True))]
    assert uids[0].startswith("event-") and len(uids) == 3
    assert "private" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]
    assert client.get(f"{token}.ics",
                      headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_a_cancelled_registration_has_no_agenda(app, client, consultation):
    token = register(app, "eva@example.org")
    with app.test_request_context():
        found = db.session.scalar(select(Registration))
        registration.cancel(found, NOW, by="self")
        db.session.commit()

    assert client.get(f"{token}.ics").status_code == 404


def test_a_registrant_waiting_for_a_place_has_no_agenda_yet(app, client, consultation):
    with app.app_context():
        db.session.scalar(select(f.Event)).capacity = 0
        db.session.commit()

    token = register(app, "eva@example.org")

    with app.app_context():
        assert db.session.scalar(select(Registration)).state.value == "waitlisted"
    assert client.get(f"{token}.ics").status_code == 404


def test_an_unknown_token_has_no_agenda(client, consultation):
    assert client.get("/agenda/1/not-a-token.ics").status_code == 404


def test_the_agenda_address_does_not_open_the_personal_page(app, client, consultation):
    agenda = register(app, "eva@example.org")
    agenda_token = agenda.rsplit("/", 1)[1]
    assert client.get(f"/r/{agenda_token}").status_code == 404
    with app.app_context():
        found = db.session.scalar(select(Registration))
        with app.test_request_context():
            manage = registration.manage_token(found)
    assert client.get(f"/agenda/{found.id}/{manage}.ics").status_code == 404


def test_new_secrets_end_the_old_agenda_link(app, client, consultation):
    token = register(app, "eva@example.org")
    with app.app_context():
        registration.give_new_secrets(db.session.scalar(select(Registration)))
        db.session.commit()

    assert client.get(f"{token}.ics").status_code == 404


# ---------------------------------------------------------------- cancellation and drafts

def test_a_cancelled_event_stays_in_the_feeds_marked_cancelled_with_the_invitations_sequence(app, client,
                                                                                            consultation):
    token = register(app, "eva@example.org")
    with app.app_context():
        event = db.session.scalar(select(f.Event))
        event.cancelled_at = NOW
        itip.state_of(event).sequence = 2
        db.session.commit()

    entries = vevents(get_calendar(client, f"{token}.ics"))

    assert {str(e["STATUS"]) for e in entries} == {"CANCELLED"}
    assert entries[0]["SEQUENCE"] == 2  # the event's own entry, as in the CANCEL mail
    assert {str(e["STATUS"]) for e in vevents(get_calendar(client, "/events/samrad/programme.ics"))} == {"CANCELLED"}


def test_a_cancelled_event_offers_nothing_to_add(app, client, consultation):
    with app.app_context():
        db.session.scalar(select(f.Event)).cancelled_at = NOW
        db.session.commit()
    client.get("/language/en")

    page = client.get("/events/samrad/").get_data(as_text=True)

    assert "Add to calendar" not in page
    assert not links_on(page, "webcal://")


def test_a_draft_has_no_feeds(app, client):
    with app.app_context():
        draft = f.event("utkast", published=False)
        session_id = f.session(draft, "Hemlig", f.local(2030, 11, 26, 10)).id
        db.session.commit()

    for url in ("/events/utkast/programme.ics", f"/events/utkast/sessions/{session_id}.ics"):
        assert client.get(url).status_code == 404, url


# ---------------------------------------------------------------- "Add to calendar" on the pages

def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def links_on(page: str, start: str) -> list[str]:
    hrefs = (html.unescape(href) for href in re.findall(r'href="([^"]+)"', page))
    return [href for href in hrefs if href.startswith(start)]


def test_the_google_link_carries_the_sessions_utc_times(app, client, consultation):
    first, second = session_ids(app)

    page = client.get(f"/events/samrad/sessions/{second}").get_data(as_text=True)

    [google] = links_on(page, "https://calendar.google.com/calendar/render?")
    query = query_of(google)
    assert query["action"] == "TEMPLATE"
    assert query["text"] == "Avslutning i vintertid"
    assert query["dates"] == "20301101T090000Z/20301101T103000Z"  # 10:00–11:30 CET
    assert query["location"] == "Kulturhuset, Storgatan 1, Umeå"


def test_the_outlook_link_carries_the_sessions_utc_times(app, client, consultation):
    first, _ = session_ids(app)

    page = client.get(f"/events/samrad/sessions/{first}").get_data(as_text=True)

    [outlook] = links_on(page, "https://outlook.live.com/calendar/0/action/compose?")
    query = query_of(outlook)
    assert query["subject"] == "Öppning i sommartid"
    assert query["startdt"] == "2030-10-22T08:00:00Z"  # 10:00 CEST
    assert query["enddt"] == "2030-10-22T09:00:00Z"
    assert query["body"].startswith("Vi öppnar samrådet.")
    assert query["location"] == "Stora salen, Kulturhuset, Storgatan 1, Umeå"


def test_the_event_page_offers_the_programme_feed_a_subscription_and_web_calendars(client, consultation):
    client.get("/language/en")

    page = client.get("/events/samrad/").get_data(as_text=True)

    assert "<h2 id=\"add-to-calendar-heading\">Add to calendar</h2>" in page
    assert links_on(page, "http://localhost/events/samrad/programme.ics")
    assert links_on(page, "webcal://localhost/events/samrad/programme.ics")
    assert "Subscribe to the programme in your calendar app" in page
    [google] = links_on(page, "https://calendar.google.com/")
    assert query_of(google)["dates"] == "20301021T070000Z/20301104T080000Z"  # 09:00 CEST – 09:00 CET
    assert links_on(page, "https://outlook.live.com/")


def test_the_session_page_offers_the_sessions_own_file_and_no_subscription(app, client, consultation):
    first, _ = session_ids(app)
    client.get("/language/en")

    page = client.get(f"/events/samrad/sessions/{first}").get_data(as_text=True)

    assert links_on(page, f"http://localhost/events/samrad/sessions/{first}.ics")
    assert "Download the session (.ics)" in page
    assert not links_on(page, "webcal://")


def test_a_long_abstract_is_shortened_in_the_web_links_but_keeps_the_page_link(app, client):
    with app.app_context():
        event = f.event("lang")
        session_id = f.session(event, "Lång", f.local(2030, 11, 26, 10), abstract="ord " * 2000).id
        db.session.commit()

    page = client.get(f"/events/lang/sessions/{session_id}").get_data(as_text=True)

    [google] = links_on(page, "https://calendar.google.com/")
    details = query_of(google)["details"]
    assert len(details) < 1100
    assert details.endswith(f"/events/lang/sessions/{session_id}")
