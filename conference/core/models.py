"""Organiser accounts, their roles, and the audit log."""

import enum
import secrets
from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from conference.core.timeutil import utcnow
from conference.core.types import UTCDateTime, enum_column
from conference.extensions import db


class Role(enum.Enum):
    ORGANISER = "organiser"
    PRESS_OFFICER = "press_officer"


class User(UserMixin, db.Model):
    """An organiser account; administrators manage users and settings."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # part of the login cookie: a new one (on a password change) logs out every other session
    session_token: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16),
                                               server_default="initial")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    grants: Mapped[list["Grant"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.session_token = secrets.token_hex(16)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Grant(db.Model):
    """A role for one user, on one event or (event_id empty) on every event."""

    __table_args__ = (
        UniqueConstraint("user_id", "role", "event_id", name="uq_grant_user_role_event"),
        # at most one "all events" grant per role; NULLs are distinct in a plain unique
        db.Index("uq_grant_all_events", "user_id", "role", unique=True,
                 sqlite_where=text("event_id IS NULL"), postgresql_where=text("event_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship(back_populates="grants")


class AuditEntry(db.Model):
    """Who changed what, and when; written in the same transaction as the change."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80))  # e.g. "event.updated"
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
