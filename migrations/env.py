"""Alembic environment: the application's metadata and engine, online migrations only."""

from alembic import context
from flask import current_app

database = current_app.extensions["migrate"].db


def run_migrations_online() -> None:
    with database.engine.connect() as connection:
        options = {
            **current_app.extensions["migrate"].configure_args,
            "compare_type": True,
            # SQLite cannot ALTER most things; batch mode rebuilds the table instead
            "render_as_batch": connection.dialect.name == "sqlite",
        }
        context.configure(connection=connection, target_metadata=database.metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `flask db upgrade`.")
run_migrations_online()
