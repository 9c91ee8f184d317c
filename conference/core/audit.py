"""Audit rows ride in the caller's transaction."""

from typing import Any

from flask_login import current_user

from conference.core.models import AuditEntry
from conference.extensions import db


def record(action: str, obj: Any, *, user_id: int | None = None, **detail: Any) -> AuditEntry:
    if user_id is None:
        user_id = _current_user_id()
    db.session.flush()  # so that a new object has its id
    entry = AuditEntry(action=action, object_type=type(obj).__name__, object_id=getattr(obj, "id", None),
                       user_id=user_id, detail=detail)
    db.session.add(entry)
    return entry


def _current_user_id() -> int | None:
    try:
        return current_user.id if current_user.is_authenticated else None
    except (AttributeError, RuntimeError):  # outside a request (CLI, worker)
        return None
