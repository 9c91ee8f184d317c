"""Written comments after a meeting: the window on the meeting's clock, who may write, attachments
checked by their content, the organisers' reading, export and summary mailed once to every participant."""

import csv
import io
import re
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from conference.consultation.comments import attachments
from conference.consultation.comments import manage as comment_manage
from conference.consultation.comments import services as comments
from conference.consultation.comments import views as comment_views
from conference.consultation.comments.models import FeedbackAudience, FeedbackWindow, WrittenComment
from conference.core.timeutil import to_utc
from conference.events.models import Event, RegistrationPolicy
from conference.extensions import db
from conference.outbox.models import OutboxMessage
from conference.registration import invitations
from conference.registration import services as registrations
from conference.registration.models import InvitationState, Registration
from tests import factories as f
from tests.conftest import csrf_token, log_in, post_form
from tests.pages import text_of
from tests.registration.conftest import deliver, text_body

FILES = Path(__file__).parent / "files"
UTC = timezone.utc
STOCKHOLM = ZoneInfo("Europe/Stockholm")
HELSINKI = ZoneInfo("Europe/Helsinki")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
WRONG_TYPE = "Vi tar bara emot filer i PDF, Word (DOCX) och OpenDocument (ODT)"


# ---------------------------------------------------------------- sample files

def pdf_bytes() -> bytes:
    return (FILES / "synpunkter.pdf").read_bytes()


