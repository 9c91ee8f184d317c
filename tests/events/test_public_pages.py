from conference.extensions import db
from tests import factories as f
from tests.pages import text_of


def test_the_start_page_lists_coming_and_past_events_in_swedish(client, forum, app):
    with app.app_context():
        f.event("framtid", title="Framtidsforum", starts_at=f.local(2099, 3, 1))
        f.event("utkast", title="Hemligt utkast", published=False, starts_at=f.local(2099, 3, 2))
        db.session.commit()
    response = client.get("/")
    page = text_of(response)
    assert response.status_code == 200
    assert '<html lang="sv">' in response.get_data(as_text=True)
    coming, past = page.split("Tidigare evenemang")
    assert "Framtidsforum" in coming and "Integrationsforum 2020" in past
    assert "Hemligt utkast" not in page


def test_the_event_page_shows_times_in_the_events_timezone(client, forum):
    page = text_of(client.get("/events/integrationsforum-2020/"))
    assert "torsdag 26 november 2020" in page
    assert "09:00–15:00 CET" in page
    assert "09:15–10:00" in page


def test_the_event_page_shows_kind_format_audience_contact_and_organisers(client, forum):
    page = text_of(client.get("/events/integrationsforum-2020/"))
    assert "Konferens" in page and "Digitalt" in page
    assert "Politiker och tjänstepersoner" in page
    assert "press@example.org" in page
    # the host comes first, whatever the order of linking
    assert page.index("Länsstyrelsen i Västra Götalands län") < page.index("Arbetsförmedlingen")
    assert "Medarrangör" in page


def test_the_programme_shows_speakers_with_their_title_on_the_day(client, forum):
    page = text_of(client.get("/events/integrationsforum-2020/"))
    assert "Karin Ekholm, Utrikeskorrespondent, Sveriges Radio" in page
    assert "Jonas Lindqvist, Utredare" in page
    assert "Enhetschef" not in page  # his title from 2022 on


def test_an_unpublished_event_is_not_found(client, app):
    with app.app_context():
        f.event("utkast", published=False)
        db.session.commit()
    assert client.get("/events/utkast/").status_code == 404
    assert client.get("/api/v1/events/utkast").status_code == 404


def test_the_session_page_shows_abstract_and_speakers(client, forum):
    session_id = forum["sessions"][0]
    page = text_of(client.get(f"/events/integrationsforum-2020/sessions/{session_id}"))
    assert "Global migration i coronatider" in page
    assert "Nära 80 miljoner på flykt." in page
    assert "Karin Ekholm" in page


def test_a_session_of_another_event_is_not_found_under_this_one(client, forum, app):
    with app.app_context():
        f.event("annat")
        db.session.commit()
    assert client.get(f"/events/annat/sessions/{forum['sessions'][0]}").status_code == 404


def test_the_speaker_page_lists_their_sessions(client, forum):
    page = text_of(client.get(f"/speakers/{forum['karin']}"))
    assert "Karin Ekholm" in page
    assert "Global migration i coronatider" in page and "Bosättning" in page


def test_a_person_on_no_public_programme_has_no_page(client, app):
    with app.app_context():
        p = f.person("Ingen")
        db.session.commit()
        person_id = p.id
    assert client.get(f"/speakers/{person_id}").status_code == 404


def test_the_organisation_page_lists_its_events(client, forum):
    page = text_of(client.get("/organisations/arbetsformedlingen"))
    assert "Arbetsförmedlingen" in page
    assert "202100-2114" in page
    assert "Integrationsforum 2020" in page and "Medarrangör" in page


def test_english_is_chosen_with_the_language_switch_and_remembered(client, forum):
    response = client.get("/language/en?next=/events/integrationsforum-2020/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/events/integrationsforum-2020/")
    response = client.get("/events/integrationsforum-2020/")
    assert '<html lang="en">' in response.get_data(as_text=True)
    page = text_of(response)
    assert "Thursday, November 26, 2020" in page and "Co-organiser" in page
    assert "Programme" in text_of(client.get("/events/integrationsforum-2020/"))


def test_the_language_switch_does_not_redirect_to_another_site(client):
    response = client.get("/language/en?next=https://evil.example.com/")
    assert response.headers["Location"] == "/"
    response = client.get("/language/en?next=//evil.example.com/")
    assert response.headers["Location"] == "/"


def test_the_browsers_language_is_used_when_nothing_was_chosen(client):
    response = client.get("/", headers={"Accept-Language": "fi-FI,fi;q=0.9"})
    assert '<html lang="fi">' in response.get_data(as_text=True)


def test_an_unknown_page_answers_404_in_swedish(client):
    response = client.get("/finns-inte")
    assert response.status_code == 404
    assert "Sidan hittades inte" in text_of(response)


def test_every_page_has_a_skip_link_and_one_main_landmark(client, forum):
    html = client.get("/events/integrationsforum-2020/").get_data(as_text=True)
    assert 'href="#main"' in html
    assert html.count("<main") == 1
    assert html.count("<h1") == 1


def test_the_logo_is_served_with_its_type_and_an_etag(client, app):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    with app.app_context():
        o = f.organisation()
        o.logo, o.logo_content_type, o.logo_updated_at = buffer.getvalue(), "image/png", f.local(2030, 1, 1)
        db.session.commit()
    response = client.get("/organisations/arbetsformedlingen/logo")
    assert response.status_code == 200 and response.mimetype == "image/png"
    again = client.get("/organisations/arbetsformedlingen/logo", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
