"""Invitation-only events: invite one by one or by CSV; invitees accept or decline from their link."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from conference.core.timeutil import utcnow
from conference.events.models import RegistrationPolicy
from conference.extensions import db
from conference.outbox.models import OutboxMessage
from conference.registration.models import Invitation, InvitationState, Registration, RegistrationState
from tests import factories as f
from tests.conftest import csrf_token, post_form
from tests.pages import text_of
from tests.registration.conftest import deliver, link_in

ACCEPT = {"name": "Eva Kommun", "organisation_id": "0", "organisation_name": "Exempelkommun",
          "organisation_kind": "municipality", "stakeholder_group": "Handläggare", "accessibility_needs": "",
          "consent": "y"}


@pytest.fixture
def workshop(app):
    with app.app_context():
        e = f.event("workshop", title="Workshop för kommuner", starts_at=utcnow() + timedelta(days=20),
                    registration_policy=RegistrationPolicy.INVITATION_ONLY, capacity=1,
                    contact_email="workshop@example.org")
        db.session.commit()
        return e.id


def invite(admin_client, email="eva@example.org", name="Eva Kommun"):
    return post_form(admin_client, "/manage/events/workshop/invitations/",
                     {"one-name": name, "one-email": email, "one-organisation_name": "Exempelkommun",
                      "one-stakeholder_group": "Kommuner", "one-language": "sv"})


def test_an_invitee_accepts_from_the_mailed_link_and_is_registered(admin_client, app, smtp, workshop):
    assert invite(admin_client).status_code == 302
    deliver(app)
    mail = smtp.last("eva@example.org")
    assert mail["Subject"] == "Inbjudan: Workshop för kommuner"
    path = link_in(mail, r"https?://\S+/invitations/[\w-]+")

    guest = app.test_client()
    page = guest.get(path)
    assert 'value="Eva Kommun"' in page.get_data(as_text=True)
    response = guest.post(path, data={**ACCEPT, "csrf_token": csrf_token(guest, path)})
    assert response.status_code == 302 and response.headers["Location"].startswith("/r/")
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert registration.state is RegistrationState.CONFIRMED  # the link proved the address
        assert db.session.scalar(select(Invitation.state)) is InvitationState.ACCEPTED
    deliver(app)
    assert smtp.last("eva@example.org")["Subject"] == "Din anmälan till Workshop för kommuner är bekräftad"
    assert "Tackat ja 1" in text_of(admin_client.get("/manage/events/workshop/invitations/"))


def test_an_invitee_declines_and_the_organiser_sees_it(admin_client, app, smtp, workshop):
    invite(admin_client)
    deliver(app)
    path = link_in(smtp.last("eva@example.org"), r"https?://\S+/invitations/[\w-]+")
    guest = app.test_client()
    guest.post(path + "/decline", data={"decline-csrf_token": csrf_token(guest, path)})
    with app.app_context():
        assert db.session.scalar(select(Invitation.state)) is InvitationState.DECLINED
        assert db.session.scalar(select(func.count(Registration.id))) == 0
    again = guest.post(path, data={**ACCEPT, "csrf_token": csrf_token(guest, "/login")})
    assert again.status_code == 200  # the answered page, no form
    with app.app_context():
        assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_an_invitee_beyond_the_capacity_waits(admin_client, app, smtp, workshop):
    invite(admin_client, "a@example.org", "A")
    invite(admin_client, "b@example.org", "B")
    deliver(app)
    for address in ("a@example.org", "b@example.org"):
        guest = app.test_client()
        path = link_in(smtp.last(address), r"https?://\S+/invitations/[\w-]+")
        guest.post(path, data={**ACCEPT, "csrf_token": csrf_token(guest, path)})
    with app.app_context():
        states = dict(db.session.execute(select(Registration.email, Registration.state)).all())
    assert states == {"a@example.org": RegistrationState.CONFIRMED, "b@example.org": RegistrationState.WAITLISTED}


def test_the_same_address_is_not_invited_twice(admin_client, app, workshop):
    invite(admin_client)
    response = invite(admin_client, "EVA@example.org")
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 1


def upload(admin_client, content: bytes):
    return post_form(admin_client, "/manage/events/workshop/invitations/upload",
                     {"upload-file": (io.BytesIO(content), "inbjudna.csv"), "upload-language": "sv"},
                     content_type="multipart/form-data")


def test_a_csv_file_invites_everyone_and_shows_the_progress(admin_client, app, smtp, workshop):
    content = ("namn;e-post;organisation;grupp\n"
               "Anna;anna@example.org;Kommun A;Kommuner\n"
               "Bo;bo@example.org;Kommun B;Kommuner\n"
               "Cecilia;cecilia@example.org;Region C;Regioner\n").encode("utf-8-sig")
    response = upload(admin_client, content)
    assert response.status_code == 302 and "/outbox/?batch=" in response.headers["Location"]
    progress = admin_client.get(response.headers["Location"])
    assert "0 av 3" in text_of(progress) and 'http-equiv="refresh"' in progress.get_data(as_text=True)
    deliver(app)
    progress = admin_client.get(response.headers["Location"])
    assert "3 av 3" in text_of(progress)
    assert sorted(m["To"] for m in smtp.messages) == ["Anna <anna@example.org>", "Bo <bo@example.org>",
                                                       "Cecilia <cecilia@example.org>"]
    with app.app_context():
        groups = set(db.session.scalars(select(Invitation.stakeholder_group)))
        assert groups == {"Kommuner", "Regioner"}


def test_a_csv_file_with_a_bad_row_invites_nobody_and_names_the_rows(admin_client, app, workshop):
    content = b"name,email\nAnna,anna@example.org\n,bo@example.org\nCecilia,inte-en-adress\nAnna,anna@example.org\n"
    response = upload(admin_client, content)
    assert response.status_code == 422
    page = text_of(response)
    assert "Rad 3" in page and "Rad 4" in page and "Rad 5" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00garbage", b"just,some,columns\n1,2,3\n"])
def test_a_file_that_is_no_invitee_list_is_refused_clearly(admin_client, app, workshop, content):
    response = upload(admin_client, content)
    assert response.status_code == 422
    assert 'id="upload-file-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_addresses_already_invited_are_skipped_and_named(admin_client, app, workshop):
    invite(admin_client, "anna@example.org", "Anna")
    response = upload(admin_client, b"name,email\nAnna,anna@example.org\nBo,bo@example.org\n")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 2


def test_an_organiser_of_another_event_cannot_invite(client, app, workshop):
    from tests.conftest import log_in

    with app.app_context():
        f.user("other@example.org", organiser_of=[f.event("other")])
        db.session.commit()
    log_in(client, "other@example.org")
    assert client.get("/manage/events/workshop/invitations/").status_code == 403
    response = post_form(client, "/manage/events/workshop/invitations/",
                         {"one-name": "X", "one-email": "x@example.org", "one-language": "sv"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0
