"""Photos from a meeting: clean uploads with alt text, caption and credit, and takedown requests."""

import html
import io
import re
import struct
import zlib

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select

from conference.consultation.photos import images
from conference.consultation.photos import services as photos
from conference.consultation.photos.models import Photo, TakedownRequest
from conference.events.models import Event
from conference.extensions import db
from conference.outbox.models import OutboxMessage
from tests import factories as f
from tests.conftest import csrf_token, log_in, post_form
from tests.pages import text_of
from tests.registration.conftest import deliver, link_in, text_body

SLUG = "samrad"
MANAGE = f"/manage/events/{SLUG}/photos"
FINNISH = {"Accept-Language": "fi-FI,fi;q=0.9"}


# ---------------------------------------------------------------- images

def jpeg(width=400, height=300, **save) -> bytes:
    """Left half red, right half blue: after turning, the halves show which way the pixels went."""
    image = Image.new("RGB", (width, height), (220, 20, 20))
    image.paste((20, 20, 220), (width // 2, 0, width, height))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def jpeg_with_gps_and_orientation() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # shot with the camera turned: rotate 90° clockwise to view
    exif[ExifTags.Base.Make] = "Kameratillverkaren"
    exif[ExifTags.Base.BodySerialNumber] = "SERIE-123456"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (59.0, 19.0, 46.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (18.0, 4.0, 7.0)
    return jpeg(400, 300, exif=exif.tobytes())


def png(width, height, mode="RGB", colour=(30, 120, 60)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), colour).save(out, "PNG")
    return out.getvalue()


def png_with_transparency() -> bytes:
    image = Image.new("RGBA", (200, 100), (30, 120, 60, 255))
    image.paste((0, 0, 0, 0), (0, 0, 100, 100))  # the left half see-through
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def decompression_bomb(side=20000) -> bytes:
    """A valid PNG of 20,000 × 20,000 one-bit pixels: some 50 KB that would unpack into 400 megapixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = b"\x00" + bytes((side + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
       b'<script>alert(1)</script><rect width="100" height="100"/></svg>')


# ---------------------------------------------------------------- fixtures and helpers

@pytest.fixture
def meeting(app):
    with app.app_context():
        event = f.event(SLUG, title="Samråd om etablering", contact_name="Kontaktperson",
                        contact_email="kontakt@example.org")
        other = f.event("annat-mote", title="Ett annat möte")
        f.user("org@example.org", organiser_of=[event])
        f.user("other@example.org", organiser_of=[other])
        f.user("nobody@example.org")
        db.session.commit()
        return event.id


@pytest.fixture
def organiser(client, meeting):
    log_in(client, "org@example.org")
    return client


def upload(client, data: bytes, filename="foto.jpg", *, alt="Tre deltagare samtalar vid ett runt bord",
           caption="Gruppsamtalet om etablering", credit="Kalle Fotograf", token=True):
    form = {"upload-photo": (io.BytesIO(data), filename), "upload-alt_text": alt, "upload-caption": caption,
            "upload-credit": credit}
    if token:
        form["csrf_token"] = csrf_token(client, MANAGE)
    return client.post(MANAGE, data=form, content_type="multipart/form-data")


def stored_photos(app) -> list[Photo]:
    with app.app_context():
        found = db.session.scalars(select(Photo).order_by(Photo.id)).all()
        for photo in found:
            _ = photo.image  # load the deferred bytes before the session goes
        db.session.expunge_all()
        return found


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def add_photo(app, meeting, *, alt="Deltagare vid ett bord", caption="", credit="Kalle Fotograf",
              taken_down=False) -> int:
    with app.app_context():
        event = db.session.get(Event, meeting)
        photo = photos.add_photo(event, jpeg(), photos.PhotoText(alt_text=alt, caption=caption, credit=credit),
                                 user_id=None, now=f.local(2030, 11, 26, 17))
        if taken_down:
            photo.taken_down_at = f.local(2030, 11, 27, 9)
        db.session.commit()
        return photo.id


def error_beside(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error-message" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    assert match, f"no error beside {field_id}"
    return text_of(match.group(1)).strip()


def input_value(page: str, field_id: str) -> str:
    tag = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', page)
    assert tag, f"no input {field_id}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def textarea_value(page: str, field_id: str) -> str:
    match = re.search(rf'<textarea[^>]*id="{re.escape(field_id)}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, f"no textarea {field_id}"
    return html.unescape(match.group(1)).strip()


def ask_to_take_down(client, photo_id, *, headers=None, **fields):
    url = f"/events/{SLUG}/photos/{photo_id}/takedown"
    token = csrf_token(client, url) if client.get(url, headers=headers).status_code == 200 else ""
    data = {"name": "Maija Meikäläinen", "email": "maija@example.fi", "reason": "Olen kuvassa vasemmalla.",
            "website": "", "csrf_token": token, **fields}
    return client.post(url, data=data, headers=headers)


# ---------------------------------------------------------------- uploads

def test_a_photo_is_stored_turned_upright_and_without_exif_or_gps(organiser, app):
    original = jpeg_with_gps_and_orientation()
    with Image.open(io.BytesIO(original)) as source:  # the upload really carries what must go
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo) and source.size == (400, 300)

    response = upload(organiser, original)

    assert response.status_code == 302
    [photo] = stored_photos(app)
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 300, 400)
    assert (photo.alt_text, photo.caption, photo.credit) == (
        "Tre deltagare samtalar vid ett runt bord", "Gruppsamtalet om etablering", "Kalle Fotograf")
    with Image.open(io.BytesIO(photo.image)) as stored:
        assert stored.format == "JPEG" and stored.size == (300, 400)
        assert len(stored.getexif()) == 0
        assert "exif" not in stored.info and "icc_profile" not in stored.info
        top, bottom = stored.convert("RGB").getpixel((150, 60)), stored.convert("RGB").getpixel((150, 340))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # the left (red) half is now on top
    assert b"Exif" not in photo.image and b"SERIE-123456" not in photo.image


@pytest.mark.parametrize("data, filename, stored_size", [
    (jpeg(4800, 3200), "stor.jpg", (2400, 1600)),
    (png(1500, 3000), "hog.png", (1200, 2400)),
])
def test_a_large_photo_is_scaled_down_to_2400_pixels_on_its_long_side(organiser, app, data, filename, stored_size):
    assert upload(organiser, data, filename).status_code == 302
    [photo] = stored_photos(app)
    assert (photo.width, photo.height) == stored_size
    with Image.open(io.BytesIO(photo.image)) as stored:
        assert stored.size == stored_size and stored.format == "JPEG"


def test_a_png_with_transparency_stays_a_png_with_its_transparency(organiser, app):
    assert upload(organiser, png_with_transparency(), "logotyp.png").status_code == 302
    [photo] = stored_photos(app)
    assert photo.content_type == "image/png"
    with Image.open(io.BytesIO(photo.image)) as stored:
        assert stored.format == "PNG" and stored.mode == "RGBA"
        assert stored.getpixel((10, 50))[3] == 0 and stored.getpixel((150, 50))[3] == 255


def test_a_webp_without_transparency_is_stored_as_jpeg(organiser, app):
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (10, 90, 200)).save(out, "WEBP")
    assert upload(organiser, out.getvalue(), "bild.webp").status_code == 302
    [photo] = stored_photos(app)
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 320, 200)


@pytest.mark.parametrize("data, filename, message", [
    ("Det här är ingen bild, bara text.\n".encode(), "foto.jpg", "Välj ett foto i formatet JPEG, PNG eller WebP."),
    (SVG, "bild.svg", "Välj ett foto i formatet JPEG, PNG eller WebP."),
    (jpeg() + bytes(images.MAX_BYTES), "jattestor.jpg", "Filen är för stor: högst 8 MB."),
    (decompression_bomb(), "bomb.png", "Fotot har för många pixlar: högst 50 megapixlar."),
    (jpeg()[:600], "avbruten.jpg", "Fotot går inte att läsa. Filen kan vara skadad – försök spara den igen."),
], ids=["text-named-jpg", "svg", "above-size-limit", "decompression-bomb", "truncated-jpeg"])
def test_a_file_that_is_no_acceptable_photo_is_refused_beside_the_field(organiser, app, data, filename, message):
    response = upload(organiser, data, filename, alt="Två deltagare vid ett bord", caption="Pausen",
                      credit="Fia Fotograf")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_beside(page, "upload-photo") == message
    assert input_value(page, "upload-alt_text") == "Två deltagare vid ett bord"
    assert textarea_value(page, "upload-caption") == "Pausen"
    assert input_value(page, "upload-credit") == "Fia Fotograf"
    assert count(app, Photo) == 0


def test_alt_text_and_the_photographers_name_are_required(organiser, app):
    response = upload(organiser, jpeg(), alt="", credit="  ", caption="Pausen")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_beside(page, "upload-alt_text") == "Beskriv vad fotot visar."
    assert error_beside(page, "upload-credit") == "Ange fotografens namn."
    assert textarea_value(page, "upload-caption") == "Pausen"
    assert count(app, Photo) == 0


def test_the_organiser_edits_the_texts_and_the_credit_stays_required(organiser, app, meeting):
    photo_id = add_photo(app, meeting)
    url = f"{MANAGE}/{photo_id}/edit"
    refused = post_form(organiser, url, {"alt_text": "Ny text", "caption": "", "credit": ""}, token_page=url)
    assert refused.status_code == 422
    assert error_beside(refused.get_data(as_text=True), "credit") == "Ange fotografens namn."

    saved = post_form(organiser, url, {"alt_text": "Talaren vid podiet", "caption": "Inledningen",
                                       "credit": "Fia Fotograf"}, token_page=url)

    assert saved.status_code == 302
    [photo] = stored_photos(app)
    assert (photo.alt_text, photo.caption, photo.credit) == ("Talaren vid podiet", "Inledningen", "Fia Fotograf")


# ---------------------------------------------------------------- the public page and the image

def test_the_event_page_shows_each_photo_with_alt_text_caption_and_credit(organiser, app):
    client = app.test_client()
    upload(organiser, jpeg(), alt="Tre deltagare samtalar vid ett runt bord", caption="Gruppsamtalet")
    page = client.get(f"/events/{SLUG}/").get_data(as_text=True)

    [photo] = stored_photos(app)
    figure = re.search(r'<figure id="photo-\d+" class="photo">.*?</figure>', page, re.S).group(0)
    img = re.search(r"<img [^>]*>", figure).group(0)
    assert 'alt="Tre deltagare samtalar vid ett runt bord"' in img
    assert 'width="400"' in img and 'height="300"' in img and 'loading="lazy"' in img
    caption = text_of(re.search(r"<figcaption>.*?</figcaption>", figure, re.S).group(0))
    assert "Gruppsamtalet" in caption and "Foto: Kalle Fotograf" in caption
    assert "Är du med på bilden? Be oss ta bort den" in caption
    assert re.search(r"<h2[^>]*>Foton</h2>", page)

    src = html.unescape(re.search(r'src="([^"]+)"', img).group(1))
    assert re.fullmatch(rf"/events/{SLUG}/photos/{photo.id}\?v=\d+", src)
    image = client.get(src)
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.data == photo.image


def test_a_photo_taken_down_leaves_the_page_and_its_address_gives_404(organiser, app, meeting):
    client = app.test_client()
    kept = add_photo(app, meeting, alt="Publiken i salen")
    gone = add_photo(app, meeting, alt="Två personer i pausen")

    response = post_form(organiser, f"{MANAGE}/{gone}/take-down", {}, token_page=MANAGE)

    assert response.status_code == 302
    html_page = client.get(f"/events/{SLUG}/").get_data(as_text=True)
    assert 'alt="Publiken i salen"' in html_page and 'alt="Två personer i pausen"' not in html_page
    assert client.get(f"/events/{SLUG}/photos/{kept}").status_code == 200
    assert client.get(f"/events/{SLUG}/photos/{gone}").status_code == 404
    assert organiser.get(f"/events/{SLUG}/photos/{gone}").status_code == 404  # the public address, for anyone
    own_view = organiser.get(f"{MANAGE}/{gone}/image")
    assert own_view.status_code == 200 and "no-store" in own_view.headers["Cache-Control"]
    assert "Nedtaget" in text_of(organiser.get(MANAGE))

    post_form(organiser, f"{MANAGE}/{gone}/put-back", {}, token_page=MANAGE)
    assert client.get(f"/events/{SLUG}/photos/{gone}").status_code == 200


def test_every_cache_asks_again_before_showing_a_photo_so_a_takedown_request_hides_it_at_once(app, meeting):
    client = app.test_client()
    photo_id = add_photo(app, meeting, alt="Två personer i pausen")
    url = f"/events/{SLUG}/photos/{photo_id}"
    first = client.get(url)
    assert first.status_code == 200
    directives = {d.strip() for d in first.headers["Cache-Control"].split(",")}
    assert "no-cache" in directives
    assert not [d for d in directives if d.startswith(("max-age", "s-maxage", "stale-"))]
    etag = first.headers["ETag"]

    unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""  # asking again is cheap

    assert ask_to_take_down(app.test_client(), photo_id).status_code == 302
    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 404  # not 304: a cache that asks is told the photo is gone


def test_the_photos_of_an_unpublished_event_are_not_public(client, app, meeting):
    photo_id = add_photo(app, meeting)
    assert client.get(f"/events/{SLUG}/photos/{photo_id}").status_code == 200
    with app.app_context():
        db.session.get(Event, meeting).published = False
        db.session.commit()
    assert client.get(f"/events/{SLUG}/photos/{photo_id}").status_code == 404
    assert client.get(f"/events/{SLUG}/photos/{photo_id}/takedown").status_code == 404


def test_a_deleted_photo_is_gone_after_the_confirmation(organiser, app, meeting):
    client = app.test_client()
    photo_id = add_photo(app, meeting, alt="Publiken i salen")
    confirm = organiser.get(f"{MANAGE}/{photo_id}/delete")
    assert confirm.status_code == 200 and "Vill du ta bort fotot?" in text_of(confirm)
    assert count(app, Photo) == 1

    response = post_form(organiser, f"{MANAGE}/{photo_id}/delete", {}, token_page=f"{MANAGE}/{photo_id}/delete")

    assert response.status_code == 302
    assert count(app, Photo) == 0
    assert client.get(f"/events/{SLUG}/photos/{photo_id}").status_code == 404


# ---------------------------------------------------------------- takedown requests

def test_a_takedown_request_hides_the_photo_and_mails_the_contact_and_the_requester(organiser, app, meeting, smtp):
    photo_id = add_photo(app, meeting, alt="Två personer i pausen")
    public = app.test_client()

    response = ask_to_take_down(public, photo_id, headers=FINNISH, reason="Olen kuvassa vasemmalla.")

    assert response.status_code == 302
    assert "Pyyntösi on vastaanotettu" in text_of(public.get(response.headers["Location"], headers=FINNISH))
    with app.app_context():
        [stored] = db.session.scalars(select(TakedownRequest)).all()
        assert (stored.name, stored.email, stored.reason, stored.language, stored.handled_at) == (
            "Maija Meikäläinen", "maija@example.fi", "Olen kuvassa vasemmalla.", "fi", None)
        sent_on = stored.created_at.astimezone(f.STOCKHOLM).date().isoformat()
    # hidden at once, while the organiser decides
    assert public.get(f"/events/{SLUG}/photos/{photo_id}").status_code == 404
    assert 'alt="Två personer i pausen"' not in public.get(f"/events/{SLUG}/").get_data(as_text=True)

    assert deliver(app) == 2
    to_contact = smtp.last("kontakt@example.org")
    assert to_contact["Subject"] == "Någon ber att ett foto från Samråd om etablering tas bort"
    assert "Olen kuvassa vasemmalla." in text_body(to_contact) and to_contact["Reply-To"] == "maija@example.fi"
    assert link_in(to_contact, r"https?://\S+/manage/\S+") == MANAGE
    receipt = smtp.last("maija@example.fi")
    assert receipt["Subject"] == "Olemme vastaanottaneet pyyntösi, joka koskee tapahtuman Samråd om etablering kuvaa"
    assert "ei näytetä" in text_body(receipt)

    page = organiser.get(MANAGE).get_data(as_text=True)
    section = re.search(r'<section aria-labelledby="pending-heading">.*?</section>', page, re.S).group(0)
    waiting = text_of(section)
    assert "Begäran från Maija Meikäläinen" in waiting and "maija@example.fi" in waiting
    assert "Olen kuvassa vasemmalla." in waiting
    assert f'<time datetime="{sent_on}T' in section


def test_keeping_the_photo_shows_it_again_and_tells_a_finnish_requester_in_finnish(organiser, app, meeting, smtp):
    photo_id = add_photo(app, meeting, alt="Två personer i pausen")
    public = app.test_client()
    ask_to_take_down(public, photo_id, headers=FINNISH)
    deliver(app)
    with app.app_context():
        request_id = db.session.scalar(select(TakedownRequest.id))

    response = post_form(organiser, f"{MANAGE}/requests/{request_id}/decision",
                         {f"request-{request_id}-message": "Kuva on otettu yleisöstä kaukaa.",
                          f"request-{request_id}-keep": "Behåll det"}, token_page=MANAGE)

    assert response.status_code == 302
    with app.app_context():
        decided = db.session.get(TakedownRequest, request_id)
        assert decided.handled_at is not None and decided.photo_removed is False
        assert decided.handled_by_user_id is not None
    assert public.get(f"/events/{SLUG}/photos/{photo_id}").status_code == 200
    assert deliver(app) == 1
    answer = smtp.last("maija@example.fi")
    assert answer["Subject"] == "Tapahtuman Samråd om etablering kuvaa koskeva pyyntösi"
    body = text_body(answer)
    assert "päättänyt pitää kuvan esillä" in body and "Kuva on otettu yleisöstä kaukaa." in body


def test_taking_the_photo_down_on_request_keeps_it_hidden_and_tells_the_requester(organiser, app, meeting, smtp):
    photo_id = add_photo(app, meeting)
    public = app.test_client()
    ask_to_take_down(public, photo_id, name="Anna Andersson", email="anna@example.org", reason="")
    deliver(app)
    with app.app_context():
        request_id = db.session.scalar(select(TakedownRequest.id))

    response = post_form(organiser, f"{MANAGE}/requests/{request_id}/decision",
                         {f"request-{request_id}-remove": "Ta ner fotot"}, token_page=MANAGE)

    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(TakedownRequest, request_id).photo_removed is True
        assert db.session.get(Photo, photo_id).taken_down_at is not None
    assert public.get(f"/events/{SLUG}/photos/{photo_id}").status_code == 404
    deliver(app)
    answer = smtp.last("anna@example.org")
    assert answer["Subject"] == "Din begäran om ett foto från Samråd om etablering"
    assert "Fotot har tagits ner och visas inte längre på vår webbplats." in text_body(answer)
    # decided once: a second answer changes nothing and mails nobody
    again = post_form(organiser, f"{MANAGE}/requests/{request_id}/decision",
                      {f"request-{request_id}-keep": "Behåll det"}, token_page=MANAGE, follow_redirects=True)
    assert "Begäran har redan avgjorts." in text_of(again)
    assert public.get(f"/events/{SLUG}/photos/{photo_id}").status_code == 404
    assert deliver(app) == 0


def test_a_photo_cannot_be_put_back_while_a_request_about_it_waits(organiser, app, meeting):
    photo_id = add_photo(app, meeting)
    ask_to_take_down(app.test_client(), photo_id)

    response = post_form(organiser, f"{MANAGE}/{photo_id}/put-back", {}, token_page=MANAGE, follow_redirects=True)

    assert "Ta ställning till begäran först." in text_of(response)
    assert app.test_client().get(f"/events/{SLUG}/photos/{photo_id}").status_code == 404


def test_deleting_a_photo_answers_whoever_waits_for_a_decision(organiser, app, meeting, smtp):
    photo_id = add_photo(app, meeting)
    ask_to_take_down(app.test_client(), photo_id, headers=FINNISH)
    deliver(app)

    post_form(organiser, f"{MANAGE}/{photo_id}/delete", {}, token_page=MANAGE)

    assert count(app, Photo) == 0 and count(app, TakedownRequest) == 0
    deliver(app)
    assert "Kuva on poistettu" in text_body(smtp.last("maija@example.fi"))


@pytest.mark.parametrize("fields, field_id, message", [
    ({"name": ""}, "name", "Det här fältet är obligatoriskt."),
    ({"email": "inte-en-adress"}, "email", "Felaktig epost-adress."),
])
def test_a_takedown_request_with_bad_input_is_refused_beside_the_field(app, meeting, fields, field_id, message):
    photo_id = add_photo(app, meeting)
    public = app.test_client()

    response = ask_to_take_down(public, photo_id, reason="Jag står längst fram.", **fields)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_beside(page, field_id) == message
    assert textarea_value(page, "reason") == "Jag står längst fram."
    assert count(app, TakedownRequest) == 0 and count(app, OutboxMessage) == 0
    assert public.get(f"/events/{SLUG}/photos/{photo_id}").status_code == 200


def test_a_filled_in_honeypot_stores_nothing(app, meeting):
    photo_id = add_photo(app, meeting)
    public = app.test_client()

    response = ask_to_take_down(public, photo_id, website="https://spam.example")

    assert response.status_code == 302
    assert count(app, TakedownRequest) == 0 and count(app, OutboxMessage) == 0
    assert public.get(f"/events/{SLUG}/photos/{photo_id}").status_code == 200


def test_a_request_about_a_photo_already_taken_down_says_it_is_no_longer_shown(app, meeting):
    photo_id = add_photo(app, meeting, taken_down=True)
    public = app.test_client()

    page = public.get(f"/events/{SLUG}/photos/{photo_id}/takedown")
    assert page.status_code == 200 and "Fotot visas inte längre" in text_of(page)
    response = public.post(f"/events/{SLUG}/photos/{photo_id}/takedown",
                           data={"name": "Anna", "email": "anna@example.org",
                                 "csrf_token": csrf_token(public)})
    assert "Fotot visas inte längre" in text_of(response)
    assert count(app, TakedownRequest) == 0 and count(app, OutboxMessage) == 0


# ---------------------------------------------------------------- who may do what

def organiser_routes(photo_id, request_id):
    return [
        ("get", MANAGE), ("post", MANAGE), ("get", f"{MANAGE}/{photo_id}/image"),
        ("get", f"{MANAGE}/{photo_id}/edit"), ("post", f"{MANAGE}/{photo_id}/edit"),
        ("post", f"{MANAGE}/{photo_id}/take-down"), ("post", f"{MANAGE}/{photo_id}/put-back"),
        ("get", f"{MANAGE}/{photo_id}/delete"), ("post", f"{MANAGE}/{photo_id}/delete"),
        ("post", f"{MANAGE}/requests/{request_id}/decision"),
    ]


@pytest.mark.parametrize("email", ["other@example.org", "nobody@example.org"])
def test_anyone_but_the_events_organisers_gets_403_on_every_organiser_route(client, app, meeting, email):
    photo_id = add_photo(app, meeting)
    ask_to_take_down(app.test_client(), photo_id)
    with app.app_context():
        request_id = db.session.scalar(select(TakedownRequest.id))
    log_in(client, email)
    token = csrf_token(client, f"/events/{SLUG}/")

    for method, url in organiser_routes(photo_id, request_id):
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token, "alt_text": "x", "credit": "y",
                                              f"request-{request_id}-remove": "1",
                                              "upload-photo": (io.BytesIO(jpeg()), "x.jpg")},
                                   content_type="multipart/form-data")
        assert response.status_code == 403, (method, url)
    assert count(app, Photo) == 1
    with app.app_context():
        assert db.session.scalar(select(TakedownRequest.handled_at)) is None


def test_a_post_without_the_csrf_token_is_refused(organiser, app, meeting):
    response = upload(organiser, jpeg(), token=False)
    assert response.status_code == 400
    assert count(app, Photo) == 0

    photo_id = add_photo(app, meeting)
    assert organiser.post(f"{MANAGE}/{photo_id}/take-down").status_code == 400
    assert organiser.post(f"{MANAGE}/{photo_id}/edit", data={"alt_text": "Ändrad", "credit": "X"}).status_code == 400
    assert organiser.post(f"{MANAGE}/{photo_id}/delete").status_code == 400
    [photo] = stored_photos(app)
    assert photo.taken_down_at is None and photo.alt_text == "Deltagare vid ett bord"

    ask_to_take_down(app.test_client(), photo_id)
    with app.app_context():
        request_id = db.session.scalar(select(TakedownRequest.id))
    response = organiser.post(f"{MANAGE}/requests/{request_id}/decision", data={f"request-{request_id}-keep": "1"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(TakedownRequest, request_id).handled_at is None
