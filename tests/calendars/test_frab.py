"""The frab/c3voc schedule for conference apps, checked against the c3voc schemas."""

import json
import uuid
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft6Validator
from lxml import etree

from conference.events.models import Session, SessionKind, SpeakerRole
from conference.extensions import db
from tests import factories as f

SCHEMAS = Path(__file__).resolve().parent / "schemas"


@pytest.fixture(scope="module")
def xml_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))


@pytest.fixture(scope="module")
def json_validator():
    schema = json.loads((SCHEMAS / "schedule.schema.json").read_text())
    Draft6Validator.check_schema(schema)
    return Draft6Validator(schema, format_checker=Draft6Validator.FORMAT_CHECKER)


@pytest.fixture
def forum(app):
    """Two days across the end of summer time, a stage, a session without one, speakers and a moderator."""
    with app.app_context():
        event = f.event("nordic-forum", title="Nordic Forum", starts_at=f.local(2030, 10, 26, 9), hours=33)
        hall = f.stage(event, "Stora salen")
        org = f.organisation()
        anna = f.person("Anna Berg", ("Generaldirektör", org, date(2030, 1, 1), None))
        leif = f.person("Leif Ek")
        f.session(event, "Öppning & välkomst <3", f.local(2030, 10, 26, 10), 60, stage=hall,
                  abstract="Vi öppnar.", speakers=[(anna, SpeakerRole.SPEAKER), (leif, SpeakerRole.MODERATOR)])
        f.session(event, "Panel", f.local(2030, 10, 27, 13), 90, kind=SessionKind.PANEL, language="en")
        db.session.commit()
    return "nordic-forum"


def xml_of(client, slug="nordic-forum"):
    response = client.get(f"/events/{slug}/schedule.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    return etree.fromstring(response.get_data())


def json_of(client, slug="nordic-forum") -> dict:
    response = client.get(f"/events/{slug}/schedule.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def json_events(document: dict) -> list[dict]:
    return [event for day in document["schedule"]["conference"]["days"]
            for events in day["rooms"].values() for event in events]


def test_schedule_xml_is_valid_against_the_c3voc_schema(client, forum, xml_schema):
    document = xml_of(client)

    assert xml_schema.validate(document), xml_schema.error_log


def test_schedule_json_is_valid_against_the_c3voc_schema(client, forum, json_validator):
    errors = [error.message for error in json_validator.iter_errors(json_of(client))]

    assert errors == []


def test_an_event_without_a_programme_still_gives_valid_schedules(app, client, xml_schema, json_validator):
    with app.app_context():
        f.event("tom")
        db.session.commit()

    assert xml_schema.validate(xml_of(client, "tom")), xml_schema.error_log
    assert [e.message for e in json_validator.iter_errors(json_of(client, "tom"))] == []
    assert [day["date"] for day in json_of(client, "tom")["schedule"]["conference"]["days"]] == ["2030-11-26"]


def test_the_schedule_names_the_conference_and_its_days_in_local_time(client, forum):
    document = xml_of(client)

    conference = document.find("conference")
    assert conference.findtext("acronym") == "nordic_forum"
    assert conference.findtext("title") == "Nordic Forum"
    assert conference.findtext("start") == "2030-10-26T09:00:00+02:00"
    assert conference.findtext("end") == "2030-10-27T18:00:00+01:00"
    assert conference.findtext("time_zone_name") == "Europe/Stockholm"
    assert [(d.get("index"), d.get("date")) for d in document.iter("day")] == [("1", "2030-10-26"),
                                                                             ("2", "2030-10-27")]


def test_each_session_sits_in_its_room_with_time_length_people_and_kind(app, client, forum):
    document = xml_of(client)

    first, second = document.iter("event")
    assert first.getparent().get("name") == "Stora salen"
    assert second.getparent().get("name") == "Nordic Forum"  # no stage: the event's own room
    assert first.findtext("title") == "Öppning & välkomst <3"
    assert first.findtext("date") == "2030-10-26T10:00:00+02:00"
    assert (first.findtext("start"), first.findtext("duration")) == ("10:00", "01:00")
    assert second.findtext("date") == "2030-10-27T13:00:00+01:00"
    assert (second.findtext("start"), second.findtext("duration")) == ("13:00", "01:30")
    assert [p.text for p in first.find("persons")] == ["Anna Berg", "Leif Ek"]
    assert (first.findtext("type"), second.findtext("type")) == ("talk", "panel")
    assert (first.findtext("language"), second.findtext("language")) == ("sv", "en")
    assert first.findtext("abstract") == "Vi öppnar."
    assert second.find("abstract") is not None and not second.findtext("abstract")
    assert first.findtext("url").endswith(f"/events/nordic-forum/sessions/{first.get('id')}")


def test_guids_are_uuid5_stable_between_requests_and_differ_between_sessions(client, forum):
    once = [e.get("guid") for e in xml_of(client).iter("event")]
    again = [e.get("guid") for e in xml_of(client).iter("event")]

    assert once == again
    assert len(set(once)) == 2
    assert all(uuid.UUID(guid).version == 5 for guid in once)
    assert [e["guid"] for e in json_events(json_of(client))] == once


def test_xml_and_json_tell_the_same_programme(client, forum):
    xml_events = list(xml_of(client).iter("event"))
    json_list = json_events(json_of(client))

    assert [(e.findtext("title"), e.findtext("date"), e.findtext("duration"), e.findtext("room"))
            for e in xml_events] == [(e["title"], e["date"], e["duration"], e["room"]) for e in json_list]
    assert xml_of(client).findtext("version") == json_of(client)["schedule"]["version"]


def test_a_client_with_the_current_etag_gets_304(client, forum):
    for url in ("/events/nordic-forum/schedule.xml", "/events/nordic-forum/schedule.json"):
        etag = client.get(url).headers["ETag"]

        again = client.get(url, headers={"If-None-Match": etag})

        assert again.status_code == 304, url
        assert again.get_data() == b""


def test_a_changed_programme_gives_a_new_version_and_etag(app, client, forum):
    before = client.get("/events/nordic-forum/schedule.xml")
    with app.app_context():
        session = db.session.scalar(db.select(Session).where(Session.title == "Panel"))
        session.title = "Panel om vindkraft"
        db.session.commit()

    after = client.get("/events/nordic-forum/schedule.xml", headers={"If-None-Match": before.headers["ETag"]})

    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    old_version = etree.fromstring(before.get_data()).findtext("version")
    assert etree.fromstring(after.get_data()).findtext("version") != old_version


def test_a_draft_has_no_schedule(app, client):
    with app.app_context():
        f.event("utkast", published=False)
        db.session.commit()

    assert client.get("/events/utkast/schedule.xml").status_code == 404
    assert client.get("/events/utkast/schedule.json").status_code == 404
