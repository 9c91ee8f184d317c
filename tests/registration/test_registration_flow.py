"""An attendee registers, confirms through the mailed link, gets a ticket; mail goes through a real SMTP server."""

import io
from datetime import timedelta

import pytest
import vobject
import zxingcpp
from ical.calendar_stream import IcsCalendarStream
from PIL import Image
from sqlalchemy import func, select

from conference.core.timeutil import utcnow
from conference.events.models import Event, RegistrationPolicy
from conference.extensions import db
from conference.registration import services
from conference.registration.models import Registration, RegistrationState
from tests import factories as f
from tests.conftest import csrf_token
from tests.pages import text_of
from tests.registration.conftest import deliver, link_in, text_body

FORM = {"name": "Anna Andersson", "email": "anna@example.org", "organisation_id": "0",
        "organisation_name": "Exempelkommun", "organisation_kind": "municipality", "stakeholder_group": "Tjänsteperson",
        "accessibility_needs": "Teckenspråkstolk", "consent": "y"}


@pytest.fixture
def open_event(app):
    with app.app_context():
        now = utcnow()
        e = f.event("forum", title="Integrationsforum 2031",
                    starts_at=(now + timedelta(days=30)).replace(second=0, microsecond=0), capacity=2,
                    registration_opens_at=now - timedelta(days=1), contact_email="press@example.org",
                    contact_name="Anna Press", venue="Göteborg")
        db.session.commit()
        return e.id


def register(client, **changes):
    return client.post("/events/forum/register", data={**FORM, **changes,
                                                       "csrf_token": csrf_token(client, "/events/forum/register")})


def registration(app, email="anna@example.org") -> Registration:
    with app.app_context():
        found = db.session.scalar(select(Registration).where(Registration.email_normalised == email))
        db.session.expunge_all()
        return found


def confirm_from_mail(client, smtp, address="anna@example.org"):
    path = link_in(smtp.last(address), r"https?://\S+/confirm")
    assert client.get(path).status_code == 200
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    return response.headers["Location"]


def test_the_attendee_registers_confirms_and_gets_a_ticket_that_decodes(client, app, smtp, open_event):
    response = register(client)
    assert response.status_code == 302 and response.headers["Location"] == "/events/forum/registered"
    assert registration(app).state is RegistrationState.PENDING
    deliver(app)
    first = smtp.last("anna@example.org")
    assert first["Subject"] == "Bekräfta din anmälan till Integrationsforum 2031"

    manage_path = confirm_from_mail(client, smtp)
    assert registration(app).state is RegistrationState.CONFIRMED
    deliver(app)
    confirmation = smtp.last("anna@example.org")
    assert confirmation["Subject"] == "Din anmälan till Integrationsforum 2031 är bekräftad"

    [qr] = [part for part in confirmation.walk() if part.get_content_type() == "image/png"]
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.get_content())))
    with app.test_request_context():
        code = services.ticket_code(db.session.get(Registration, registration(app).id))
    assert [barcode.text for barcode in decoded] == [code]
    assert "-".join(code[i:i + 5] for i in range(0, len(code), 5)) in text_body(confirmation)

    page = client.get(link_in(confirmation, r"https?://\S+/r/[\w-]+"))
    assert page.status_code == 200
    assert "Din biljett" in text_of(page)
    assert manage_path.startswith("/r/")


def test_the_confirmation_mail_has_the_layout_calendar_clients_act_on(client, app, smtp, open_event):
    register(client)
    deliver(app)
    confirm_from_mail(client, smtp)
    deliver(app)
    message = smtp.last("anna@example.org")
    assert message["From"] == "Konferens <noreply@example.org>"
    assert message["Reply-To"] == "press@example.org"
    assert message.get_content_type() == "multipart/mixed"
    alternative = message.get_payload()[0]
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain", "multipart/related", "text/calendar"]
    calendar_part = alternative.get_payload()[2]
    assert calendar_part.get_param("method") == "REQUEST"
    html = alternative.get_payload()[1].get_payload()[0]
    assert html.get_content_type() == "text/html" and 'src="cid:ticket@conference"' in html.get_content()
    [attachment] = [p for p in message.iter_attachments() if p.get_content_type() == "application/ics"]
    ics = calendar_part.get_content()
    assert attachment.get_content().decode() == ics

    parsed = vobject.readOne(ics, validate=True)
    assert parsed.method.value == "REQUEST"
    assert parsed.vevent.uid.value == f"event-{open_event}@conference.example.org"
    assert parsed.vevent.attendee.value == "mailto:anna@example.org"
    assert parsed.vevent.organizer.value == "mailto:press@example.org"
    strict = IcsCalendarStream.calendar_from_ics(ics)
    [event] = strict.events
    with app.app_context():
        assert event.dtstart == db.session.get(Event, open_event).starts_at


