"""Check-in at the door: one entry per person, clear refusals, only for the event's organisers."""

import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from conference.core.models import User
from conference.events.models import Event, EventFormat
from conference.extensions import db
from conference.registration import checkin, services
from conference.registration.models import CheckIn, Registration
from tests import factories as f
from tests.conftest import csrf_token, log_in

BEFORE_THE_EVENT = datetime(2030, 1, 10, 12, 0, tzinfo=timezone.utc)
NONCE = re.compile(r'name="scan"[^>]*value="([0-9a-f]+)"|value="([0-9a-f]+)"[^>]*name="scan"')


# ---------------------------------------------------------------- helpers

def on_site_event(slug="forum", **fields):
    return f.event(slug, format=EventFormat.ON_SITE, **fields)


def register(app, slug, name, email, *, confirmed=True) -> str:
    """A registration made as a person would make it; returns the ticket code."""
    with app.test_request_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        registration, _ = services.register(event, services.Applicant(name=name, email=email,
                                                                      organisation_name="Migrationsverket"),
                                            now=BEFORE_THE_EVENT, consent_version="test",
                                            email_confirmed=confirmed)
        db.session.commit()
        return services.ticket_code(registration)


def cancel(app, email):
    with app.test_request_context():
        registration = db.session.scalar(select(Registration).where(Registration.email_normalised == email))
        services.cancel(registration, BEFORE_THE_EVENT, by="self")
        db.session.commit()


def desk(client, slug="forum"):
    """The check-in page in English, and the scan nonce of the form it shows."""
    client.get("/language/en")
    response = client.get(f"/manage/events/{slug}/checkin")
    assert response.status_code == 200
    match = NONCE.search(response.get_data(as_text=True))
    assert match, "no scan nonce on the form"
    return match.group(1) or match.group(2)


def scan(client, code, *, slug="forum", nonce=None):
    nonce = nonce or desk(client, slug)
    return client.post(f"/manage/events/{slug}/checkin",
                       data={"code": code, "scan": nonce,
                             "csrf_token": csrf_token(client, f"/manage/events/{slug}/checkin")})


def check_ins(app):
    with app.app_context():
        return db.session.scalars(select(CheckIn).order_by(CheckIn.id)).all()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def answer(response) -> tuple[str, str, str]:
    """The answer box: its role, its heading, and its words without markup."""
    box = re.search(r'<div class="scan-result[^"]*" role="(\w+)">(.*?)</div>', text_of(response))
    assert box, "no answer on the page"
    heading = re.search(r"<h2>(.*?)</h2>", box.group(2)).group(1)
    return box.group(1), heading, re.sub(r"<[^>]+>", "", box.group(2)).strip()


@pytest.fixture
def event(app):
    with app.app_context():
        on_site_event()
        db.session.commit()
    return "forum"


@pytest.fixture
def anna(app, event):
    return register(app, event, "Anna Lindqvist", "anna@example.org")


# ---------------------------------------------------------------- checking in

def test_a_confirmed_ticket_checks_the_person_in_once_and_shows_name_and_organisation(app, admin_client, anna):
    response = scan(admin_client, anna)

    assert response.status_code == 200
    role, heading, words = answer(response)
    assert (role, heading) == ("status", "Checked in")
    assert "Anna Lindqvist" in words and "Migrationsverket" in words
    [entry] = check_ins(app)
    assert entry.by_user_id is not None and entry.undone_at is None


def test_the_same_ticket_scanned_twice_is_one_check_in_and_says_already_checked_in_by_whom_and_when(
        app, admin_client, anna):
    scan(admin_client, anna)
    [first] = check_ins(app)

    response = scan(admin_client, anna)

    assert response.status_code == 200
    role, heading, words = answer(response)
    assert (role, heading) == ("alert", "Already checked in")
    at = first.at.astimezone(f.STOCKHOLM).strftime("%H:%M")
    assert "Anna Lindqvist" in words and f"Checked in at {at} by admin." in words
    assert len(check_ins(app)) == 1


def test_a_retried_scan_with_the_same_nonce_is_one_check_in_and_the_same_success(app, admin_client, anna):
    nonce = desk(admin_client)
    first = scan(admin_client, anna, nonce=nonce)

    again = scan(admin_client, anna, nonce=nonce)

    assert again.status_code == 200
    assert answer(again) == answer(first) == ("status", "Checked in", answer(first)[2])
    assert "Anna Lindqvist" in answer(again)[2]
    [entry] = check_ins(app)
    assert entry.scan_nonce == nonce


def test_each_form_shown_carries_a_fresh_scan_nonce(admin_client, event):
    assert desk(admin_client) != desk(admin_client)


