"""Organiser pages of a meeting's invited groups; each route checks the role on the event."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from conference.consultation.groups import services
from conference.consultation.groups.forms import invited_group_form
from conference.consultation.groups.models import InvitedGroup
from conference.core.access import organiser_required
from conference.core.forms import REFUSED, ConfirmForm, attempt
from conference.core.loading import owned_or_404
from conference.events.loading import managed_event_or_abort
from conference.events.models import Organisation
from conference.extensions import db

bp = Blueprint("groups_manage", __name__)

@bp.route("/groups", methods=["GET", "POST"])
@organiser_required
def invited_groups(slug):
    event = managed_event_or_abort(slug)
    form = invited_group_form()
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation_id.data) if form.organisation_id.data else None
        group = attempt(form, lambda: services.add_invited_group(event, name=form.name.data or "",
                                                                 organisation=organisation))
        if group is not REFUSED:
            flash(_("%(name)s was added to the invited groups.", name=group.name), "success")
            return redirect(url_for(".invited_groups", slug=slug))
    return render_template("consultation/manage/invited_groups.html", event=event, form=form,
                           confirm=ConfirmForm()), 422 if form.errors else 200


@bp.route("/groups/<int:group_id>/remove", methods=["POST"])
@organiser_required
def remove_invited_group(slug, group_id):
    event = managed_event_or_abort(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    group = owned_or_404(InvitedGroup, group_id, owner_column="event_id", owner_id=event.id)
    services.remove_invited_group(group)
    db.session.commit()
    flash(_("%(name)s was removed from the invited groups.", name=group.name), "success")
    return redirect(url_for(".invited_groups", slug=slug))
