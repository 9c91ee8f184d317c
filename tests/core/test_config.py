import pytest

from conference import create_app


@pytest.mark.parametrize("secret", ["", "dev", "change-me", "short"])
def test_the_app_refuses_to_start_in_production_with_a_missing_or_weak_secret_key(monkeypatch, secret, tmp_path):
    monkeypatch.setenv("BASE_URL", "https://konferens.example.org")
    monkeypatch.setenv("SECRET_KEY", secret)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_the_app_starts_in_production_with_a_strong_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "a-random-value-that-is-long-enough")
    monkeypatch.setenv("BASE_URL", "https://konferens.example.org")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = create_app()
    assert app.config["SECRET_KEY"] == "a-random-value-that-is-long-enough"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "sv"


def test_a_postgres_url_is_given_the_psycopg_driver(monkeypatch):
    from conference.config import from_environment

    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example.org/conference")
    assert from_environment("/tmp")["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example.org/conference"


def test_the_embedded_default_is_sqlite_under_instance(monkeypatch):
    from conference.config import from_environment

    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = from_environment("/srv/app/instance")
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/app/instance/conference.sqlite"
    assert config["MAIL_FILE_DIRECTORY"] == "/srv/app/instance/mail"


def test_an_unexpected_error_shows_a_500_page_in_the_users_language(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 20, "PROPAGATE_EXCEPTIONS": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Något gick fel" in response.get_data(as_text=True)
    client.set_cookie("lang", "en")
    response = client.get("/boom")
    assert "Something went wrong" in response.get_data(as_text=True)


def test_the_app_refuses_to_start_in_production_without_its_public_address(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "a-random-value-that-is-long-enough")
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app()


def test_mail_links_use_the_public_address_whatever_host_the_request_names(app, client):
    """A forged Host header must not end up in the links we mail (a stolen personal link)."""
    from datetime import timedelta

    from conference.core.timeutil import utcnow
    from conference.extensions import db
    from conference.outbox.models import OutboxMessage
    from conference.outbox.services import parsed
    from tests import factories as f
    app.config["BASE_URL"] = "https://konferens.example.org"
    try:
        with app.app_context():
            f.event("forum", starts_at=utcnow() + timedelta(days=10), registration_opens_at=utcnow() - timedelta(days=1))
            db.session.commit()
        import re

        form = client.get("http://attacker.example/events/forum/register").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
        response = client.post("http://attacker.example/events/forum/register", data={
            "name": "Anna", "email": "anna@example.org", "organisation_id": "0", "organisation_name": "X",
            "organisation_kind": "ngo", "consent": "y", "csrf_token": token})
        assert response.status_code == 302
        with app.app_context():
            text = parsed(db.session.scalar(db.select(OutboxMessage))).get_body(("plain",)).get_content()
        assert "https://konferens.example.org/r/" in text and "attacker.example" not in text
    finally:
        app.config["BASE_URL"] = ""