def test_the_code_typed_in_lower_case_with_spaces_and_hyphens_is_accepted(app, admin_client, anna):
    groups = [anna[i:i + 5] for i in range(0, len(anna), 5)]
    typed = f"  {groups[0].lower()}-{' '.join(groups[1:]).lower()} "

    response = scan(admin_client, typed)

    role, heading, words = answer(response)
    assert (role, heading) == ("status", "Checked in") and "Anna Lindqvist" in words
    assert len(check_ins(app)) == 1


def test_the_form_is_ready_for_the_next_code_after_an_answer(admin_client, anna):
    response = scan(admin_client, anna)

    page = response.get_data(as_text=True)
    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", page).group(0)
    assert "autofocus" in field and anna not in field


def test_an_empty_code_is_a_form_error_and_writes_nothing(app, admin_client, event):
    response = scan(admin_client, "   ")

    assert response.status_code == 422
    assert "Please correct the following" in text_of(response)
    assert check_ins(app) == []


def admit_past_the_checks(app, code, nonce):
    """What a desk does when its checks ran just before another request wrote the check-in."""
    with app.test_request_context():
        registration = services.by_ticket_code(code)
        user = db.session.scalar(select(User).where(User.email == "admin@example.org"))
        result = checkin.admit(registration, nonce, user, BEFORE_THE_EVENT)
        db.session.commit()
        return result.outcome


def test_when_another_desk_checked_the_person_in_a_moment_ago_the_database_refuses_a_second(
        app, admin_client, anna):
    scan(admin_client, anna)

    assert admit_past_the_checks(app, anna, checkin.new_scan_nonce()) is checkin.Outcome.ALREADY_CHECKED_IN
    assert len(check_ins(app)) == 1


def test_a_double_tap_racing_itself_is_one_check_in_and_a_success(app, admin_client, anna):
    nonce = desk(admin_client)
    scan(admin_client, anna, nonce=nonce)

    assert admit_past_the_checks(app, anna, nonce) is checkin.Outcome.CHECKED_IN
    assert len(check_ins(app)) == 1


# ---------------------------------------------------------------- refusals

def test_a_cancelled_ticket_is_refused(app, admin_client, anna):
    cancel(app, "anna@example.org")

    response = scan(admin_client, anna)

    assert response.status_code == 200
    assert answer(response)[:2] == ("alert", "Ticket not valid: the registration is cancelled")
    assert check_ins(app) == []


def test_a_ticket_of_another_event_is_refused_and_says_which_event(app, admin_client, event):
    with app.app_context():
        on_site_event("workshop", title="Workshop om bosättning")
        db.session.commit()
    elsewhere = register(app, "workshop", "Bo Ek", "bo@example.org")

    response = scan(admin_client, elsewhere)

    role, heading, words = answer(response)
    assert (role, heading) == ("alert", "Ticket for another event")
    assert "Workshop om bosättning" in words and "Bo Ek" not in words
    assert check_ins(app) == []


def test_an_unknown_code_is_refused(app, admin_client, event):
    response = scan(admin_client, "ABCDE-FGHJK-MNPQR-STUVW-XYZ23-4")

    assert response.status_code == 200
    assert answer(response)[:2] == ("alert", "Unknown code")
    assert check_ins(app) == []


def test_a_person_on_the_waiting_list_has_no_place_to_check_in(app, admin_client):
    with app.app_context():
        on_site_event(capacity=1)
        db.session.commit()
    register(app, "forum", "Anna Lindqvist", "anna@example.org")
    waiting = register(app, "forum", "Bo Ek", "bo@example.org")

    response = scan(admin_client, waiting)

    role, heading, words = answer(response)
    assert (role, heading) == ("alert", "No place: the registration is not confirmed")
    assert "waiting list" in words
    assert check_ins(app) == []


def test_a_registration_with_an_unconfirmed_address_is_refused(app, admin_client, event):
    pending = register(app, event, "Bo Ek", "bo@example.org", confirmed=False)

    response = scan(admin_client, pending)

    role, heading, words = answer(response)
    assert (role, heading) == ("alert", "No place: the registration is not confirmed")
    assert "not confirmed the e-mail address" in words
    assert check_ins(app) == []


def test_a_scan_nonce_we_did_not_hand_out_counts_as_a_new_scan():
    handed_out = checkin.new_scan_nonce()
    assert checkin.nonce_of(handed_out) == handed_out
    for forged in ("", None, "not-a-nonce", handed_out.upper(), handed_out + "0"):
        fresh = checkin.nonce_of(forged)
        assert fresh != forged and checkin.SCAN_NONCE.fullmatch(fresh)