def docx_bytes(*, with_document: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                         'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
                         '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.'
                         'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("_rels/.rels",
                         '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
                         '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
                         '.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                         '</Relationships>')
        if with_document:
            archive.writestr("word/document.xml",
                             '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats'
                             '.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Våra synpunkter</w:t></w:r>'
                             '</w:p></w:body></w:document>')
    return buffer.getvalue()


def odt_bytes(*, mimetype: str = ODT_TYPE, compress_mimetype: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype,
                         compress_type=zipfile.ZIP_DEFLATED if compress_mimetype else zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml",
                         '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                         'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:'
                         'full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:'
                         'file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                         '</manifest:manifest>', compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml",
                         '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:'
                         'tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
                         ' office:version="1.2"><office:body><office:text><text:p>Våra synpunkter</text:p>'
                         '</office:text></office:body></office:document-content>', compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("notes.txt", "inte ett dokument")
    return buffer.getvalue()


def too_large_pdf() -> bytes:
    data = pdf_bytes()
    padding = attachments.MAX_BYTES + 1 - len(data)
    # a real PDF may carry a comment of any length before its trailer; the file stays under the request limit
    head, _, tail = data.rpartition(b"startxref")
    return head + b"%" + b"x" * (padding - 2) + b"\n" + b"startxref" + tail


# ---------------------------------------------------------------- the world

@pytest.fixture
def clock(monkeypatch):
    """Sets the time the pages see: the comment pages and the organiser pages ask the same clock."""
    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(comment_views, "utcnow", lambda: moment)
        monkeypatch.setattr(comment_manage, "utcnow", lambda: moment)
    return set_to


def make_meeting(slug="samrad", *, tz=STOCKHOLM, policy=RegistrationPolicy.OPEN, **fields) -> Event:
    """A three-hour meeting on 20 March 2031, before the clocks go forward on the 30th."""
    return f.event(slug, title="Samråd om etablering", starts_at=datetime(2031, 3, 20, 10, tzinfo=tz), hours=3,
                   timezone=tz.key, registration_policy=policy, contact_email="samrad@example.org", **fields)


def open_window(event: Event, closes_local: datetime, audience=FeedbackAudience.PARTICIPANTS,
                instructions: str = "") -> FeedbackWindow:
    window, _created = comments.save_window(event, closes_at=to_utc(closes_local, event.timezone),
                                            audience=audience, instructions=instructions, user_id=None)
    return window


def register(event: Event, name: str, email: str, *, language="sv", confirmed=True) -> Registration:
    registration, _new = registrations.register(
        event, registrations.Applicant(name=name, email=email, organisation_name="Exempelkommun", language=language),
        now=event.starts_at - timedelta(days=10), consent_version="test", email_confirmed=confirmed,
        check_window=False)
    return registration


@pytest.fixture
def world(app):
    """A Stockholm meeting whose window is open to participants until 31 March 2031 23:59, with Anna registered
    and Eero (Finnish) invited."""
    with app.test_request_context():
        event = make_meeting()
        open_window(event, datetime(2031, 3, 31, 23, 59), instructions="Vad tyckte ni om förslaget?")
        anna = register(event, "Anna Andersson", "anna@example.org")
        eero = invitations.invite(event, name="Eero Virtanen", email="eero@example.fi",
                                  organisation_name="Kaupunki", language="fi")
        db.session.commit()
        return {"event_id": event.id, "registration": registrations.manage_token(anna),
                "invitation": invitations.token_of(eero)}


@pytest.fixture
def organiser_client(app, client, world):
    with app.app_context():
        f.user("arrangor@example.org", organiser_of=[db.session.get(Event, world["event_id"])])
        db.session.commit()
    log_in(client, "arrangor@example.org")
    return client


DURING = datetime(2031, 3, 25, 12, tzinfo=UTC)  # after the meeting, before the deadline


def count_comments(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(WrittenComment.id)))


def send(client, url, *, body="Bra möte. Vi vill se fler dialoger.", upload=None, token_page="/login", **fields):
    data = {"body": body, **fields}
    if upload is not None:
        data["attachment"] = (io.BytesIO(upload[1]), upload[0])
    return post_form(client, url, data, token_page=token_page, content_type="multipart/form-data")


def error_beside(response, field_id: str) -> str:
    """The message in the error element tied to the field, as a screen reader announces it."""
    html = response.get_data(as_text=True)
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', html, re.S)
    assert match, f"no error beside {field_id}"
    assert f'aria-describedby="{field_id}-hint {field_id}-error"' in html or \
        f'aria-describedby="{field_id}-error"' in html
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


# ---------------------------------------------------------------- the deadline, on the meeting's clock

def test_the_deadline_is_read_on_the_meeting_clock_across_the_clock_change_and_its_whole_minute_counts(
        app, organiser_client, world):
    """Meeting in winter time (CET), deadline 31 March 23:59 in summer time (CEST): stored as 21:59 UTC.
    "Until 23:59" takes in the whole minute: 23:59:59 is taken, 00:00:00 the next day is not."""
    post_form(organiser_client, "/manage/events/samrad/feedback",
              {"deadline_date": "2031-03-31", "deadline_time": "23:59", "audience": "participants",
               "instructions": ""})
    with app.test_request_context():
        window = db.session.scalar(select(FeedbackWindow))
        assert window.closes_at == datetime(2031, 3, 31, 21, 59, tzinfo=UTC)
        assert comments.accepts_until(window) == datetime(2031, 3, 31, 22, 0, tzinfo=UTC)
        assert window.event.ends_at.astimezone(STOCKHOLM).utcoffset() == timedelta(hours=1)  # CET
        anna = comments.commenter_for_registration(db.session.scalar(select(Registration)))

        for in_time, body in ((datetime(2031, 3, 31, 23, 59, 0, tzinfo=STOCKHOLM), "Vid 23.59."),
                              (datetime(2031, 3, 31, 23, 59, 59, tzinfo=STOCKHOLM), "I sista sekunden.")):
            comments.submit_comment(window, anna, body=body, attachment=None, public_form=False, now=in_time)
        for too_late in (datetime(2031, 4, 1, 0, 0, 0, tzinfo=STOCKHOLM),
                         datetime(2031, 4, 1, 0, 0, 30, tzinfo=STOCKHOLM)):
            with pytest.raises(comments.FeedbackError) as refused:
                comments.submit_comment(window, anna, body="För sent.", attachment=None, public_form=False,
                                        now=too_late)
            assert refused.value.code == "closed"
        db.session.commit()
    with app.app_context():
        assert db.session.scalars(select(WrittenComment.body).order_by(WrittenComment.id)).all() == [
            "Vid 23.59.", "I sista sekunden."]


def test_a_helsinki_meeting_closes_at_its_own_midnight(app):
    with app.test_request_context():
        event = make_meeting("kuuleminen", tz=HELSINKI)
        window = open_window(event, datetime(2031, 3, 31, 23, 59))
        assert window.closes_at == datetime(2031, 3, 31, 20, 59, tzinfo=UTC)  # EEST, UTC+3
        commenter = comments.Commenter(name="Eero", email="eero@example.fi", language="fi")
        comments.submit_comment(window, commenter, body="Kiitos.", attachment=None, public_form=False,
                                now=datetime(2031, 3, 31, 23, 59, 59, tzinfo=HELSINKI))
        with pytest.raises(comments.FeedbackError, match="closed"):
            comments.submit_comment(window, commenter, body="Myöhässä.", attachment=None, public_form=False,
                                    now=datetime(2031, 4, 1, 0, 0, tzinfo=HELSINKI))
        # 23:00 in Stockholm is already midnight in Helsinki: closed there
        with pytest.raises(comments.FeedbackError, match="closed"):
            comments.submit_comment(window, commenter, body="Myöhässä.", attachment=None, public_form=False,
                                    now=datetime(2031, 3, 31, 23, 0, tzinfo=STOCKHOLM))


def test_the_window_opens_when_the_meeting_ends_and_follows_a_moved_meeting(app):
    with app.test_request_context():
        event = make_meeting()
        window = open_window(event, datetime(2031, 3, 31, 23, 59))
        commenter = comments.Commenter(name="Anna", email="anna@example.org")
        ends = event.ends_at
        with pytest.raises(comments.FeedbackError, match="not_yet_open"):
            comments.submit_comment(window, commenter, body="För tidigt.", attachment=None, public_form=False,
                                    now=ends - timedelta(seconds=1))
        assert comments.phase(window, ends) is comments.Phase.OPEN

        event.starts_at, event.ends_at = ends + timedelta(days=1), ends + timedelta(days=1, hours=3)
        db.session.flush()
        assert comments.phase(window, ends) is comments.Phase.NOT_YET_OPEN
        assert comments.phase(window, event.ends_at) is comments.Phase.OPEN


def test_before_the_meeting_ends_the_form_says_when_it_opens(client, world, clock):
    clock(datetime(2031, 3, 20, 11, tzinfo=UTC))  # during the meeting
    page = text_of(client.get(f"/r/{world['registration']}/feedback"))
    assert "Formuläret öppnar när mötet slutar, den 20 mars 2031 13:00 CET." in page
    assert "Synpunkter tas emot till 31 mars 2031 23:59 CEST." in page
    assert 'name="body"' not in client.get(f"/r/{world['registration']}/feedback").get_data(as_text=True)


def test_in_the_deadline_minute_the_form_is_still_open(client, world, clock):
    clock(datetime(2031, 3, 31, 21, 59, 30, tzinfo=UTC))  # 23:59:30 CEST
    url = f"/r/{world['registration']}/feedback"
    page = client.get(url)
    assert page.status_code == 200 and 'name="body"' in page.get_data(as_text=True)
    assert "Synpunkter tas emot till 31 mars 2031 23:59 CEST." in text_of(page)
    assert send(client, url, body="Precis i tid.").status_code == 302


def test_after_the_deadline_the_form_is_closed_and_a_late_post_stores_nothing(app, client, world, clock):
    clock(datetime(2031, 3, 31, 22, 0, tzinfo=UTC))  # 00:00 CEST, the next day
    url = f"/r/{world['registration']}/feedback"
    page = text_of(client.get(url))
    assert "Formuläret är stängt." in page and "till 31 mars 2031 23:59 CEST" in page

    response = send(client, url, body="Jag hann inte.")
    assert response.status_code == 403
    assert "Formuläret är stängt." in text_of(response)
    assert "Jag hann inte." in response.get_data(as_text=True)  # kept for the sender to copy
    assert count_comments(app) == 0


# ---------------------------------------------------------------- who may write

def test_a_participants_only_window_refuses_the_public_form_and_says_how_participants_write(app, client, world,
                                                                                            clock):
    clock(DURING)
    page = client.get("/events/samrad/feedback")
    assert page.status_code == 403
    assert "tas emot endast från mötets deltagare" in text_of(page)
    assert "personliga länken i e-postmeddelandet om din anmälan eller inbjudan" in text_of(page)

    response = send(client, "/events/samrad/feedback", name="Okänd", email="okand@example.org", consent="y")
    assert response.status_code == 403
    assert count_comments(app) == 0


def test_a_stranger_without_a_valid_link_cannot_comment(app, client, world, clock):
    clock(DURING)
    for url in ("/r/not-a-real-token/feedback", "/invitations/not-a-real-token/feedback"):
        response = send(client, url, body="Jag är inte inbjuden.")
        assert response.status_code == 404
        assert "Länken gäller inte" in text_of(response)
    assert count_comments(app) == 0


def test_a_registration_not_yet_confirmed_cannot_comment(app, client, world, clock):
    with app.test_request_context():
        pending = register(db.session.get(Event, world["event_id"]), "Per", "per@example.org", confirmed=False)
        token = registrations.manage_token(pending)
        db.session.commit()
    clock(DURING)
    response = send(client, f"/r/{token}/feedback")
    assert response.status_code == 403
    assert "Bekräfta din e-postadress först" in text_of(response)
    assert count_comments(app) == 0


def test_a_participant_comments_through_the_registration_link_without_typing_name_or_address(app, client, world,
                                                                                             clock):
    clock(DURING)
    url = f"/r/{world['registration']}/feedback"
    form = client.get(url).get_data(as_text=True)
    assert 'name="email"' not in form and 'name="name"' not in form
    assert "Du skriver som Anna Andersson (anna@example.org)." in text_of(form)
    assert "Vad tyckte ni om förslaget?" in text_of(form)

    response = send(client, url, body="Bra möte.\r\n\r\nMer tid för frågor, tack.")
    assert response.status_code == 302
    receipt = client.get(response.headers["Location"])
    assert "Dina synpunkter har kommit fram" in text_of(receipt)
    assert "Ett kvitto är på väg till anna@example.org." in text_of(receipt)
    with app.app_context():
        comment = db.session.scalar(select(WrittenComment))
        registration = db.session.scalar(select(Registration))
        assert (comment.name, comment.email, comment.organisation_name) == ("Anna Andersson", "anna@example.org",
                                                                            "Exempelkommun")
        assert comment.registration_id == registration.id and comment.invitation_id is None
        assert comment.body == "Bra möte.\n\nMer tid för frågor, tack."


def test_an_invitee_comments_through_the_invitation_link_and_gets_a_finnish_receipt(app, client, smtp, world,
                                                                                      clock):
    clock(DURING)
    response = send(client, f"/invitations/{world['invitation']}/feedback", body="Hyvä kokous.")
    assert response.status_code == 302
    with app.app_context():
        comment = db.session.scalar(select(WrittenComment))
        assert comment.invitation_id is not None and comment.registration_id is None
        assert (comment.name, comment.email, comment.language) == ("Eero Virtanen", "eero@example.fi", "fi")
    deliver(app)
    receipt = smtp.last("eero@example.fi")
    assert receipt["Subject"] == "Olemme vastaanottaneet kommenttisi: Samråd om etablering"
    body = text_body(receipt)
    assert "Hyvä kokous." not in body  # a receipt repeats nothing typed
    # the invitation's own name and address, which its link proved: greeted by name, the summary follows by mail
    assert body.startswith("Hei Eero Virtanen,") and receipt["To"].addresses[0].display_name == "Eero Virtanen"
    assert "lähettävät sen sinulle" in body


def open_to_anyone(app) -> None:
    with app.app_context():
        db.session.scalar(select(FeedbackWindow)).audience = FeedbackAudience.ANYONE
        db.session.commit()


def test_an_open_to_anyone_window_takes_the_public_form(app, client, smtp, world, clock):
    open_to_anyone(app)
    clock(DURING)
    event_page = text_of(client.get("/events/samrad/"))
    assert "Vem som helst får skicka synpunkter." in event_page
    assert 'href="/events/samrad/feedback"' in client.get("/events/samrad/").get_data(as_text=True)
    form = client.get("/events/samrad/feedback").get_data(as_text=True)
    assert re.search(r"publicerar en sammanfattning av dem på mötets sida, "
                     r'<a href="/events/samrad/">Samråd om etablering</a>\. '
                     r"Sammanfattningen skickas inte till adressen du anger här\.", form)

    response = send(client, "/events/samrad/feedback", name="Karin Ek", email="karin@example.org",
                    organisation_name="Föreningen Ek", consent="y", body="Tack för mötet.")
    assert response.status_code == 302
    sent = client.get(response.headers["Location"])
    assert "Ett kvitto är på väg till adressen du angav." in text_of(sent)
    assert "skickar den till dig" not in text_of(sent)
    assert 'href="/events/samrad/">Samråd om etablering</a>' in sent.get_data(as_text=True)
    with app.app_context():
        comment = db.session.scalar(select(WrittenComment))
        assert (comment.name, comment.email, comment.organisation_name) == ("Karin Ek", "karin@example.org",
                                                                            "Föreningen Ek")
        assert comment.registration_id is None and comment.invitation_id is None
    deliver(app)
    assert smtp.subjects_for("karin@example.org") == ["Vi har tagit emot dina synpunkter på Samråd om etablering"]


def test_the_receipt_to_an_address_typed_in_the_public_form_repeats_nothing_typed(app, client, smtp, world, clock):
    """Anyone can type anyone's address: the receipt has no name, tells a stranger to ignore it, and promises
    no summary by mail."""
    open_to_anyone(app)
    clock(DURING)
    send(client, "/events/samrad/feedback", name="Karin Ek", email="karin@example.org",
         organisation_name="Föreningen Ek", consent="y", body="Tack för mötet.")
    deliver(app)
    receipt = smtp.last("karin@example.org")
    assert receipt["To"].addresses[0].display_name == ""
    for body in (text_body(receipt), receipt.get_body(("html",)).get_content()):
        assert "Karin" not in body and "Föreningen Ek" not in body and "Tack för mötet." not in body
        assert "Om du inte har skickat några synpunkter kan du bortse från det här e-postmeddelandet." in body
        assert "skickar den till dig" not in body
    text = text_body(receipt)
    assert text.splitlines()[0] == "Hej!"
    assert re.search(r"publicerar en sammanfattning av synpunkterna på mötets sida: \S+/events/samrad/", text)


def test_the_honeypot_answers_as_if_sent_and_stores_nothing(app, client, world, clock):
    open_to_anyone(app)
    clock(DURING)
    response = send(client, "/events/samrad/feedback", name="Bot", email="bot@example.org", consent="y",
                    website="http://spam.example")
    assert response.status_code == 302 and response.headers["Location"].endswith("/events/samrad/feedback/sent")
    assert count_comments(app) == 0


# ---------------------------------------------------------------- attachments, by content

@pytest.mark.parametrize("filename, content, content_type, stored_name", [
    ("Våra synpunkter.pdf", pdf_bytes, "application/pdf", "Våra synpunkter.pdf"),
    ("synpunkter.docx", docx_bytes, DOCX_TYPE, "synpunkter.docx"),
    ("remissvar", odt_bytes, ODT_TYPE, "remissvar.odt"),
])
def test_a_real_pdf_docx_or_odt_is_taken_and_the_organiser_downloads_the_exact_bytes(
        app, client, organiser_client, world, clock, filename, content, content_type, stored_name):
    clock(DURING)
    data = content()
    participant = app.test_client()
    response = send(participant, f"/r/{world['registration']}/feedback", upload=(filename, data))
    assert response.status_code == 302, text_of(response)
    with app.app_context():
        comment = db.session.scalar(select(WrittenComment))
        assert (comment.attachment_type, comment.attachment_name, comment.attachment_size) == (
            content_type, stored_name, len(data))
        comment_id = comment.id

    page = organiser_client.get("/manage/events/samrad/feedback").get_data(as_text=True)
    link = f"/manage/events/samrad/feedback/comments/{comment_id}/attachment"
    assert link in page
    download = organiser_client.get(link)
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == content_type
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("filename, content, message", [
    ("bild.pdf", lambda: (FILES / "bild.png").read_bytes(), WRONG_TYPE),
    ("text.docx", lambda: "Det här är bara text.\n".encode(), WRONG_TYPE),
    ("arkiv.docx", zip_without_document, WRONG_TYPE),
    ("stor.pdf", too_large_pdf, "Filen är större än 5 MB."),
])
def test_a_file_of_another_kind_or_too_large_is_refused_beside_the_file_field_and_nothing_is_stored(
        app, client, world, clock, filename, content, message):
    clock(DURING)
    response = send(client, f"/r/{world['registration']}/feedback", body="Se bilagan.", upload=(filename, content()))
    assert response.status_code == 422
    assert message in error_beside(response, "attachment")
    assert "\r\nSe bilagan.</textarea>" in response.get_data(as_text=True)
    assert count_comments(app) == 0


def nine_megabyte_pdf() -> bytes:
    data = pdf_bytes()
    head, _, tail = data.rpartition(b"startxref")
    return head + b"%" + b"x" * (9 * 1024 * 1024) + b"\n" + b"startxref" + tail


@pytest.mark.parametrize("way_in", ["registration", "invitation", "public"])
def test_an_attachment_above_the_apps_request_limit_is_refused_beside_the_field_with_the_text_kept(
        app, client, world, clock, way_in):
    """9 MB is more than the app takes in one request (8 MB), yet the comment forms take it in to say why."""
    data = nine_megabyte_pdf()
    assert attachments.MAX_BYTES < app.config["MAX_CONTENT_LENGTH"] < len(data) \
        < comment_views.COMMENT_REQUEST_MAX_BYTES
    open_to_anyone(app)
    clock(DURING)
    url, fields = {
        "registration": (f"/r/{world['registration']}/feedback", {}),
        "invitation": (f"/invitations/{world['invitation']}/feedback", {}),
        "public": ("/events/samrad/feedback", {"name": "Karin Ek", "email": "karin@example.org", "consent": "y"}),
    }[way_in]
    response = send(client, url, body="Se bilagan, tack.", upload=("stor.pdf", data), **fields)
    assert response.status_code == 422
    assert error_beside(response, "attachment") == \
        "Filen är större än 5 MB. Skicka en mindre fil, eller dela upp den i två."
    assert "\r\nSe bilagan, tack.</textarea>" in response.get_data(as_text=True)
    if way_in == "public":
        assert 'value="Karin Ek"' in response.get_data(as_text=True)
    assert count_comments(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.kind == "consultation.comment_received")) == 0


