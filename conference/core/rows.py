"""Rows whose uniqueness the database decides, under concurrency."""

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from conference.extensions import db

Row = TypeVar("Row")


def insert_or_existing(row: Row, find_existing: Callable[[], Row | None]) -> tuple[Row, bool]:
    """Insert the row, or hand back the one a concurrent transaction stored first; whether it is new.

    The unique index decides, in a savepoint, so the caller's transaction goes on either way.
    """
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
        return row, True
    except IntegrityError:
        winner = find_existing()
        if winner is None:
            raise  # another constraint failed: a bug, not a race
        return winner, False


def get_or_insert(model: type[Row], **key: object) -> Row:
    """The row with this key, made now if there is none (by one of two requests that race for it).

    A key that is the primary key is looked up in the session first, without a query.
    """
    primary_key = sorted(column.key for column in inspect(model).primary_key)
    if sorted(key) == primary_key:
        def stored() -> Row | None:
            return db.session.get(model, key if len(key) > 1 else next(iter(key.values())))
    else:
        def stored() -> Row | None:
            return db.session.scalar(select(model).filter_by(**key))
    return stored() or insert_or_existing(model(**key), stored)[0]