# ---------------------------------------------------------------- undo

def test_an_undone_check_in_is_kept_and_the_person_can_be_checked_in_again(app, admin_client, anna):
    scan(admin_client, anna)
    [entry] = check_ins(app)

    undone = admin_client.post(f"/manage/events/forum/checkin/{entry.id}/undo",
                               data={"csrf_token": csrf_token(admin_client, "/manage/events/forum/checkin")})
    assert undone.status_code == 302
    again = scan(admin_client, anna)

    assert answer(again)[:2] == ("status", "Checked in")
    first, second = check_ins(app)
    assert first.undone_at is not None and first.undone_by_user_id == first.by_user_id
    assert second.undone_at is None


def test_the_latest_check_ins_are_listed_with_an_undo_button_and_the_counts(admin_client, anna):
    scan(admin_client, anna)

    page = text_of(admin_client.get("/manage/events/forum/checkin"))

    assert "Latest check-ins" in page and "Anna Lindqvist" in page
    assert re.search(r'action="/manage/events/forum/checkin/\d+/undo"', page)
    assert re.search(r"<dt>Checked in</dt>\s*<dd>1</dd>", page)
    assert re.search(r"<dt>Confirmed</dt>\s*<dd>1</dd>", page)


def test_undo_without_the_csrf_token_is_refused(app, admin_client, anna):
    scan(admin_client, anna)
    [entry] = check_ins(app)

    response = admin_client.post(f"/manage/events/forum/checkin/{entry.id}/undo")

    assert response.status_code == 400
    assert check_ins(app)[0].undone_at is None


def test_a_check_in_of_another_event_cannot_be_undone_from_this_one(app, admin_client, anna):
    with app.app_context():
        on_site_event("workshop")
        db.session.commit()
    scan(admin_client, anna)
    [entry] = check_ins(app)

    response = admin_client.post(f"/manage/events/workshop/checkin/{entry.id}/undo",
                                 data={"csrf_token": csrf_token(admin_client, "/manage/events/forum/checkin")})

    assert response.status_code == 404
    assert check_ins(app)[0].undone_at is None


# ---------------------------------------------------------------- who may

def test_an_organiser_of_another_event_may_not_check_in(app, client, anna):
    with app.app_context():
        other = on_site_event("workshop")
        f.user("other@example.org", organiser_of=[other])
        db.session.commit()
    log_in(client, "other@example.org")

    assert client.get("/manage/events/forum/checkin").status_code == 403
    response = client.post("/manage/events/forum/checkin",
                           data={"code": anna, "scan": "ab" * 16,
                                 "csrf_token": csrf_token(client, "/manage/events/workshop/checkin")})

    assert response.status_code == 403
    assert check_ins(app) == []


def test_an_organiser_of_another_event_may_not_undo(app, admin_client, anna):
    scan(admin_client, anna)
    [entry] = check_ins(app)
    with app.app_context():
        other = on_site_event("workshop")
        f.user("other@example.org", organiser_of=[other])
        db.session.commit()
    admin_client.post("/logout", data={"csrf_token": csrf_token(admin_client, "/manage/")})
    log_in(admin_client, "other@example.org")

    response = admin_client.post(f"/manage/events/forum/checkin/{entry.id}/undo",
                                 data={"csrf_token": csrf_token(admin_client, "/manage/events/workshop/checkin")})

    assert response.status_code == 403
    assert check_ins(app)[0].undone_at is None


def test_a_press_officer_of_the_event_may_not_check_in(app, client, anna):
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == "forum"))
        f.user("press@example.org", press_officer_of=[event])
        db.session.commit()
    log_in(client, "press@example.org")

    assert client.get("/manage/events/forum/checkin").status_code == 403
    response = client.post("/manage/events/forum/checkin",
                           data={"code": anna, "scan": "ab" * 16, "csrf_token": csrf_token(client, "/")})
    assert response.status_code == 403
    assert check_ins(app) == []


def test_an_organiser_of_the_event_may_check_in(app, client, anna):
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == "forum"))
        f.user("door@example.org", organiser_of=[event])
        db.session.commit()
    log_in(client, "door@example.org")

    response = scan(client, anna)

    assert answer(response)[:2] == ("status", "Checked in")
    with app.app_context():
        assert db.session.scalar(select(func.count(CheckIn.id))) == 1


def test_anonymous_visitors_are_sent_to_log_in(app, client, anna):
    response = client.get("/manage/events/forum/checkin")
    assert response.status_code == 302 and "/login" in response.headers["Location"]

    response = client.post("/manage/events/forum/checkin",
                           data={"code": anna, "scan": "ab" * 16, "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert check_ins(app) == []
