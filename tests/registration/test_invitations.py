"""Invitation-only events: invite one by one or by CSV; invitees accept or decline from their link."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from conference.core.jobs import Job, JobState, run_due
from conference.core.timeutil import utcnow
from conference.events import services as event_services
from conference.events.models import Event, EventSeries, RegistrationPolicy
from conference.extensions import db
from conference.outbox.models import OutboxMessage
from conference.registration import invitations
from conference.registration import jobs as registration_jobs
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


def run_worker(app, now=None) -> int:
    """One turn of `flask worker --once`: the worker writes an uploaded file's invitations."""
    with app.app_context():
        done = run_due(now or utcnow())
        db.session.remove()
        return done


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
    run_worker(app)  # writes the three invitations
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


# ---------------------------------------------------------------- the mail of an upload is the worker's

SEND_INVITATIONS = "registration.jobs.send_invitations"


def invitees(count: int) -> bytes:
    return ("name,email\n" + "".join(f"Person {n},p{n}@example.org\n" for n in range(1, count + 1))).encode()


def queued_recipients(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(OutboxMessage.recipient)))


def queue_the_job_again(app):
    """As if a second worker took the job over after the first one's claim lapsed."""
    with app.app_context():
        db.session.execute(update(Job).where(Job.name == SEND_INVITATIONS)
                           .values(state=JobState.QUEUED, due_at=utcnow()))
        db.session.commit()


def test_an_upload_queues_one_job_and_no_mail_in_the_request(admin_client, app, workshop):
    response = upload(admin_client, invitees(12))
    assert response.status_code == 302
    with app.app_context():
        [job] = db.session.scalars(select(Job).where(Job.name == SEND_INVITATIONS)).all()
        batch = db.session.scalar(select(Invitation.batch).limit(1))
        assert (job.state, job.payload) == (JobState.QUEUED, {"batch": batch})
        assert db.session.scalar(select(func.count(Invitation.id))) == 12
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_the_worker_writes_each_invitation_of_an_upload_once(admin_client, app, monkeypatch, workshop):
    monkeypatch.setattr(registration_jobs, "MAIL_CHUNK", 5)  # three chunks
    upload(admin_client, invitees(12))
    run_worker(app)
    assert queued_recipients(app) == sorted(f"p{n}@example.org" for n in range(1, 13))
    with app.app_context():
        assert set(db.session.scalars(select(OutboxMessage.batch))) == set(db.session.scalars(select(Invitation.batch)))
        assert db.session.scalar(select(func.count(Invitation.id)).where(Invitation.mailed_at.is_(None))) == 0

    queue_the_job_again(app)
    run_worker(app)
    assert len(queued_recipients(app)) == 12


def test_a_failure_half_way_keeps_the_mail_written_and_the_retry_writes_the_rest_once(admin_client, app, smtp,
                                                                                     monkeypatch, workshop):
    monkeypatch.setattr(registration_jobs, "MAIL_CHUNK", 2)
    written = []
    send_invitation = invitations.send_invitation

    def fail_on_the_fourth(invitation):
        if len(written) == 3:
            raise RuntimeError("the mail of the fourth invitee cannot be written")
        written.append(invitation.email)
        send_invitation(invitation)

    monkeypatch.setattr(invitations, "send_invitation", fail_on_the_fourth)
    response = upload(admin_client, invitees(5))
    run_worker(app)
    assert queued_recipients(app) == ["p1@example.org", "p2@example.org"]  # the first chunk, committed
    with app.app_context():
        retry = db.session.scalar(select(Job).where(Job.name == SEND_INVITATIONS))
        assert (retry.state, retry.attempts) == (JobState.QUEUED, 1)
    assert "2 av 5" not in text_of(admin_client.get(response.headers["Location"]))  # nothing delivered yet
    assert "0 av 5" in text_of(admin_client.get(response.headers["Location"]))

    monkeypatch.setattr(invitations, "send_invitation", send_invitation)
    run_worker(app, retry.due_at)
    deliver(app)
    assert queued_recipients(app) == [f"p{n}@example.org" for n in range(1, 6)]
    assert sorted(m["To"] for m in smtp.messages) == [f"Person {n} <p{n}@example.org>" for n in range(1, 6)]
    assert "5 av 5" in text_of(admin_client.get(response.headers["Location"]))


def test_an_invitee_whose_invitation_is_still_to_be_written_gets_no_cancellation_and_no_invitation(
        admin_client, app, workshop):
    upload(admin_client, invitees(3))
    with app.test_request_context():  # the organiser cancels before the worker has written the invitations
        event = db.session.get(Event, workshop)
        event_services.cancel_event(event, now=utcnow())
        db.session.commit()
    run_worker(app)
    assert queued_recipients(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id)).where(Invitation.mailed_at.is_(None))) == 0


SERIES_FORM = {"name": "Workshop för kommuner", "kind": "workshop", "format": "on_site",
               "timezone": "Europe/Stockholm", "starts_at_time": "14:00", "duration_minutes": "120",
               "first_date": "", "interval_weeks": "", "count": "", "dates": "", "venue": "Göteborg",
               "contact_name": "Eva", "contact_email": "eva@example.org", "capacity": "30", "summary": ""}


@pytest.mark.parametrize("dates, mails_each", [
    ({"first_date": "2031-10-14", "interval_weeks": "2", "count": "3"}, 1),  # one invitation with an RRULE
    ({"dates": "2031-03-10\n2031-05-19\n2031-09-22"}, 3),  # one invitation per meeting
])
def test_the_worker_writes_a_series_lists_invitations_once(admin_client, app, dates, mails_each):
    assert post_form(admin_client, "/manage/series/meetings/new", {**SERIES_FORM, **dates}).status_code == 302
    with app.app_context():
        series_id = db.session.scalar(select(EventSeries.id))
    response = post_form(admin_client, f"/manage/series/{series_id}/invitations/upload",
                         {"upload-file": (io.BytesIO(invitees(4)), "kommuner.csv"), "upload-language": "sv"},
                         content_type="multipart/form-data")
    assert response.status_code == 302
    assert queued_recipients(app) == []
    run_worker(app)
    queue_the_job_again(app)
    run_worker(app)
    assert queued_recipients(app) == sorted(f"p{n}@example.org" for n in range(1, 5) for _ in range(mails_each))
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 12
        assert db.session.scalar(select(func.count(Invitation.id)).where(Invitation.mailed_at.is_(None))) == 0
