"""Administrator pages: organiser accounts and their roles."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from sqlalchemy import select

from conference.core import users
from conference.core.access import admin_required
from conference.accounts.forms import AccountForm, GrantForm, NewUserForm
from conference.core.forms import REFUSED, ConfirmForm, attempt, options
from conference.core.loading import get_or_404
from conference.core.models import Role, User
from conference.events.models import Event
from conference.extensions import db

bp = Blueprint("admin", __name__)

ROLE_LABELS = {Role.ORGANISER: _l("Organiser"), Role.PRESS_OFFICER: _l("Press officer")}


def grant_form() -> GrantForm:
    form = GrantForm(prefix="grant")
    form.role.choices = options((role.value, label) for role, label in ROLE_LABELS.items())
    events = db.session.scalars(select(Event).order_by(Event.starts_at.desc()))
    form.event_id.choices = options([(0, _("All events"))] + [(e.id, e.title) for e in events])
    return form


def event_titles() -> dict[int, str]:
    return dict(db.session.execute(select(Event.id, Event.title)).all())


def render_user(user: User, form=None, new_grant_form=None, status: int = 200):
    return render_template("admin/user.html", user=user, form=form or AccountForm(formdata=None, obj=user),
                           grant_form=new_grant_form or grant_form(), role_labels=ROLE_LABELS,
                           event_titles=event_titles()), status


@bp.route("/")
@admin_required
def user_list():
    accounts = db.session.scalars(select(User).order_by(User.email))
    return render_template("admin/users.html", users=list(accounts), role_labels=ROLE_LABELS,
                           event_titles=event_titles())


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        user = attempt(form, lambda: users.create_user(form.email.data, form.name.data or "", form.password.data,
                                                       is_admin=form.is_admin.data))
        if user is not REFUSED:
            flash(_("The account for %(email)s was created.", email=user.email), "success")
            return redirect(url_for(".user", user_id=user.id))
    return render_template("admin/new_user.html", form=form), 422 if form.errors else 200


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user(user_id):
    account = get_or_404(User, user_id)
    form = AccountForm(obj=account)
    if form.validate_on_submit():
        if attempt(form, lambda: save_account(account, form)) is not REFUSED:
            if account.id == current_user.id:
                login_user(account)  # a new password logs out other sessions, not this one
            flash(_("The account was saved."), "success")
            return redirect(url_for(".user", user_id=account.id))
    return render_user(account, form=form, status=422 if form.errors else 200)


def save_account(account: User, form: AccountForm) -> None:
    """The account as the form states it, with the new password if one was typed."""
    users.update_account(account, name=form.name.data or "", is_admin=form.is_admin.data,
                         active=form.active.data, acting_user=current_user)
    if form.new_password.data:
        users.set_password(account, form.new_password.data)


@bp.route("/<int:user_id>/grants", methods=["POST"])
@admin_required
def add_grant(user_id):
    account = get_or_404(User, user_id)
    form = grant_form()
    if form.validate_on_submit():
        if attempt(form, lambda: users.grant(account, Role(form.role.data), form.event_id.data or None)) is not REFUSED:
            flash(_("The role was given."), "success")
            return redirect(url_for(".user", user_id=account.id) + "#roles")
    return render_user(account, new_grant_form=form, status=422)


@bp.route("/<int:user_id>/grants/<int:grant_id>/remove", methods=["POST"])
@admin_required
def remove_grant(user_id, grant_id):
    account = get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(None, lambda: users.revoke(account, grant_id)) is not REFUSED:
        flash(_("The role was removed."), "success")
    return redirect(url_for(".user", user_id=account.id) + "#roles")
