"""Loading rows named in a URL: a missing row is a 404, somebody else's a 404 too, a forbidden one a 403.

Every organiser and public view loads its rows through these, so no id, slug or token in a URL
can reach a row of another event, or answer 500.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import abort
from sqlalchemy import Select

from conference.extensions import db

Row = TypeVar("Row")


def get_or_404(model: type[Row], row_id: object) -> Row:
    """The row with this primary key; ids that are not numbers, or too large, are simply not found."""
    if isinstance(row_id, int) and not -(2**63) <= row_id < 2**63:
        abort(404)
    row = db.session.get(model, row_id)
    if row is None:
        abort(404)
    return row


def owned_or_404(model: type[Row], row_id: object, *, owner_column: str, owner_id: int) -> Row:
    """A row that must belong to the owner named in the same URL (an event, a process)."""
    row = get_or_404(model, row_id)
    if getattr(row, owner_column) != owner_id:
        abort(404)
    return row


def one_or_404(query: Select) -> Row:
    row = db.session.scalar(query)
    if row is None:
        abort(404)
    return row


def allowed_or_403(row: Row, may: Callable[[Row], bool]) -> Row:
    """The row, if the check allows the current user; otherwise 403."""
    if not may(row):
        abort(403)
    return row
