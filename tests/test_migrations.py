"""The migrations are the schema: after upgrading, they must describe exactly what the models say."""

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from conference.calendars import itip
from conference.core.jobs import Job
from conference.consultation.processes.models import ProcessMeeting
from conference.consultation.proposals.models import MeetingTopic
from conference.events.models import Event, EventSeries, Session
from conference.extensions import db
from conference.press.models import StreamSettings
from conference.registration.models import EventPlaces
from tests import factories as f


def schema_differences(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, db.metadata)


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        assert schema_differences(connection) == []


def test_every_model_table_is_created_by_the_migrations(app):
    with app.app_context():
        created = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= created


def test_migrations_downgrade_to_nothing_and_upgrade_again(app):
    with app.app_context():
        flask_migrate.downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            assert schema_differences(connection) == []


# ---------------------------------------------------------------- data migrations, on the demo data

# the schema before the features took their own state off the event, session and series rows
BEFORE_FEATURE_STATE = "e12db87a44cc"
# surrogate keys of rows that a migration rebuilds: what they hold is compared, not their numbering
REBUILT_KEYS = {("calendar_state", "id")}


def snapshot(connection) -> dict[str, list[tuple]]:
    """Every row of every table the models know, as sortable tuples."""
    tables = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if (table.name, c.name) not in REBUILT_KEYS]
        rows = connection.execute(select(*columns)).all()
        tables[table.name] = sorted((tuple(repr(value) for value in row) for row in rows))
    return tables


def give_calendars_a_history() -> dict[str, int]:
    """Calendars told of changes: sequences and fingerprints on an event, a session and a weekly series."""
    event = db.session.scalar(select(Event).order_by(Event.id))
    session = db.session.scalar(select(Session).order_by(Session.id))
    series = db.session.scalar(select(EventSeries).order_by(EventSeries.id))
    for owner, sequence in ((event, 3), (session, 2), (series, 5)):
        state = itip.state_of(owner)
        state.sequence = sequence
        state.fingerprint = "f" * 64 if owner is not series else ""
    db.session.commit()
    return {"event": event.id, "programme_session": session.id, "event_series": series.id}


def test_the_demo_data_survives_each_feature_taking_its_state_off_the_event(app):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        owners = give_calendars_a_history()
        places = dict(db.session.execute(select(EventPlaces.event_id, EventPlaces.taken)).all())
        meetings = dict(db.session.execute(select(ProcessMeeting.event_id, ProcessMeeting.process_id)).all())
        topics = dict(db.session.execute(select(MeetingTopic.event_id, MeetingTopic.proposal_id)).all())
        audiences = {event_id: audience.value for event_id, audience in db.session.execute(
            select(StreamSettings.event_id, StreamSettings.audience)).all()}
        db.session.remove()  # no transaction of ours may hold a lock while the schema changes
        with db.engine.connect() as connection:
            before = snapshot(connection)
        assert sum(len(rows) for rows in before.values()) > 100  # the demo, not an empty database

        flask_migrate.downgrade(revision=BEFORE_FEATURE_STATE)
        with db.engine.connect() as connection:
            # in the older schema the values are columns of their owners again
            sequences = {table: connection.execute(text(f"SELECT calendar_sequence FROM {table} WHERE id = :id"),
                                                   {"id": owner_id}).scalar_one()
                         for table, owner_id in owners.items()}
            seats = dict(connection.execute(text("SELECT id, seats_taken FROM event WHERE seats_taken > 0")).all())
            in_process = dict(connection.execute(text("SELECT id, process_id FROM event "
                                                      "WHERE process_id IS NOT NULL")).all())
            with_topic = dict(connection.execute(text("SELECT id, topic_proposal_id FROM event "
                                                      "WHERE topic_proposal_id IS NOT NULL")).all())
            streamed = dict(connection.execute(text("SELECT id, stream_audience FROM event "
                                                    "WHERE stream_audience <> 'press'")).all())
        assert sequences == {"event": 3, "programme_session": 2, "event_series": 5}
        assert seats == places and sum(seats.values()) > 0
        assert in_process == meetings and with_topic == topics and topics
        assert streamed == audiences and "press_and_registrants" in streamed.values()

        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            assert snapshot(connection) == before


def test_foreign_keys_are_enforced_again_after_migrating(app):
    with app.app_context():
        flask_migrate.downgrade(revision=BEFORE_FEATURE_STATE)
        flask_migrate.upgrade()
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        event = Event(slug="x", title="X", kind=f.EventKind.CONFERENCE, format=f.EventFormat.DIGITAL,
                      starts_at=f.local(2031, 1, 1), ends_at=f.local(2031, 1, 2))
        db.session.add(event)
        db.session.flush()
        db.session.add(Session(event_id=event.id, title="S", starts_at=event.starts_at, ends_at=event.ends_at))
        db.session.commit()
        db.session.execute(text("DELETE FROM event"))
        db.session.commit()
        assert db.session.scalar(select(Session.id)) is None  # the cascade ran: the keys are on


def test_going_below_the_worker_refuses_while_jobs_are_still_to_run(app):
    with app.app_context():
        db.session.add(Job(name="press.jobs.move_broadcast", payload={"event_id": 1}))
        db.session.commit()
        db.session.remove()
        with pytest.raises(SystemExit):  # Flask-Migrate reports the refusal and exits
            flask_migrate.downgrade(revision="8e27ef790845")
        with db.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
        assert "job" in tables  # stopped at the worker's revision: the job is kept
        flask_migrate.upgrade()
        assert db.session.scalar(select(Job.name)) == "press.jobs.move_broadcast"
