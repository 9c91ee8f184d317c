"""Who may do what: administrators, organisers (of some events or all), press officers."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import select

from conference.core.models import Grant, Role, User


def is_organiser(user: User) -> bool:
    """Organisers and administrators edit the shared register (organisations, people, series)."""
    return user.is_authenticated and (user.is_admin or any(g.role is Role.ORGANISER for g in user.grants))


def organises_all_events(user: User) -> bool:
    return user.is_admin or any(g.role is Role.ORGANISER and g.event_id is None for g in user.grants)


def can_manage_event(user: User, event) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_admin or any(
        g.role is Role.ORGANISER and g.event_id in (None, event.id) for g in user.grants)


def can_review_press(user: User, event) -> bool:
    """Press officers of the event (or of all events), and whoever organises it."""
    if can_manage_event(user, event):
        return True
    return user.is_authenticated and any(
        g.role is Role.PRESS_OFFICER and g.event_id in (None, event.id) for g in user.grants)


def is_press_officer(user: User) -> bool:
    return user.is_authenticated and any(g.role is Role.PRESS_OFFICER for g in user.grants)


def managed_event_filter(user: User, event_class):
    """A WHERE clause restricting events to those the user organises."""
    if organises_all_events(user):
        return True
    granted = select(Grant.event_id).where(Grant.user_id == user.id, Grant.role == Role.ORGANISER,
                                           Grant.event_id.is_not(None))
    return event_class.id.in_(granted)


def organiser_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not is_organiser(current_user):
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped
