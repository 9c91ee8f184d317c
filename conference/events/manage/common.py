"""What the organiser pages share: a form page, a confirmed deletion, a guard on the shared register."""

from flask import Response, abort, flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user

from conference.core.access import can_manage_event
from conference.events import forms, services
from conference.extensions import db


def guard_shared_entry(usage: services.Usage) -> None:
    """Organisations, people and series are shared by events: change one only if every event it
    shows on is yours (or you organise all events), so nobody rewrites another organiser's page."""
    foreign = [e for e in services.events_affected(usage) if not can_manage_event(current_user, e)]
    if foreign:
        abort(Response(render_template("manage/not_yours.html", count=len(foreign)), 403))


def delete_shared_entry(entry, name: str, usage: services.Usage, action: str, *, listed_at: str):
    """Delete an organisation, a person or a series from the register once the organiser confirms, and only if
    every event it shows on is theirs; cancelled or done, back to its list."""
    guard_shared_entry(usage)
    return confirm_delete(entry, name, usage, action, cancel_url=listed_at, done_url=listed_at)


def render_form(template: str, form, **context):
    return render_template(template, form=form, **context), 422 if form.errors else 200


def confirm_delete(obj, name: str, usage: services.Usage, action: str, *, cancel_url: str, done_url: str):
    """Show what still uses the object and delete it only when the organiser confirms."""
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        services.delete(obj, action)
        db.session.commit()
        flash(_("“%(name)s” was deleted.", name=name), "success")
        return redirect(done_url)
    return render_template("manage/confirm_delete.html", form=form, name=name, usage=usage,
                           cancel_url=cancel_url)
