"""The shared register: organisations, people with appointments, series."""

from datetime import date
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import func, select

from conference.events.models import Appointment, Event, EventOrganisation, EventSeries, Organisation, Person
from conference.extensions import db
from tests import factories as f
from tests.conftest import post_form
from tests.pages import text_of

ORGANISATION_FORM = {"name": "Migrationsverket", "short_name": "MV", "slug": "", "kind": "authority",
                     "registry_number": "202100-2163", "website": "https://www.migrationsverket.se"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def image_bytes(image_format: str, size=(64, 32)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, "navy").save(buffer, image_format)
    return buffer.getvalue()


def test_an_organisation_is_registered_with_a_valid_organisationsnummer(admin_client, app):
    response = post_form(admin_client, "/manage/organisations/new", ORGANISATION_FORM)
    assert response.status_code == 302
    with app.app_context():
        o = db.session.scalar(select(Organisation))
        assert (o.slug, o.registry_number, o.country) == ("migrationsverket", "202100-2163", "SE")


def test_a_finnish_body_is_registered_with_its_y_tunnus(admin_client, app):
    post_form(admin_client, "/manage/organisations/new",
              {**ORGANISATION_FORM, "name": "Esimerkkivirasto", "registry_number": "0112038-9"})
    with app.app_context():
        assert db.session.scalar(select(Organisation.country)) == "FI"


@pytest.mark.parametrize("number", ["202100-2164", "0112038-8", "12345"])
def test_a_wrong_number_is_refused_beside_the_field_and_nothing_saved(admin_client, app, number):
    response = post_form(admin_client, "/manage/organisations/new", {**ORGANISATION_FORM, "registry_number": number})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="registry_number-error"' in html
    assert f'value="{number}"' in html and 'value="Migrationsverket"' in html
    assert "kontrollera siffrorna" in text_of(response).lower()
    with app.app_context():
        assert count(Organisation) == 0


def test_two_organisations_cannot_share_a_number(admin_client, app):
    post_form(admin_client, "/manage/organisations/new", ORGANISATION_FORM)
    response = post_form(admin_client, "/manage/organisations/new", {**ORGANISATION_FORM, "name": "Kopia"})
    assert response.status_code == 422
    with app.app_context():
        assert count(Organisation) == 1


def test_a_logo_is_checked_by_content_and_shown_on_the_public_page(admin_client, app):
    png = image_bytes("PNG")
    response = post_form(admin_client, "/manage/organisations/new",
                         {**ORGANISATION_FORM, "logo": (BytesIO(png), "logo.png")},
                         content_type="multipart/form-data")
    assert response.status_code == 302
    logo = admin_client.get("/organisations/migrationsverket/logo")
    assert logo.mimetype == "image/png"
    with Image.open(BytesIO(logo.data)) as served:  # re-encoded, so compare the picture, not the bytes
        assert (served.format, served.size) == ("PNG", (64, 32))
    assert "/organisations/migrationsverket/logo?v=" in admin_client.get("/organisations/migrationsverket").get_data(
        as_text=True)


def test_a_tiny_file_claiming_an_enormous_picture_is_refused(admin_client, app):
    header = image_bytes("PNG", size=(1, 1))
    # rewrite the IHDR width and height to 20000 x 20000: a decompression bomb of 200 bytes
    bomb = header[:16] + (20000).to_bytes(4, "big") + (20000).to_bytes(4, "big") + header[24:]
    response = post_form(admin_client, "/manage/organisations/new",
                         {**ORGANISATION_FORM, "logo": (BytesIO(bomb), "logo.png")},
                         content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'id="logo-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert count(Organisation) == 0


@pytest.mark.parametrize("content, filename", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "logo.png"),
    (b"MZ\x90\x00 not an image at all", "logo.jpg"),
    (None, "logo.gif"),  # a real image of a format we do not take
])
def test_a_logo_that_is_not_a_png_jpeg_or_webp_is_refused(admin_client, app, content, filename):
    content = content or image_bytes("GIF")
    response = post_form(admin_client, "/manage/organisations/new",
                         {**ORGANISATION_FORM, "logo": (BytesIO(content), filename)},
                         content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'id="logo-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert count(Organisation) == 0


def test_a_logo_over_the_size_limit_is_refused(admin_client, app):
    big = image_bytes("PNG", size=(1, 1)) + b"\0" * (app.config["LOGO_MAX_BYTES"] + 1)
    response = post_form(admin_client, "/manage/organisations/new",
                         {**ORGANISATION_FORM, "logo": (BytesIO(big), "logo.png")},
                         content_type="multipart/form-data")
    assert response.status_code == 422
    assert "för stor" in text_of(response)
    with app.app_context():
        assert count(Organisation) == 0


def test_an_organisation_is_linked_to_an_event_as_co_organiser(admin_client, app):
    with app.app_context():
        f.event("forum")
        o = f.organisation()
        db.session.commit()
        organisation_id = o.id
    response = post_form(admin_client, "/manage/events/forum/organisations",
                         {"org-organisation_id": organisation_id, "org-role": "co_organiser"})
    assert response.status_code == 302
    page = text_of(admin_client.get("/events/forum/"))
    assert "Arbetsförmedlingen" in page and "Medarrangör" in page
    again = post_form(admin_client, "/manage/events/forum/organisations",
                      {"org-organisation_id": organisation_id, "org-role": "host"})
    assert again.status_code == 422
    with app.app_context():
        assert count(EventOrganisation) == 1


def test_deleting_an_organisation_in_use_names_the_events_and_appointments_first(admin_client, app):
    with app.app_context():
        o = f.organisation()
        f.link(f.event("forum", title="Integrationsforum"), o)
        f.person("Mikael Öberg", ("Sektionschef", o, date(2018, 1, 1), None))
        db.session.commit()
        organisation_id = o.id
    page = text_of(admin_client.get(f"/manage/organisations/{organisation_id}/delete"))
    assert "Integrationsforum" in page and "Mikael Öberg: Sektionschef" in page
    post_form(admin_client, f"/manage/organisations/{organisation_id}/delete", {})
    with app.app_context():
        assert count(Organisation) == 0 and count(EventOrganisation) == 0
        assert count(Event) == 1
        appointment = db.session.scalar(select(Appointment))
        assert appointment.title == "Sektionschef" and appointment.organisation_id is None


def test_a_person_gets_dated_appointments(admin_client, app):
    with app.app_context():
        o = f.organisation("ministry", "Arbetsmarknadsdepartementet")
        db.session.commit()
        organisation_id = o.id
    response = post_form(admin_client, "/manage/people/new", {"name": "Anders Holm", "bio": ""})
    assert response.status_code == 302
    with app.app_context():
        person_id = db.session.scalar(select(Person.id))
    url = f"/manage/people/{person_id}/appointments"
    assert post_form(admin_client, url, {"appointment-title": "Migrationsminister",
                                         "appointment-organisation_id": organisation_id,
                                         "appointment-valid_from": "2019-01-21",
                                         "appointment-valid_to": "2021-11-29"}).status_code == 302
    page = text_of(admin_client.get(f"/manage/people/{person_id}/edit"))
    assert "Migrationsminister" in page and "Arbetsmarknadsdepartementet" in page


def test_an_appointment_that_ends_before_it_starts_is_refused(admin_client, app):
    with app.app_context():
        p = f.person("Anders Holm")
        db.session.commit()
        person_id = p.id
    response = post_form(admin_client, f"/manage/people/{person_id}/appointments", {
        "appointment-title": "Minister", "appointment-organisation_id": "0",
        "appointment-valid_from": "2021-01-01", "appointment-valid_to": "2020-01-01"})
    assert response.status_code == 422
    assert 'id="appointment-valid_to-error"' in response.get_data(as_text=True)
    assert 'value="Minister"' in response.get_data(as_text=True)
    with app.app_context():
        assert count(Appointment) == 0


def test_deleting_a_speaker_names_their_sessions_first(admin_client, app):
    with app.app_context():
        e = f.event("forum")
        p = f.person("Karin Ekholm")
        f.session(e, "Global migration", e.starts_at, speakers=[(p, f.SpeakerRole.SPEAKER)])
        db.session.commit()
        person_id = p.id
    assert "Global migration" in text_of(admin_client.get(f"/manage/people/{person_id}/delete"))
    post_form(admin_client, f"/manage/people/{person_id}/delete", {})
    with app.app_context():
        assert count(Person) == 0


def test_a_series_is_created_and_an_event_joins_it(admin_client, app):
    post_form(admin_client, "/manage/series/new", {"name": "Integrationsforum", "slug": "", "description": ""})
    with app.app_context():
        series_id = db.session.scalar(select(EventSeries.id))
        f.event("forum", title="Integrationsforum 2030")
        db.session.commit()
    form = admin_client.get("/manage/events/forum/edit").get_data(as_text=True)
    assert f'<option value="{series_id}">Integrationsforum</option>' in form


def test_the_people_list_can_be_searched(admin_client, app):
    with app.app_context():
        f.person("Karin Ekholm")
        f.person("Jonas Lindqvist")
        db.session.commit()
    page = text_of(admin_client.get("/manage/people/?q=karin"))
    assert "Karin Ekholm" in page and "Jonas Lindqvist" not in page
