"""Administrators manage organiser accounts and roles in the web UI."""

from sqlalchemy import func, select

from conference.core.models import Grant, Role, User
from conference.extensions import db
from tests import factories as f
from tests.conftest import log_in, post_form
from tests.pages import text_of


def test_an_administrator_creates_an_account_that_can_log_in(admin_client, app, client):
    response = post_form(admin_client, "/manage/users/new",
                         {"email": "ny@example.org", "name": "Ny Arrangör", "password": "ett långt lösenord"})
    assert response.status_code == 302
    other = app.test_client()
    log_in(other, "ny@example.org", "ett långt lösenord")
    assert other.get("/manage/").status_code == 403  # no role yet: nothing to organise


def test_an_administrator_gives_a_role_on_one_event_and_takes_it_back(admin_client, app):
    with app.app_context():
        e = f.event("forum", title="Forum")
        u = f.user("o@example.org")
        db.session.commit()
        user_id, event_id = u.id, e.id
    response = post_form(admin_client, f"/manage/users/{user_id}/grants",
                         {"grant-role": "organiser", "grant-event_id": event_id})
    assert response.status_code == 302
    assert "Arrangör: Forum" in text_of(admin_client.get(f"/manage/users/{user_id}"))
    organiser = app.test_client()
    log_in(organiser, "o@example.org")
    assert organiser.get("/manage/events/forum/").status_code == 200

    again = post_form(admin_client, f"/manage/users/{user_id}/grants",
                      {"grant-role": "organiser", "grant-event_id": event_id})
    assert again.status_code == 422
    with app.app_context():
        grant_id = db.session.scalar(select(Grant.id))
        assert db.session.scalar(select(func.count(Grant.id))) == 1
    post_form(admin_client, f"/manage/users/{user_id}/grants/{grant_id}/remove", {})
    assert organiser.get("/manage/events/forum/").status_code == 403


def test_a_taken_address_and_a_short_password_are_refused_beside_their_fields(admin_client, app):
    response = post_form(admin_client, "/manage/users/new",
                         {"email": "admin@example.org", "name": "", "password": "ett långt lösenord"})
    assert response.status_code == 422 and 'id="email-error"' in response.get_data(as_text=True)
    response = post_form(admin_client, "/manage/users/new", {"email": "x@example.org", "name": "", "password": "kort"})
    assert response.status_code == 422 and 'id="password-error"' in response.get_data(as_text=True)
    assert 'value="x@example.org"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_an_administrator_cannot_deactivate_themselves(admin_client, app, admin):
    response = post_form(admin_client, f"/manage/users/{admin}", {"name": "Admin", "is_admin": "y"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(User, admin).active


def test_a_deactivated_account_is_logged_out_at_once(admin_client, app):
    with app.app_context():
        u = f.user("o@example.org", organiser_of_all=True)
        db.session.commit()
        user_id = u.id
    organiser = app.test_client()
    log_in(organiser, "o@example.org")
    post_form(admin_client, f"/manage/users/{user_id}", {"name": "O"})  # active unticked
    assert organiser.get("/manage/").status_code == 302


def test_only_administrators_reach_the_accounts(client, app):
    with app.app_context():
        f.user("o@example.org", organiser_of_all=True)
        db.session.commit()
    log_in(client, "o@example.org")
    assert client.get("/manage/users/").status_code == 403
    assert post_form(client, "/manage/users/new", {"email": "x@example.org", "password": "ett långt lösenord"},
                     ).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_a_press_officer_role_can_be_given_for_an_event(admin_client, app):
    with app.app_context():
        e = f.event("forum")
        u = f.user("p@example.org")
        db.session.commit()
        user_id, event_id = u.id, e.id
    post_form(admin_client, f"/manage/users/{user_id}/grants", {"grant-role": "press_officer",
                                                                "grant-event_id": event_id})
    with app.app_context():
        assert db.session.scalar(select(Grant.role)) is Role.PRESS_OFFICER


def test_a_failed_role_grant_keeps_the_account_form_as_it_was(admin_client, app):
    with app.app_context():
        e = f.event("forum")
        u = f.user("o@example.org", admin=True)
        db.session.commit()
        user_id, event_id = u.id, e.id
    post_form(admin_client, f"/manage/users/{user_id}/grants", {"grant-role": "organiser", "grant-event_id": event_id})
    response = post_form(admin_client, f"/manage/users/{user_id}/grants",
                         {"grant-role": "organiser", "grant-event_id": event_id})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="is_admin" name="is_admin" type="checkbox" value="y"' in html and 'id="active"' in html
    assert html.count("checked") >= 2
