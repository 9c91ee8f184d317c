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
    transaction, so it is switched off on the raw connection before Alembic begins (and the keys are
    checked before the migration commits, in `run_migrations_online`).
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.dbapi_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def refuse_dangling_references(connection) -> None:
    """On SQLite, with the keys off: a migration that leaves a row pointing at nothing rolls back."""
    if connection.dialect.name != "sqlite":
        return
    # on the raw connection, inside the migration's transaction: through SQLAlchemy it would begin a
    # transaction of its own, still open when the keys are switched on again (which SQLite then ignores)
    dangling = connection.connection.dbapi_connection.execute("PRAGMA foreign_key_check").fetchall()
    if dangling:
        raise RuntimeError(f"the migration left rows that refer to missing rows: {dangling[:5]}")


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
                refuse_dangling_references(connection)


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `flask db upgrade`.")
run_migrations_online()