def test_mail_goes_out_in_the_language_the_attendee_used(client, app, smtp, open_event):
    client.get("/language/fi")
    register(client)
    deliver(app)
    assert smtp.last("anna@example.org")["Subject"].startswith("Vahvista ilmoittautumisesi")
    assert registration(app).language == "fi"


def test_registering_again_with_the_same_address_sends_the_link_again_and_creates_nothing(client, app, smtp,
                                                                                         open_event):
    register(client)
    register(client, email="ANNA@example.org ", name="Anna igen")
    with app.app_context():
        assert db.session.scalar(select(func.count(Registration.id))) == 1
    deliver(app)
    assert smtp.subjects_for("anna@example.org") == ["Bekräfta din anmälan till Integrationsforum 2031",
                                                     "Din anmälan till Integrationsforum 2031"]


def test_the_third_registrant_waits_and_gets_the_place_when_someone_cancels(client, app, smtp, open_event):
    for name in ("a", "b", "c"):
        register(client, email=f"{name}@example.org", name=name.upper())
    deliver(app)
    for name in ("a", "b", "c"):
        confirm_from_mail(client, smtp, f"{name}@example.org")
    assert registration(app, "c@example.org").state is RegistrationState.WAITLISTED
    deliver(app)
    assert smtp.last("c@example.org")["Subject"] == "Du står på väntelistan till Integrationsforum 2031"

    manage = link_in(smtp.last("a@example.org"), r"https?://\S+/r/[\w-]+")
    cancel_page = client.get(manage + "/cancel")
    assert "Avboka din anmälan?" in text_of(cancel_page)
    client.post(manage + "/cancel", data={"csrf_token": csrf_token(client, manage + "/cancel")})

    assert registration(app, "a@example.org").state is RegistrationState.CANCELLED
    assert registration(app, "c@example.org").state is RegistrationState.CONFIRMED
    deliver(app)
    assert smtp.last("c@example.org")["Subject"] == "Du har fått en plats på Integrationsforum 2031"
    assert smtp.last("a@example.org")["Subject"] == "Din anmälan till Integrationsforum 2031 är avbokad"
    with app.app_context():
        assert f.seats_taken(open_event) == 2


def test_an_unconfirmed_registration_expires_and_frees_its_place(client, app, smtp, open_event):
    for name in ("a", "b", "c"):
        register(client, email=f"{name}@example.org")
    with app.app_context():
        expired = services.expire_unconfirmed(utcnow() + timedelta(hours=25))
        db.session.commit()
    assert expired == 3
    with app.app_context():
        assert f.seats_taken(open_event) == 0


def test_an_expired_place_goes_to_the_first_in_line(client, app, open_event):
    register(client, email="a@example.org")
    with app.app_context():
        later = utcnow() + timedelta(hours=20)
        event = db.session.get(Event, open_event)
        with app.test_request_context():
            for name in ("b", "c"):
                services.register(event, services.Applicant(name=name, email=f"{name}@example.org"), now=later,
                                  consent_version="test", email_confirmed=True)
        db.session.commit()
    assert registration(app, "c@example.org").state is RegistrationState.WAITLISTED
    with app.test_request_context():
        services.expire_unconfirmed(utcnow() + timedelta(hours=25))
        db.session.commit()
    assert registration(app, "a@example.org").state is RegistrationState.EXPIRED
    assert registration(app, "c@example.org").state is RegistrationState.CONFIRMED


@pytest.mark.parametrize("changes, field_id", [
    ({"email": "inte-en-adress"}, "email"),
    ({"name": ""}, "name"),
    ({"consent": ""}, "consent"),
    ({"organisation_name": "", "organisation_kind": ""}, "organisation_name"),
    ({"organisation_kind": ""}, "organisation_kind"),
    ({"name": "x" * 201}, "name"),
])
def test_bad_input_is_explained_beside_the_field_and_changes_nothing(client, app, smtp, open_event, changes,
                                                                    field_id):
    response = register(client, **changes)
    assert response.status_code == 422
    assert f'id="{field_id}-error"' in response.get_data(as_text=True)
    if field_id != "email":
        assert 'value="anna@example.org"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Registration.id))) == 0
    assert deliver(app) == 0


def test_a_form_without_the_csrf_token_is_refused(client, app, open_event):
    response = client.post("/events/forum/register", data=FORM)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Registration.id))) == 0


