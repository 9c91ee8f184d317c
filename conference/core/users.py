"""Organiser accounts and their roles: the rules shared by the admin pages and the CLI."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from conference.core import audit
from conference.core.addresses import normalise_email
from conference.core.errors import Refusal
from conference.core.models import Grant, Role, User
from conference.extensions import db

MIN_PASSWORD_LENGTH = 10


class AccountError(Refusal):
    """A change to an account that the rules refuse."""

    messages = {
        "email_taken": _l("An account with this e-mail address exists already."),
        "password_too_short": _l("The password must have at least 10 characters."),
        "grant_exists": _l("The person has this role already."),
        "cannot_demote_self": _l("You cannot remove your own administrator rights or deactivate yourself."),
        "no_such_grant": _l("That role had already been removed."),
    }
    fields = {"email_taken": "email", "password_too_short": "password", "grant_exists": "role",
              "cannot_demote_self": "is_admin"}


def create_user(email: str, name: str, password: str, *, is_admin: bool = False) -> User:
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError("email_taken")
    check_password_strength(password)
    user = User(email=email, name=name.strip(), is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    audit.record("user.created", user, email=email, is_admin=is_admin)
    return user


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short")


def set_password(user: User, password: str) -> None:
    check_password_strength(password)
    user.set_password(password)
    audit.record("user.password_changed", user)


def grant(user: User, role: Role, event_id: int | None) -> Grant:
    if any(g.role is role and g.event_id == event_id for g in user.grants):
        raise AccountError("grant_exists")
    new_grant = Grant(user=user, role=role, event_id=event_id)
    db.session.add(new_grant)
    audit.record("user.granted", user, role=role.value, event_id=event_id)
    return new_grant


def revoke(user: User, grant_id: int) -> None:
    existing = next((g for g in user.grants if g.id == grant_id), None)
    if existing is None:
        raise AccountError("no_such_grant")
    user.grants.remove(existing)
    audit.record("user.revoked", user, role=existing.role.value, event_id=existing.event_id)


def update_account(user: User, *, name: str, is_admin: bool, active: bool, acting_user: User) -> None:
    # an administrator cannot lock themselves out by accident
    if user.id == acting_user.id and (not is_admin or not active):
        raise AccountError("cannot_demote_self")
    user.name = name.strip()
    user.is_admin = is_admin
    user.active = active
    audit.record("user.updated", user, is_admin=is_admin, active=active)
