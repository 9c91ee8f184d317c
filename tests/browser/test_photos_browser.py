"""An organiser adds a photo from a meeting in a real browser, and someone in it asks for it to be taken down;
the event page with photos, the takedown form and the organiser's photo page have no WCAG 2.1 AA violations."""

import io

from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from conference.consultation.photos.models import Photo, TakedownRequest
from conference.extensions import db
from tests import factories as f
from tests.browser.conftest import axe_violations, log_in, screenshot


def jpeg_file(tmp_path):
    image = Image.new("RGB", (1200, 800), (40, 90, 140))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    path = tmp_path / "samrad.jpg"
    path.write_bytes(out.getvalue())
    return path


def test_an_organiser_adds_a_photo_and_a_person_in_it_asks_for_a_takedown(page, app, organiser, tmp_path):
    with app.app_context():
        f.event("samrad", title="Samråd om etablering", published=True, contact_email="samrad@example.org")
        db.session.commit()
    log_in(page, *organiser)
    page.goto("/manage/events/samrad/photos")
    assert axe_violations(page) == []
    page.locator("input[type=file]").set_input_files(str(jpeg_file(tmp_path)))
    page.get_by_label("Alternativtext").fill("Deltagarna i plenisalen")
    page.get_by_label("Bildtext (frivilligt)").fill("Samrådet öppnas.")
    page.get_by_label("Fotograf").fill("Kim Fotograf")
    page.get_by_role("button", name="Lägg till fotot").click()
    expect(page.locator(".flash-success")).to_contain_text("Fotot har lagts till")

    page.context.clear_cookies()
    page.goto("/events/samrad/")
    figure = page.locator("figure.photo")
    expect(figure.get_by_role("img", name="Deltagarna i plenisalen")).to_be_visible()
    expect(figure.locator("figcaption")).to_contain_text("Foto: Kim Fotograf")
    width = figure.get_by_role("img").evaluate("img => img.naturalWidth")
    assert width == 1200  # the image loads, through the public route
    screenshot(page, "event-photos")
    assert axe_violations(page) == []

    figure.get_by_role("link", name="Är du med på bilden? Be oss ta bort den").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Be oss ta bort ett foto")
    page.get_by_role("button", name="Skicka förfrågan").click()
    expect(page.locator("#name-error")).to_be_visible()
    assert axe_violations(page) == []
    page.locator("#name").fill("Pia Persson")
    page.get_by_label("E-postadress").fill("pia@example.org")
    page.get_by_label("Orsak (frivilligt)").fill("Jag står längst fram.")
    page.get_by_role("button", name="Skicka förfrågan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Din förfrågan har kommit fram")

    page.goto("/events/samrad/")
    expect(page.locator("figure.photo")).to_have_count(0)  # hidden while the request waits
    with app.app_context():
        request = db.session.scalar(select(TakedownRequest))
        assert (request.name, request.reason, request.handled_at) == ("Pia Persson", "Jag står längst fram.", None)
        assert db.session.scalar(select(Photo.taken_down_at)) is not None
