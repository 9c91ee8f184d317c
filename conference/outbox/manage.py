"""Organiser pages of an event's outgoing e-mail: how much is waiting, sent or failed, and sending a
failed message again. Under /manage/events/<slug>/outbox/, beside the event's other tabs."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from conference.core.access import organiser_required
from conference.core.forms import ConfirmForm
from conference.core.loading import owned_or_404
from conference.events.loading import managed_event_or_abort
from conference.extensions import db
from conference.outbox import hooks
from conference.outbox import services as outbox
from conference.outbox.models import OutboxMessage, OutboxState

bp = Blueprint("outbox_manage", __name__)

@bp.route("/outbox/")
@organiser_required
def outbox_state(slug):
    event = managed_event_or_abort(slug)
    batch = request.args.get("batch") or None  # the mail of one upload of invitations, while it goes out
    counts = outbox.state_counts(event.id, batch)
    # messages of the batch a job has yet to write are waiting too, though no row holds them yet
    to_come = sum(hooks.messages_to_come.run(event_id=event.id, batch=batch)) if batch else 0
    waiting = counts[OutboxState.QUEUED] + counts[OutboxState.SENDING] + to_come
    return render_template("outbox/manage/outbox.html", event=event, counts=counts, to_come=to_come,
                           failed=outbox.failed_messages(event.id), batch=batch, waiting=waiting,
                           total=sum(counts.values()) + to_come, confirm=ConfirmForm(),
                           outbox_states=OutboxState,
                           refresh=bool(batch and waiting))


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@organiser_required
def retry_message(slug, message_id):
    event = managed_event_or_abort(slug)
    row = owned_or_404(OutboxMessage, message_id, owner_column="event_id", owner_id=event.id)
    if row.state is not OutboxState.FAILED:
        abort(404)  # only a failed message is sent again
    if ConfirmForm().validate_on_submit():
        outbox.retry(row)
        db.session.commit()
        flash(_("The message will be sent again."), "success")
    return redirect(url_for(".outbox_state", slug=slug))
