from datetime import datetime

from conference.extensions import db
from tests import factories as f


def test_the_event_list_gives_each_event_with_times_carrying_their_offset(client, forum):
    body = client.get("/api/v1/events").get_json()
    [event] = body["events"]
    assert event == {
        "slug": "integrationsforum-2020",
        "title": "Integrationsforum 2020",
        "kind": "conference",
        "format": "digital",
        "starts_at": "2020-11-26T09:00:00+01:00",
        "ends_at": "2020-11-26T15:00:00+01:00",
        "timezone": "Europe/Stockholm",
        "registration": "closed",
        "cancelled": False,
        "url": "http://localhost/events/integrationsforum-2020/",
        "api_url": "http://localhost/api/v1/events/integrationsforum-2020",
    }
    assert datetime.fromisoformat(event["starts_at"]).utcoffset().total_seconds() == 3600


def test_summer_times_carry_the_summer_offset_and_helsinki_its_own(client, app):
    with app.app_context():
        f.event("sommar", starts_at=f.local(2030, 6, 10, 9))
        f.event("helsinki", starts_at=datetime(2030, 6, 11, 9, tzinfo=f.ZoneInfo("Europe/Helsinki")),
                timezone="Europe/Helsinki")
        db.session.commit()
    events = {e["slug"]: e for e in client.get("/api/v1/events").get_json()["events"]}
    assert events["sommar"]["starts_at"] == "2030-06-10T09:00:00+02:00"
    assert events["helsinki"]["starts_at"] == "2030-06-11T09:00:00+03:00"


def test_drafts_are_not_listed(client, app):
    with app.app_context():
        f.event("utkast", published=False)
        db.session.commit()
    assert client.get("/api/v1/events").get_json() == {"events": []}


def test_one_event_carries_programme_speakers_and_organisers(client, forum):
    body = client.get("/api/v1/events/integrationsforum-2020").get_json()
    assert [o["name"] for o in body["organisers"]] == ["Länsstyrelsen i Västra Götalands län", "Arbetsförmedlingen"]
    assert [o["role"] for o in body["organisers"]] == ["host", "co_organiser"]
    assert body["stages"] == ["Sändning"]
    assert [s["title"] for s in body["sessions"]] == ["Global migration i coronatider", "Paus", "Bosättning"]
    talk = body["sessions"][2]
    assert talk["starts_at"] == "2020-11-26T10:15:00+01:00"
    assert talk["stage"] == "Sändning"
    assert talk["speakers"] == [
        {"id": forum["jonas"], "name": "Jonas Lindqvist", "role": "speaker", "title": "Utredare",
         "organisation": None, "url": f"http://localhost/speakers/{forum['jonas']}"},
        {"id": forum["karin"], "name": "Karin Ekholm", "role": "moderator", "title": "Utrikeskorrespondent",
         "organisation": "Sveriges Radio", "url": f"http://localhost/speakers/{forum['karin']}"},
    ]
    assert body["contact"] == {"name": "Anna Press", "email": "press@example.org", "phone": None}


def test_an_unknown_event_answers_404_in_json(client):
    response = client.get("/api/v1/events/finns-inte")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not_found"}