def test_a_request_above_the_upload_limit_gets_a_translated_page_and_stores_nothing(app, client, world, clock):
    clock(DURING)
    huge = b"%PDF-1.4\n" + b"0" * (comment_views.COMMENT_REQUEST_MAX_BYTES + 1024)
    response = send(client, f"/r/{world['registration']}/feedback", upload=("stor.pdf", huge))
    assert response.status_code == 413
    assert "Filen eller formuläret är för stort" in text_of(response)
    assert count_comments(app) == 0


def test_the_content_check_refuses_odt_look_alikes_and_archives_that_unpack_to_too_much():
    assert attachments.content_type_of(odt_bytes()) == ODT_TYPE
    assert attachments.content_type_of(odt_bytes(mimetype="application/vnd.oasis.opendocument.spreadsheet")) is None
    assert attachments.content_type_of(odt_bytes(compress_mimetype=True)) is None
    assert attachments.content_type_of(b"junk" + docx_bytes()) is None  # a ZIP must start at the first byte
    assert attachments.content_type_of(pdf_bytes().replace(b"%%EOF", b"%%END")) is None  # no trailer

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/zeros.bin", b"\0" * (attachments.MAX_UNPACKED + 1))
    assert len(bomb.getvalue()) < attachments.MAX_BYTES
    assert attachments.content_type_of(bomb.getvalue()) is None

    assert attachments.clean_name('..\\..\\evil"\x07name.PDF', attachments.PDF) == "evilname.pdf"
    assert attachments.clean_name("Yttrande.odt", attachments.DOCX) == "Yttrande.docx"


