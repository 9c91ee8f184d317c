"""Rows whose uniqueness the database decides, under concurrency."""

from collections.abc import Callable
from typing import TypeVar

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