@pytest.mark.parametrize("window, message", [
    ({"registration_opens_at": +1}, "Anmälan till evenemanget har inte öppnat än."),
    ({"registration_closes_at": -1}, "Anmälan till evenemanget har stängt."),
])
def test_outside_the_window_the_form_says_so_and_takes_nothing(client, app, open_event, window, message):
    with app.app_context():
        event = db.session.get(Event, open_event)
        for column, days in window.items():
            setattr(event, column, utcnow() + timedelta(days=days))
        if "registration_closes_at" in window:
            event.registration_opens_at = utcnow() - timedelta(days=3)
        db.session.commit()
    assert message in text_of(client.get("/events/forum/register"))
    client.post("/events/forum/register", data={**FORM, "csrf_token": csrf_token(client)})
    with app.app_context():
        assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_an_invitation_only_event_takes_no_open_registrations(client, app, open_event):
    with app.app_context():
        db.session.get(Event, open_event).registration_policy = RegistrationPolicy.INVITATION_ONLY
        db.session.commit()
    assert "endast för inbjudna" in text_of(client.get("/events/forum/register")).lower()
    client.post("/events/forum/register", data={**FORM, "csrf_token": csrf_token(client)})
    with app.app_context():
        assert db.session.scalar(select(func.count(Registration.id))) == 0


@pytest.mark.parametrize("path", ["/r/not-a-token", "/r/not-a-token/confirm", "/r/not-a-token/cancel",
                                  "/invitations/not-a-token"])
def test_a_wrong_link_says_so_clearly(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Länken gäller inte" in text_of(response)


def test_a_cancelled_registration_cannot_be_confirmed_or_changed(client, app, smtp, open_event):
    register(client)
    deliver(app)
    confirm_path = link_in(smtp.last("anna@example.org"), r"https?://\S+/confirm")
    manage_path = confirm_path.removesuffix("/confirm")
    client.post(manage_path + "/cancel", data={"csrf_token": csrf_token(client, manage_path + "/cancel")})
    client.post(confirm_path, data={"csrf_token": csrf_token(client, confirm_path)})
    assert registration(app).state is RegistrationState.CANCELLED
    assert "Ändra" not in text_of(client.get(manage_path))  # no form to change a cancelled registration
    client.post(manage_path, data={**FORM, "name": "Ändrat", "csrf_token": csrf_token(client, "/login")})
    assert registration(app).name == "Anna Andersson"


def test_the_attendee_changes_their_details_from_the_personal_link(client, app, smtp, open_event):
    register(client)
    deliver(app)
    manage_path = confirm_from_mail(client, smtp)
    response = client.post(manage_path, data={**FORM, "name": "Anna B. Andersson", "accessibility_needs": "",
                                              "csrf_token": csrf_token(client, manage_path)})
    assert response.status_code == 302
    changed = registration(app)
    assert changed.name == "Anna B. Andersson" and changed.accessibility_needs is None


def test_the_ticket_calendar_file_downloads(client, app, smtp, open_event):
    register(client)
    deliver(app)
    manage_path = confirm_from_mail(client, smtp)
    response = client.get(manage_path + "/event.ics")
    assert response.mimetype == "text/calendar"
    calendar = vobject.readOne(response.get_data(as_text=True), validate=True)
    assert calendar.method.value == "PUBLISH" and calendar.vevent.summary.value == "Integrationsforum 2031"
    assert "attendee" not in calendar.vevent.contents  # a file to import, not an invitation to answer
    assert calendar.vevent.organizer.value.startswith("mailto:")


def test_the_event_page_links_to_the_registration_while_it_is_open(client, open_event):
    html = client.get("/events/forum/").get_data(as_text=True)
    assert 'href="/events/forum/register"' in html


def test_a_full_event_says_so_before_the_registrant_joins_the_waiting_list(client, app, open_event):
    for name in ("a", "b"):
        register(client, email=f"{name}@example.org")
    assert "Evenemanget är fullt" in text_of(client.get("/events/forum/register"))


def test_an_expired_registrations_link_no_longer_confirms(client, app, smtp, open_event):
    register(client)
    deliver(app)
    confirm_path = link_in(smtp.last("anna@example.org"), r"https?://\S+/confirm")
    with app.test_request_context():
        services.expire_unconfirmed(utcnow() + timedelta(hours=25))
        db.session.commit()
    response = client.post(confirm_path, data={"csrf_token": csrf_token(client, confirm_path)},
                           follow_redirects=True)
    page = text_of(response)
    assert "Anmälan är avbokad eller har gått ut och kan inte längre ändras." in page
    assert "Utgången: e-postadressen bekräftades aldrig" in page
    assert registration(app).state is RegistrationState.EXPIRED
    with app.app_context():
        assert f.seats_taken(open_event) == 0


def test_the_personal_page_offers_the_personal_agenda_to_subscribe_to(client, app, smtp, open_event):
    register(client)
    deliver(app)
    manage_path = confirm_from_mail(client, smtp)
    import re

    html = client.get(manage_path).get_data(as_text=True)
    [agenda] = re.findall(r'href="webcal://localhost(/agenda/\d+/[\w-]+\.ics)"', html)
    assert manage_path.rsplit("/", 1)[1] not in agenda  # not the personal page's token
    feed = client.get(agenda)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