# ---------------------------------------------------------------- the organisers

def add_comment(app, world, *, name, email, body, organisation="", language="sv", when=DURING):
    """A comment as the public form sends it: the sender's own name and address, proved by nothing."""
    with app.test_request_context():
        window = db.session.scalar(select(FeedbackWindow))
        window.audience = FeedbackAudience.ANYONE
        comments.submit_comment(window, comments.Commenter(name=name, email=email, organisation_name=organisation,
                                                           language=language),
                                body=body, attachment=None, now=when, public_form=True)
        db.session.commit()


def test_the_organiser_reads_the_comments(app, organiser_client, world, clock):
    clock(DURING)
    add_comment(app, world, name="Karin Ek", email="karin@example.org", organisation="Föreningen Ek",
                body="Första stycket.\n\nAndra stycket.")
    page = text_of(organiser_client.get("/manage/events/samrad/feedback"))
    assert "Synpunkter (1)" in page
    assert "Karin Ek, Föreningen Ek" in page
    assert "25 mars 2031 13:00 CET" in page
    assert "Första stycket." in page and "Andra stycket." in page
    assert "Öppet: synpunkter tas emot till 31 mars 2031 23:59 CEST." in page


def test_the_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(app, organiser_client, world):
    add_comment(app, world, name="=HYPERLINK(\"http://evil.example\")", email="x@example.org",
                organisation="+46 8 123", body="-2+3")
    response = organiser_client.get("/manage/events/samrad/feedback/comments.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="samrad-comments.csv"'
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Namn", "E-postadress", "Organisation", "Skickad", "Synpunkter", "Bilaga"]
    assert rows[1] == ["'=HYPERLINK(\"http://evil.example\")", "x@example.org", "'+46 8 123", "2031-03-25 13:00",
                       "'-2+3", ""]


def test_publishing_the_summary_mails_each_participant_once_in_their_language(app, client, organiser_client, smtp,
                                                                               world, clock):
    """Mailed: confirmed registrants, invitees who did not decline and whoever commented through their link, once
    per address. Not mailed: an unconfirmed registration, a declined invitee who did not comment, and an address
    typed in the public form, which nobody has confirmed."""
    with app.test_request_context():
        event = db.session.get(Event, world["event_id"])
        register(event, "Per Pending", "per@example.org", confirmed=False)  # never confirmed: not mailed
        declined = invitations.invite(event, name="Nej Tack", email="nej@example.org")
        declined.state = InvitationState.DECLINED
        # declined, but wrote through the invitation link: that proves the address
        wrote = invitations.invite(event, name="Sara Skrivande", email="sara@example.org", language="en")
        wrote.state = InvitationState.DECLINED
        invitations.invite(event, name="Anna Andersson", email="ANNA@example.org")  # registered too: once
        db.session.commit()
        sara = invitations.token_of(wrote)
    clock(DURING)
    participant = app.test_client()
    assert send(participant, f"/r/{world['registration']}/feedback", body="Från Anna.").status_code == 302
    assert send(participant, f"/invitations/{sara}/feedback", body="From Sara.").status_code == 302
    add_comment(app, world, name="Karin Ek", email="karin@example.org", body="Från Karin.", language="en")
    with app.app_context():
        assert db.session.scalar(select(func.count(WrittenComment.id))) == 3
    deliver(app)
    before = len(smtp.messages)

    clock(datetime(2031, 4, 10, 9, tzinfo=UTC))
    response = post_form(organiser_client, "/manage/events/samrad/feedback/summary",
                         {"summary": "Tre synpunkter kom in.\r\n\r\nDe flesta ville ha fler möten.",
                          "action": "publish"})
    assert response.status_code == 302
    assert "Sammanfattningen är publicerad, och 3 deltagare får den per e-post." in text_of(
        organiser_client.get(response.headers["Location"]))
    assert deliver(app) == 3
    summaries = smtp.messages[before:]
    assert sorted(m["To"].addresses[0].addr_spec.lower() for m in summaries) == [
        "anna@example.org", "eero@example.fi", "sara@example.org"]
    assert smtp.last("anna@example.org")["Subject"] == \
        "Sammanfattning av de skriftliga synpunkterna på Samråd om etablering"
    assert smtp.last("eero@example.fi")["Subject"] == "Yhteenveto kirjallisista kommenteista: Samråd om etablering"
    assert smtp.last("sara@example.org")["Subject"] == \
        "Summary of the written feedback on Samråd om etablering"
    assert smtp.subjects_for("karin@example.org") == ["We have received your comment on Samråd om etablering"]
    finnish = text_body(smtp.last("eero@example.fi"))
    assert "Hei Eero Virtanen," in finnish and "De flesta ville ha fler möten." in finnish
    assert "/events/samrad/" in finnish

    event_page = text_of(client.get("/events/samrad/"))
    assert "Sammanfattning av synpunkterna" in event_page
    assert "Publicerad 10 april 2031" in event_page
    assert "De flesta ville ha fler möten." in event_page

    post_form(organiser_client, "/manage/events/samrad/feedback/summary",
              {"summary": "Ny text.", "action": "publish"})
    post_form(organiser_client, "/manage/events/samrad/feedback/summary",
              {"summary": "Tre synpunkter kom in. Rättad.", "action": "correct"})
    assert deliver(app) == 0
    assert len(smtp.messages) == before + 3
    assert "Tre synpunkter kom in. Rättad." in text_of(client.get("/events/samrad/"))
    manage_page = text_of(organiser_client.get("/manage/events/samrad/feedback"))
    assert "ingen får e-post igen" in manage_page


def test_a_non_organiser_gets_403_on_every_organiser_page(app, client, world):
    with app.app_context():
        other = make_meeting("annat-mote")
        f.user("annan@example.org", organiser_of=[other])
        f.user("deltagare@example.org")
        db.session.commit()
    for email in ("annan@example.org", "deltagare@example.org"):
        visitor = app.test_client()
        token = csrf_token(visitor, "/login")
        log_in(visitor, email)
        base = "/manage/events/samrad/feedback"
        assert visitor.get(base).status_code == 403
        assert visitor.get(f"{base}/comments.csv").status_code == 403
        assert visitor.get(f"{base}/comments/1/attachment").status_code == 403
        assert visitor.post(base, data={"deadline_date": "2031-05-01", "deadline_time": "12:00",
                                        "audience": "anyone", "csrf_token": token}).status_code == 403
        assert visitor.post(f"{base}/summary", data={"summary": "X", "action": "publish",
                                                     "csrf_token": token}).status_code == 403
    with app.app_context():
        window = db.session.scalar(select(FeedbackWindow))
        assert window.audience is FeedbackAudience.PARTICIPANTS and window.summary_published_at is None


def test_a_post_without_the_csrf_token_is_refused(app, organiser_client, world):
    base = "/manage/events/samrad/feedback"
    assert organiser_client.post(base, data={"deadline_date": "2031-05-01", "deadline_time": "12:00",
                                             "audience": "anyone"}).status_code == 400
    assert organiser_client.post(f"{base}/summary", data={"summary": "X", "action": "publish"}).status_code == 400
    with app.app_context():
        window = db.session.scalar(select(FeedbackWindow))
        assert window.audience is FeedbackAudience.PARTICIPANTS and window.summary_published_at is None
        assert window.closes_at == datetime(2031, 3, 31, 21, 59, tzinfo=UTC)


# ---------------------------------------------------------------- bad input, every form

def test_a_deadline_before_the_meeting_ends_is_refused_beside_the_date_with_the_values_kept(app, client, world):
    with app.app_context():
        event = f.event("nytt-mote", starts_at=datetime(2031, 3, 20, 10, tzinfo=STOCKHOLM), hours=3)
        f.user("ny@example.org", organiser_of=[event])
        db.session.commit()
        event_id = event.id
    log_in(client, "ny@example.org")
    blank = client.get("/manage/events/nytt-mote/feedback")
    assert blank.status_code == 200 and "Öppna för synpunkter" in text_of(blank)
    assert 'value="23:59"' in blank.get_data(as_text=True)  # the usual deadline minute, ready to take
    assert "Synpunkter tas emot till och med den här minuten: med 23:59 räknas även synpunkter som skickas " \
        "kl. 23:59:59." in text_of(blank)
    response = post_form(client, "/manage/events/nytt-mote/feedback",
                         {"deadline_date": "2031-03-20", "deadline_time": "12:30", "audience": "anyone",
                          "instructions": "Skriv gärna."})
    assert response.status_code == 422
    assert error_beside(response, "deadline_date") == "Sista dag och tid måste vara efter att mötet slutar."
    html = response.get_data(as_text=True)
    assert 'value="2031-03-20"' in html and 'value="12:30"' in html and "\r\nSkriv gärna.</textarea>" in html
    assert re.search(r'<option selected value="anyone">|<option value="anyone" selected>', html)
    with app.app_context():
        assert db.session.scalar(select(func.count(FeedbackWindow.id)).where(
            FeedbackWindow.event_id == event_id)) == 0


def test_a_missing_deadline_date_is_refused_beside_the_field_and_the_window_is_unchanged(app, organiser_client,
                                                                                         world):
    response = post_form(organiser_client, "/manage/events/samrad/feedback",
                         {"deadline_date": "", "deadline_time": "18:00", "audience": "anyone",
                          "instructions": "Ny fråga."})
    assert response.status_code == 422
    assert error_beside(response, "deadline_date") == "Ange ett datum."
    html = response.get_data(as_text=True)
    assert 'value="18:00"' in html and "\r\nNy fråga.</textarea>" in html
    with app.app_context():
        window = db.session.scalar(select(FeedbackWindow))
        assert window.closes_at == datetime(2031, 3, 31, 21, 59, tzinfo=UTC)
        assert window.audience is FeedbackAudience.PARTICIPANTS
        assert window.instructions == "Vad tyckte ni om förslaget?"


def test_a_deadline_in_the_hour_the_clocks_skip_is_refused_beside_the_time(app, organiser_client, world):
    response = post_form(organiser_client, "/manage/events/samrad/feedback",
                         {"deadline_date": "2031-03-30", "deadline_time": "02:30", "audience": "participants"})
    assert response.status_code == 422
    assert error_beside(response, "deadline_time") == \
        "Den här tiden finns inte: klockan ställs fram en timme den natten."
    with app.app_context():
        assert db.session.scalar(select(FeedbackWindow.closes_at)) == datetime(2031, 3, 31, 21, 59, tzinfo=UTC)


def test_an_empty_comment_is_refused_beside_the_text_with_the_other_values_kept(app, client, world, clock):
    with app.app_context():
        db.session.scalar(select(FeedbackWindow)).audience = FeedbackAudience.ANYONE
        db.session.commit()
    clock(DURING)
    response = send(client, "/events/samrad/feedback", body="   ", name="Karin Ek", email="karin@example.org",
                    organisation_name="Föreningen Ek", consent="y")
    assert response.status_code == 422
    assert error_beside(response, "body") == "Skriv dina synpunkter."
    html = response.get_data(as_text=True)
    assert 'value="Karin Ek"' in html and 'value="karin@example.org"' in html and 'value="Föreningen Ek"' in html
    assert count_comments(app) == 0


def test_publishing_an_empty_summary_is_refused_beside_the_field_and_nothing_is_sent(app, organiser_client, world):
    with app.app_context():
        queued = db.session.scalar(select(func.count(OutboxMessage.id)))
    response = post_form(organiser_client, "/manage/events/samrad/feedback/summary",
                         {"summary": "  ", "action": "publish"})
    assert response.status_code == 422
    assert error_beside(response, "summary") == "Skriv sammanfattningen innan du publicerar den."
    # the window form on the same page still shows the saved deadline
    assert 'value="2031-03-31"' in response.get_data(as_text=True)
    with app.app_context():
        window = db.session.scalar(select(FeedbackWindow))
        assert window.summary_published_at is None and window.summary == ""
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == queued


# ---------------------------------------------------------------- where participants find the form

def test_the_personal_pages_link_to_the_comment_form_while_the_window_is_open(app, client, world, clock):
    clock(DURING)
    registration_page = client.get(f"/r/{world['registration']}").get_data(as_text=True)
    assert f'href="/r/{world["registration"]}/feedback"' in registration_page
    invitation_page = client.get(f"/invitations/{world['invitation']}").get_data(as_text=True)
    assert f'href="/invitations/{world["invitation"]}/feedback"' in invitation_page
    assert "Skicka skriftliga synpunkter" in text_of(invitation_page)
    event_page = text_of(client.get("/events/samrad/"))
    assert "Skriftliga synpunkter tas emot till 31 mars 2031 23:59 CEST." in event_page
    assert "genom den personliga länken" in event_page

    clock(datetime(2031, 4, 1, tzinfo=UTC))
    assert "/feedback" not in client.get(f"/r/{world['registration']}").get_data(as_text=True)
