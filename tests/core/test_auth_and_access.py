import pytest

from conference.extensions import db
from tests import factories as f
from tests.conftest import csrf_token, log_in, post_form
from tests.pages import text_of

ORGANISER_PAGES = [
    "/manage/", "/manage/events/new", "/manage/series/", "/manage/series/new", "/manage/people/",
    "/manage/people/new", "/manage/organisations/", "/manage/organisations/new",
]


@pytest.fixture
def two_events(app):
    with app.app_context():
        a = f.event("event-a", title="Event A")
        b = f.event("event-b", title="Event B")
        f.user("a@example.org", organiser_of=[a])
        f.user("press@example.org", press_officer_of=[a])
        s = f.session(b, "B:s talk", b.starts_at)
        db.session.commit()
        return {"b_session": s.id}


@pytest.mark.parametrize("url", ORGANISER_PAGES + ["/manage/events/event-a/", "/manage/events/event-a/edit"])
def test_anonymous_visitors_are_sent_to_the_login(client, two_events, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_with_a_wrong_password_says_so_beside_the_field_and_keeps_the_address(client, two_events):
    response = client.post("/login", data={"email": "a@example.org", "password": "wrong",
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    page = text_of(response)
    assert "E-postadressen eller lösenordet är fel." in page
    assert 'value="a@example.org"' in response.get_data(as_text=True)
    assert client.get("/manage/").status_code == 302


def test_login_without_the_csrf_token_is_refused(client, two_events):
    response = client.post("/login", data={"email": "a@example.org", "password": f.PASSWORD})
    assert response.status_code == 400
    assert "ladda om" in text_of(response).lower()
    assert client.get("/manage/").status_code == 302


def test_login_returns_to_the_page_asked_for(client, two_events):
    response = client.post("/login?next=/manage/people/", data={
        "email": "A@Example.org ", "password": f.PASSWORD, "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/manage/people/"


def test_a_deactivated_account_cannot_log_in(client, app, two_events):
    with app.app_context():
        from conference.core.models import User
        user = db.session.scalar(db.select(User).where(User.email == "a@example.org"))
        user.active = False
        db.session.commit()
    response = client.post("/login", data={"email": "a@example.org", "password": f.PASSWORD,
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 422


def test_logging_out_needs_a_post_with_the_token(client, two_events):
    log_in(client, "a@example.org")
    assert client.get("/logout").status_code == 405
    response = post_form(client, "/logout", {})
    assert response.status_code == 302
    assert client.get("/manage/").status_code == 302


def test_an_organiser_of_event_a_sees_only_event_a(client, two_events):
    log_in(client, "a@example.org")
    page = text_of(client.get("/manage/"))
    assert "Event A" in page and "Event B" not in page
    assert client.get("/manage/events/event-a/").status_code == 200
    assert client.get("/manage/events/event-b/").status_code == 403
    assert client.get("/manage/events/event-b/edit").status_code == 403


def test_an_organiser_of_event_a_cannot_change_event_b(client, app, two_events):
    log_in(client, "a@example.org")
    response = post_form(client, "/manage/events/event-b/edit", {"title": "Hijacked"})
    assert response.status_code == 403
    response = post_form(client, f"/manage/events/event-b/sessions/{two_events['b_session']}/delete", {})
    assert response.status_code == 403
    response = post_form(client, "/manage/events/event-b/delete", {})
    assert response.status_code == 403
    with app.app_context():
        from conference.events.models import Event
        b = db.session.scalar(db.select(Event).where(Event.slug == "event-b"))
        assert b.title == "Event B" and len(b.sessions) == 1


def test_a_session_of_event_b_cannot_be_reached_through_event_a(client, two_events):
    log_in(client, "a@example.org")
    response = client.get(f"/manage/events/event-a/sessions/{two_events['b_session']}/edit")
    assert response.status_code == 404


def test_a_press_officer_has_no_programme_pages(client, two_events):
    log_in(client, "press@example.org")
    for url in ORGANISER_PAGES:
        assert client.get(url).status_code == 403, url
    assert client.get("/manage/events/event-a/").status_code == 403


def test_an_administrator_sees_every_event(admin_client, two_events):
    page = text_of(admin_client.get("/manage/"))
    assert "Event A" in page and "Event B" in page
    assert admin_client.get("/manage/events/event-b/").status_code == 200


def test_an_organiser_of_all_events_sees_every_event(client, app, two_events):
    with app.app_context():
        f.user("all@example.org", organiser_of_all=True)
        db.session.commit()
    log_in(client, "all@example.org")
    assert client.get("/manage/events/event-b/").status_code == 200


def test_the_403_page_is_in_the_users_language(client, two_events):
    log_in(client, "a@example.org")
    client.get("/language/en")
    response = client.get("/manage/events/event-b/")
    assert "You do not have access to this page" in text_of(response)
    client.get("/language/sv")
    assert "Du har inte behörighet till den här sidan" in text_of(client.get("/manage/events/event-b/"))


def test_organiser_pages_are_not_cached(client, two_events):
    log_in(client, "a@example.org")
    assert client.get("/manage/").headers["Cache-Control"] == "no-store"


@pytest.fixture(params=[0])
def limited_client(tmp_path, request):
    """An app of its own with the rate limits on; they are off for the rest of the suite.

    The parameter is the number of trusted reverse proxies in front of it.
    """
    import flask_migrate

    from conference import create_app
    from conference.extensions import limiter

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 20, "RATELIMIT_ENABLED": True,
                      "TRUSTED_PROXIES": request.param,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/limited.sqlite"})
    with app.app_context():
        flask_migrate.upgrade()
    yield app.test_client()
    # the limiter is one object shared by every app in this process
    limiter.reset()
    limiter.enabled = False


def failed_logins(client, count: int, forwarded_for: str | None = None) -> list[int]:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return [client.post("/login", data={"email": "a@example.org", "password": "guess",
                                        "csrf_token": csrf_token(client)}, headers=headers).status_code
            for _ in range(count)]


def test_login_attempts_are_rate_limited_per_client(limited_client):
    client = limited_client
    answers = [client.post("/login", data={"email": "a@example.org", "password": "guess",
                                           "csrf_token": csrf_token(client)}).status_code for _ in range(11)]
    assert answers[:10] == [422] * 10
    assert answers[10] == 429
    refused = client.post("/login", data={"email": "a@example.org", "csrf_token": csrf_token(client)})
    assert refused.status_code == 429
    assert "Vänta en minut och försök igen." in text_of(refused)


@pytest.mark.parametrize("limited_client", [1], indirect=True)
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(limited_client):
    assert failed_logins(limited_client, 11, "198.51.100.1") == [422] * 10 + [429]
    assert failed_logins(limited_client, 1, "198.51.100.2") == [422]  # another client behind the same proxy
    # a client cannot slip past by adding an address of its own: the proxy appends the one it saw
    assert failed_logins(limited_client, 1, "203.0.113.9, 198.51.100.1") == [429]


def test_without_a_trusted_proxy_a_forwarded_for_header_changes_nothing(limited_client):
    assert failed_logins(limited_client, 10, "198.51.100.1") == [422] * 10
    assert failed_logins(limited_client, 1, "198.51.100.2") == [429]


@pytest.mark.parametrize("url", ["/events/a%00b/", "/organisations/a%00b", "/api/v1/events/a%00b", "/?q=%00"])
def test_a_nul_byte_in_the_address_is_a_bad_request(client, url):
    assert client.get(url).status_code == 400


def test_a_nul_byte_in_a_form_is_a_bad_request(admin_client, app):
    response = post_form(admin_client, "/manage/people/new", {"name": "Eva\x00", "bio": ""})
    assert response.status_code == 400


def test_a_password_change_logs_out_the_other_sessions(admin_client, app, two_events):
    other = app.test_client()
    log_in(other, "a@example.org")
    with app.app_context():
        from conference.core.models import User
        user_id = db.session.scalar(db.select(User.id).where(User.email == "a@example.org"))
    response = post_form(admin_client, f"/manage/users/{user_id}",
                         {"name": "A", "active": "y", "new_password": "ett helt nytt lösenord"})
    assert response.status_code == 302
    assert other.get("/manage/").status_code == 302  # sent to the login
    log_in(other, "a@example.org", "ett helt nytt lösenord")
    assert other.get("/manage/").status_code == 200


def test_an_administrator_changing_their_own_password_stays_logged_in(admin_client, admin):
    post_form(admin_client, f"/manage/users/{admin}", {"name": "Admin", "is_admin": "y", "active": "y",
                                                       "new_password": "ett helt nytt lösenord"})
    assert admin_client.get("/manage/").status_code == 200


def test_a_press_officer_lands_on_the_start_page_after_login(client, two_events):
    response = log_in(client, "press@example.org")
    assert response.headers["Location"] == "/"


def test_unknown_api_addresses_answer_in_json(client):
    response = client.get("/api/v1/finns-inte")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not_found"}
