"""An administrator connects the YouTube channel through Google's OAuth web flow (Google stood in for on loopback)."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from conference.press import broadcasts
from conference.streaming.youtube import SCOPE
from tests.conftest import post_form
from tests.pages import text_of

pytestmark = pytest.mark.usefixtures("only_loopback", "backoff_sleeps")


@pytest.fixture
def configured(app, client_config, tmp_path):
    secrets_file = tmp_path / "client_secret.json"
    secrets_file.write_text(json.dumps(client_config))
    app.config.update(YOUTUBE_CLIENT_SECRETS_FILE=str(secrets_file),
                      YOUTUBE_CREDENTIALS_FILE=str(tmp_path / "youtube.json"))
    yield
    app.config.update(YOUTUBE_CLIENT_SECRETS_FILE="", YOUTUBE_CREDENTIALS_FILE=str(tmp_path / "none.json"))


def start_connecting(admin_client) -> dict:
    response = post_form(admin_client, "/manage/youtube/connect", {})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc == "accounts.google.com"
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def test_connecting_asks_google_for_lasting_access_to_the_channel(admin_client, configured):
    query = start_connecting(admin_client)
    assert query["access_type"] == "offline" and query["prompt"] == "consent"
    assert query["scope"] == SCOPE
    assert query["redirect_uri"] == "http://localhost/manage/youtube/callback"
    assert query["state"]


def test_the_callback_stores_the_credentials_where_no_page_shows_them(admin_client, app, configured, google_api):
    state = start_connecting(admin_client)["state"]
    response = admin_client.get(f"/manage/youtube/callback?state={state}&code=4/abc&scope={SCOPE}")
    assert response.status_code == 302
    with app.app_context():
        stored = json.loads(broadcasts.credentials_path().read_text())
    assert stored["refresh_token"]
    page = admin_client.get("/manage/youtube/").get_data(as_text=True)
    assert "En kanal är ansluten." in text_of(page)
    assert stored["refresh_token"] not in page and stored["token"] not in page
    [token_call] = google_api.token_requests
    assert token_call.body["grant_type"] == "authorization_code" and token_call.body["code"] == "4/abc"


def test_a_forged_state_is_refused_and_nothing_stored(admin_client, app, configured, google_api):
    start_connecting(admin_client)
    response = admin_client.get("/manage/youtube/callback?state=forged&code=4/abc", follow_redirects=True)
    assert "Svaret från Google stämde inte med vår begäran." in text_of(response)
    with app.app_context():
        assert not broadcasts.is_connected()
    assert google_api.token_requests == []


def test_only_administrators_connect_the_channel(client, app, configured):
    from conference.extensions import db
    from tests import factories as f
    from tests.conftest import log_in

    with app.app_context():
        f.user("o@example.org", organiser_of_all=True)
        db.session.commit()
    log_in(client, "o@example.org")
    assert client.get("/manage/youtube/").status_code == 403
    assert post_form(client, "/manage/youtube/connect", {}).status_code == 403


def test_without_the_oauth_client_the_administrator_is_told_what_to_configure(admin_client, app):
    app.config["YOUTUBE_CLIENT_SECRETS_FILE"] = ""
    response = post_form(admin_client, "/manage/youtube/connect", {}, follow_redirects=True)
    assert "YOUTUBE_CLIENT_SECRETS_FILE" in text_of(response)
