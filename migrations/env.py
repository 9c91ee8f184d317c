"""Alembic environment: the application's metadata and engine, online migrations only."""

from contextlib import contextmanager

from alembic import context
from flask import current_app

database = current_app.extensions["migrate"].db


@contextmanager
def sqlite_foreign_keys_deferred(connection):
    """On SQLite, batch mode rebuilds a table by copying it, dropping the original and renaming the copy.

    With foreign keys enforced, dropping the original would cascade to every row that refers to it
    (a session's speakers, an event's feedback windows). SQLite only changes the setting outside a
    transaction, so it is switched off on the raw connection before Alembic begins, and the keys are
    checked once everything has moved: a migration that leaves a dangling reference fails.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.dbapi_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        dangling = raw.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            raise RuntimeError(f"the migration left rows that refer to missing rows: {dangling[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def run_migrations_online() -> None:
    with database.engine.connect() as connection:
        options = {
            **current_app.extensions["migrate"].configure_args,
            "compare_type": True,
            # SQLite cannot ALTER most things; batch mode rebuilds the table instead
            "render_as_batch": connection.dialect.name == "sqlite",
        }
        with sqlite_foreign_keys_deferred(connection):
            context.configure(connection=connection, target_metadata=database.metadata, **options)
            with context.begin_transaction():
                context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `flask db upgrade`.")
run_migrations_online()
