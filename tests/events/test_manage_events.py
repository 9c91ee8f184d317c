"""The organiser builds events, stages, sessions and speakers through the forms."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from conference.core.models import AuditEntry, Grant
from conference.events.models import Event, Session, SessionSpeaker, Stage
from conference.events.models import SpeakerRole
from conference.extensions import db
from tests import factories as f
from tests.conftest import log_in, post_form
from tests.pages import text_of

EVENT_FORM = {
    "title": "Integrationsforum 2031", "slug": "", "series_id": "0", "kind": "conference", "format": "hybrid",
    "timezone": "Europe/Stockholm", "starts_at": "2031-11-27T09:00", "ends_at": "2031-11-27T16:00",
    "summary": "Om migration.", "venue": "Göteborg", "audience": "Politiker", "contact_name": "Anna",
    "contact_email": "anna@example.org", "contact_phone": "", "registration_policy": "open", "capacity": "300",
    "registration_opens_at": "", "registration_closes_at": "", "published": "1",
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_organiser_creates_an_event_and_sees_it_published(admin_client, app):
    response = post_form(admin_client, "/manage/events/new", EVENT_FORM)
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/events/integrationsforum-2031/"
    with app.app_context():
        event = db.session.scalar(select(Event))
        assert event.starts_at == datetime(2031, 11, 27, 8, 0, tzinfo=timezone.utc)  # 09:00 CET
        assert event.capacity == 300 and event.published
        assert db.session.scalar(select(AuditEntry.action)) == "event.created"
    page = text_of(admin_client.get("/events/integrationsforum-2031/"))
    assert "Integrationsforum 2031" in page and "09:00–16:00 CET" in page


def test_a_helsinki_event_stores_its_local_time_correctly(admin_client, app):
    post_form(admin_client, "/manage/events/new", {**EVENT_FORM, "timezone": "Europe/Helsinki"})
    with app.app_context():
        assert db.session.scalar(select(Event.starts_at)) == datetime(2031, 11, 27, 7, 0, tzinfo=timezone.utc)


def test_an_organiser_of_some_events_becomes_organiser_of_the_event_they_create(client, app):
    with app.app_context():
        other = f.event("other")
        f.user("org@example.org", organiser_of=[other])
        db.session.commit()
    log_in(client, "org@example.org")
    assert post_form(client, "/manage/events/new", EVENT_FORM).status_code == 302
    assert client.get("/manage/events/integrationsforum-2031/").status_code == 200
    with app.app_context():
        assert count(Grant) == 2


@pytest.mark.parametrize("changes, field_id, message", [
    ({"title": ""}, "title", "Det här fältet är obligatoriskt."),
    ({"ends_at": "2031-11-27T08:00"}, "ends_at", "Sluttiden måste vara efter starttiden."),
    ({"starts_at": "inte ett datum"}, "starts_at", "Ange datum och tid."),
    ({"timezone": "America/New_York"}, "timezone", None),
    ({"contact_email": "inte-en-adress"}, "contact_email", "Felaktig epost-adress."),
    ({"capacity": "-5"}, "capacity", None),
    ({"slug": "Med Mellanslag"}, "slug", "Använd bara små bokstäver a–z, siffror och bindestreck."),
    ({"registration_opens_at": "2031-10-01T09:00", "registration_closes_at": "2031-09-01T09:00"},
     "registration_closes_at", "Anmälan måste stänga efter att den har öppnat."),
])
def test_bad_event_input_is_explained_beside_the_field_and_nothing_is_saved(admin_client, app, changes, field_id,
                                                                            message):
    form = {**EVENT_FORM, "title": "Behåll min titel", **changes}
    response = post_form(admin_client, "/manage/events/new", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field_id}-error"' in html
    assert f'aria-describedby="{field_id}-error"' in html or f'aria-describedby="{field_id}-hint {field_id}-error"' in html
    if message:
        assert message in text_of(response)
    if changes.get("title") != "":
        assert 'value="Behåll min titel"' in html  # what the user typed is kept
    with app.app_context():
        assert count(Event) == 0 and count(AuditEntry) == 0


def test_a_taken_address_is_refused(admin_client, app):
    with app.app_context():
        f.event("forum")
        db.session.commit()
    response = post_form(admin_client, "/manage/events/new", {**EVENT_FORM, "slug": "forum"})
    assert response.status_code == 422
    assert "Ett annat evenemang har redan den här webbadressen." in text_of(response)


def test_editing_an_event_moves_it_and_keeps_its_address(admin_client, app):
    with app.app_context():
        f.event("forum", title="Forum")
        db.session.commit()
    form = admin_client.get("/manage/events/forum/edit").get_data(as_text=True)
    assert 'value="2030-11-26T09:00"' in form  # shown in local time
    response = post_form(admin_client, "/manage/events/forum/edit",
                         {**EVENT_FORM, "title": "Forum (flyttat)", "slug": "forum",
                          "starts_at": "2030-11-27T10:00", "ends_at": "2030-11-27T12:00"})
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(select(Event))
        assert event.title == "Forum (flyttat)" and event.slug == "forum"
        assert event.starts_at == datetime(2030, 11, 27, 9, tzinfo=timezone.utc)


def test_an_event_cannot_be_moved_away_from_its_sessions(admin_client, app):
    with app.app_context():
        e = f.event("forum", title="Forum")
        f.session(e, "Morgon", e.starts_at)
        db.session.commit()
    response = post_form(admin_client, "/manage/events/forum/edit",
                         {**EVENT_FORM, "title": "Flyttat", "slug": "forum",
                          "starts_at": "2031-01-01T09:00", "ends_at": "2031-01-01T12:00"})
    assert response.status_code == 422
    assert "Några programpunkter skulle hamna utanför" in text_of(response)
    with app.app_context():
        assert db.session.scalar(select(Event.title)) == "Forum"


def test_an_organiser_builds_a_programme_with_a_stage_a_session_and_ordered_speakers(admin_client, app):
    with app.app_context():
        f.event("forum", title="Forum", starts_at=f.local(2030, 11, 26, 9))
        for name in ("Karin", "Jonas", "Eva"):
            f.person(name)
        db.session.commit()
        people = {p.name: p.id for p in db.session.scalars(select(f.Person))}

    assert post_form(admin_client, "/manage/events/forum/stages/new", {"name": "Stora salen"}).status_code == 302
    with app.app_context():
        stage_id = db.session.scalar(select(Stage.id))
    response = post_form(admin_client, "/manage/events/forum/sessions/new", {
        "title": "Panelsamtal", "kind": "panel", "starts_at": "2030-11-26T10:00", "ends_at": "2030-11-26T11:00",
        "stage_id": str(stage_id), "language": "sv", "abstract": "Om bosättning."})
    assert response.status_code == 302
    with app.app_context():
        session_id = db.session.scalar(select(Session.id))
    speakers_url = f"/manage/events/forum/sessions/{session_id}/speakers"
    for name, role in (("Karin", "speaker"), ("Jonas", "speaker"), ("Eva", "moderator")):
        assert post_form(admin_client, speakers_url, {"speaker-person_id": people[name],
                                                      "speaker-role": role}).status_code == 302
    with app.app_context():
        eva_link = db.session.scalar(select(SessionSpeaker.id).where(SessionSpeaker.person_id == people["Eva"]))
    post_form(admin_client, f"{speakers_url}/{eva_link}/up", {})
    post_form(admin_client, f"{speakers_url}/{eva_link}/up", {})

    page = text_of(admin_client.get("/events/forum/"))
    assert "Stora salen" in page and "Panelsamtal" in page and "10:00–11:00" in page
    assert page.index("Eva") < page.index("Karin") < page.index("Jonas")
    assert "Eva (moderator)" in page


def test_a_person_cannot_be_added_twice_to_a_session(admin_client, app):
    with app.app_context():
        e = f.event("forum")
        p = f.person("Karin")
        s = f.session(e, "Talk", e.starts_at, speakers=[(p, SpeakerRole.SPEAKER)])
        db.session.commit()
        ids = (s.id, p.id)
    response = post_form(admin_client, f"/manage/events/forum/sessions/{ids[0]}/speakers",
                         {"speaker-person_id": ids[1], "speaker-role": "moderator"})
    assert response.status_code == 422
    assert "Personen är redan med i programpunkten." in text_of(response)
    with app.app_context():
        assert count(SessionSpeaker) == 1


def test_a_session_outside_the_event_is_refused_with_the_input_kept(admin_client, app):
    with app.app_context():
        f.event("forum", starts_at=f.local(2030, 11, 26, 9), hours=3)
        db.session.commit()
    response = post_form(admin_client, "/manage/events/forum/sessions/new", {
        "title": "För sent", "kind": "talk", "starts_at": "2030-11-26T15:00", "ends_at": "2030-11-26T16:00",
        "stage_id": "0", "language": "sv", "abstract": ""})
    assert response.status_code == 422
    assert 'value="För sent"' in response.get_data(as_text=True)
    assert "Programpunkten måste ligga mellan evenemangets start och slut." in text_of(response)
    with app.app_context():
        assert count(Session) == 0


def test_a_stage_of_another_event_cannot_be_chosen(admin_client, app):
    with app.app_context():
        f.event("forum")
        other_stage = f.stage(f.event("other"), "Främmande sal")
        db.session.commit()
        stage_id = other_stage.id
    response = post_form(admin_client, "/manage/events/forum/sessions/new", {
        "title": "X", "kind": "talk", "starts_at": "2030-11-26T10:00", "ends_at": "2030-11-26T11:00",
        "stage_id": str(stage_id), "language": "sv", "abstract": ""})
    assert response.status_code == 422
    with app.app_context():
        assert count(Session) == 0


def test_deleting_an_event_with_sessions_shows_them_and_asks_first(admin_client, app):
    with app.app_context():
        e = f.event("forum", title="Forum")
        f.session(e, "Morgonpass", e.starts_at)
        db.session.commit()
    page = text_of(admin_client.get("/manage/events/forum/delete"))
    assert "Ta bort ”Forum”?" in page or "Ta bort “Forum”?" in page
    assert "Morgonpass" in page
    with app.app_context():
        assert count(Event) == 1  # looking is not deleting
    response = post_form(admin_client, "/manage/events/forum/delete", {})
    assert response.status_code == 302
    with app.app_context():
        assert count(Event) == 0 and count(Session) == 0


def test_a_deletion_without_the_csrf_token_is_refused(admin_client, app):
    with app.app_context():
        f.event("forum")
        db.session.commit()
    assert admin_client.post("/manage/events/forum/delete", data={}).status_code == 400
    with app.app_context():
        assert count(Event) == 1


def test_deleting_a_stage_keeps_its_sessions_without_a_stage(admin_client, app):
    with app.app_context():
        e = f.event("forum")
        stage = f.stage(e, "Sal B")
        f.session(e, "Talk", e.starts_at, stage=stage)
        db.session.commit()
        stage_id = stage.id
    assert "Talk" in text_of(admin_client.get(f"/manage/events/forum/stages/{stage_id}/delete"))
    post_form(admin_client, f"/manage/events/forum/stages/{stage_id}/delete", {})
    with app.app_context():
        assert count(Stage) == 0
        assert db.session.scalar(select(Session.stage_id)) is None


@pytest.mark.parametrize("starts_at, expected", [
    ("2031-03-30T02:30", "Den här tiden finns inte"),     # clocks go forward at 02:00 in Stockholm
    ("2031-10-26T02:30", "Den här tiden inträffar två gånger"),  # clocks go back at 03:00
])
def test_a_wall_clock_time_that_does_not_exist_or_occurs_twice_is_refused(admin_client, app, starts_at, expected):
    response = post_form(admin_client, "/manage/events/new",
                         {**EVENT_FORM, "starts_at": starts_at, "ends_at": starts_at[:10] + "T12:00"})
    assert response.status_code == 422
    assert expected in text_of(response)
    with app.app_context():
        assert count(Event) == 0


def test_paragraphs_typed_in_a_browser_are_kept_apart(admin_client, app):
    post_form(admin_client, "/manage/events/new", {**EVENT_FORM, "summary": "Första stycket.\r\n\r\nAndra stycket."})
    html = admin_client.get("/events/integrationsforum-2031/").get_data(as_text=True)
    assert "<p>Första stycket.</p>" in html and "<p>Andra stycket.</p>" in html


def test_a_failed_speaker_addition_keeps_the_session_form_filled(admin_client, app):
    with app.app_context():
        e = f.event("forum")
        p = f.person("Karin")
        s = f.session(e, "Panelen", f.local(2030, 11, 26, 10), speakers=[(p, SpeakerRole.SPEAKER)])
        db.session.commit()
        ids = (s.id, p.id)
    response = post_form(admin_client, f"/manage/events/forum/sessions/{ids[0]}/speakers",
                         {"speaker-person_id": ids[1], "speaker-role": "speaker"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="Panelen"' in html and 'value="2030-11-26T10:00"' in html


def test_a_multi_day_event_shows_its_last_day(client, app):
    with app.app_context():
        f.event("tva-dagar", title="Två dagar", starts_at=f.local(2030, 5, 6, 9), hours=32)
        db.session.commit()
    page = text_of(client.get("/events/tva-dagar/"))
    assert "tisdag 7 maj 2030" in page and "17:00" in page
