"""The migrations are the schema: after upgrading, they must describe exactly what the models say."""

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from conference.extensions import db


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
