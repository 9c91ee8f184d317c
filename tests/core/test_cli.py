from sqlalchemy import func, select

from conference.core.models import Grant, Role, User
from conference.events.models import Event, EventOrganisation, Organisation, Session
from conference.extensions import db
from tests import factories as f
from tests.conftest import log_in
from tests.pages import text_of


def test_users_create_reads_the_password_from_standard_input_and_the_user_can_log_in(app, client):
    result = app.test_cli_runner().invoke(args=["users", "create", "--email", "Chef@Example.org", "--role", "admin"],
                                          input="a long enough password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "chef@example.org" and user.is_admin
        assert user.password_hash != "a long enough password"
    log_in(client, "chef@example.org", "a long enough password")
    assert client.get("/manage/").status_code == 200


def test_users_create_can_limit_an_organiser_to_one_event(app):
    with app.app_context():
        f.event("forum")
        db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "o@example.org", "--role", "organiser", "--event", "forum"],
        input="a long enough password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        grant = db.session.scalar(select(Grant))
        assert grant.role is Role.ORGANISER and grant.event_id is not None


def test_users_create_refuses_a_bad_address_a_short_password_and_a_duplicate(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "create", "--email", "not-an-address"], input="long enough pw\n").exit_code == 2
    assert runner.invoke(args=["users", "create", "--email", "a@example.org"], input="short\n").exit_code == 2
    assert runner.invoke(args=["users", "create", "--email", "a@example.org"], input="long enough pw\n").exit_code == 0
    again = runner.invoke(args=["users", "create", "--email", "a@example.org"], input="long enough pw\n")
    assert again.exit_code == 2 and "exists already" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_demo_load_gives_the_domain_events_and_a_working_login(app, client):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        forum = db.session.scalar(select(Event).where(Event.slug == "integrationsforum-2020"))
        assert forum.local_date.isoformat() == "2020-11-26" and forum.format.value == "digital"
        co_organisers = {link.organisation.name for link in forum.organisation_links if link.role.value == "co_organiser"}
        assert co_organisers == {"Arbetsförmedlingen", "Migrationsverket", "Västra Götalandsregionen"}
        kinds = {e.kind.value for e in db.session.scalars(select(Event))}
        assert {"conference", "workshop", "consultation", "follow_up_dialogue"} <= kinds
        assert db.session.scalar(select(func.count(Session.id))) > 10
        addresses = [e.contact_email for e in db.session.scalars(select(Event))]
        assert all(a.endswith("@example.org") for a in addresses)
    page = text_of(client.get("/"))
    assert "Integrationsforum 2020" in page
    assert "Anmälan är öppen" in text_of(client.get(f"/events/{coming_forum_slug(app)}/"))
    log_in(client, "demo@example.org", "demo-organiser")
    assert client.get("/manage/").status_code == 200


def coming_forum_slug(app) -> str:
    with app.app_context():
        return db.session.scalar(select(Event.slug).where(Event.slug != "integrationsforum-2020",
                                                          Event.slug.like("integrationsforum-%")))


def test_demo_load_if_empty_leaves_an_existing_database_alone(app):
    with app.app_context():
        f.event("mine")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Event.id))) == 1
        assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_the_outbox_worker_writes_mail_to_files_when_no_server_is_configured(app, tmp_path):
    from email import message_from_bytes, policy

    from conference.outbox import services as outbox
    from conference.outbox.compose import Mail
    from conference.outbox.models import OutboxMessage, OutboxState

    app.config["MAIL_FILE_DIRECTORY"] = str(tmp_path)
    with app.test_request_context():
        outbox.enqueue(Mail(to_name="Anna", to_address="anna@example.org", subject="Välkommen", text="Hej Anna!",
                            html="<p>Hej Anna!</p>", reply_to="press@example.org"), kind="test")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "work", "--once"])
    assert result.exit_code == 0, result.output
    [written] = list(tmp_path.glob("*.eml"))
    message = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["To"] == "Anna <anna@example.org>" and message["Subject"] == "Välkommen"
    assert message["Reply-To"] == "press@example.org"
    assert message.get_body(("plain",)).get_content().strip() == "Hej Anna!"
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.state)) is OutboxState.SENT


def test_organiser_roles_are_unique_per_user_event_and_role(app):
    import pytest
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        user = f.user("x@example.org", organiser_of_all=True)
        db.session.commit()
        db.session.add(Grant(user_id=user.id, role=Role.ORGANISER, event_id=None))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_an_event_link_is_unique_per_organisation(app):
    import pytest
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        e, o = f.event("forum"), f.organisation()
        f.link(e, o)
        db.session.commit()
        db.session.add(EventOrganisation(event_id=e.id, organisation_id=o.id, role=f.OrganiserRole.PARTNER))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_demo_load_shows_a_finished_cycle_with_answers_a_summary_and_a_topic(app, client):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        from conference.consultation.processes.models import Process, ProcessMeeting

        current = db.session.scalar(select(Process).where(Process.previous_id.is_not(None)))
        last = current.previous
        samrad, sakrad = sorted((e for e in db.session.scalars(
            select(Event).join(ProcessMeeting).where(ProcessMeeting.process_id == last.id))),
                                key=lambda e: e.starts_at)
        slugs = current.slug, last.slug, samrad.slug, sakrad.slug
    current_page = text_of(client.get(f"/processes/{slugs[0]}"))
    assert "Föreslå en punkt till dagordningen" in current_page and "Tidigare omgångar" in current_page
    last_page = text_of(client.get(f"/processes/{slugs[1]}"))
    assert "Tas upp vid samrådet och fördjupas i ett sakråd." in last_page
    assert "Sammanslaget med ”Vägar till första jobbet”" in last_page
    assert "Exempel Exempelsson" not in last_page and "@example.org" not in last_page
    assert "Fördjupar: Vägar till första jobbet" in last_page
    assert "Tolv organisationer skickade synpunkter." in text_of(client.get(f"/events/{slugs[2]}/"))
    assert "Vägar till första jobbet" in text_of(client.get(f"/events/{slugs[3]}/")).split("Ämne", 1)[1]
