"""Organiser pages of agenda proposals: every proposal, feedback on each, publishing, follow-up topics.

The blueprint's before_request lets in only those who organise every event, as for the process itself.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from conference.consultation.access import organisers_of_every_event_only
from conference.consultation.processes import services as processes
from conference.consultation.processes.models import Process, ProcessMeeting
from conference.consultation.proposals import services as proposals
from conference.consultation.proposals.forms import FeedbackForm, PublishForm, TopicForm, prepare_feedback_form
from conference.consultation.proposals.models import AgendaProposal, ProposalOutcome
from conference.core.forms import REFUSED, ConfirmForm, attempt, options
from conference.core.formatting import local_datetime, zone_abbreviation
from conference.core.loading import get_or_404, owned_or_404
from conference.core.spreadsheet import csv_download
from conference.core.timeutil import local_naive, to_utc, utcnow
from conference.events import labels
from conference.events.models import Event
from conference.extensions import db

bp = Blueprint("proposals_manage", __name__)
bp.before_request(organisers_of_every_event_only)


def feedback_form(proposal: AgendaProposal, *, submitted: bool = False) -> FeedbackForm:
    if submitted:
        form = FeedbackForm(prefix=f"feedback-{proposal.id}")
    else:
        form = FeedbackForm(prefix=f"feedback-{proposal.id}", formdata=None)
        form.outcome.data = proposal.outcome.value if proposal.outcome else ""
        form.merged_into_id.data = proposal.merged_into_id or 0
        form.feedback.data = proposal.feedback
    return prepare_feedback_form(form, proposals.merge_targets(proposal))


def publish_form(process: Process, *, submitted: bool = False) -> PublishForm:
    form = PublishForm(prefix="publish") if submitted else PublishForm(prefix="publish", formdata=None)
    form.timezone_name = process.timezone  # what RealWallClockTime reads the time in
    form.publish_at.description = _("Times in %(zone)s", zone=labels.TIMEZONE.get(process.timezone, process.timezone))
    if not submitted and process.feedback_publish_at is not None:
        form.publish_at.data = local_naive(process.feedback_publish_at, process.timezone).replace(second=0,
                                                                                                  microsecond=0)
    return form


def topic_form(process: Process, event: Event, choices, *, submitted: bool = False,
               chosen: int | None = None) -> TopicForm:
    prefix = f"topic-{event.id}"
    form = TopicForm(prefix=prefix) if submitted else TopicForm(prefix=prefix, formdata=None)
    form.topic_id.choices = options([(0, _("No topic"))] + [(p.id, f"{p.title} ({p.organisation_name})")
                                                            for p in choices])
    form.topic_id.label.text = _("Topic of %(meeting)s", meeting=event.title)
    if not submitted:
        form.topic_id.data = chosen or 0
    return form


def render_proposals(process: Process, *, feedback=None, publish=None, topics=None, status: int = 200):
    now = utcnow()
    confirmed = proposals.confirmed_proposals(process)
    public = proposals.feedback_public(process, now)
    feedback = feedback or {}
    forms = {} if public else {p.id: feedback.get(p.id) or feedback_form(p)
                               for p in confirmed if p.withdrawn_at is None}
    choices = proposals.topic_choices(process)
    meetings = processes.meetings(process, published_only=False)
    topics = topics or {}
    chosen = proposals.chosen_topics(process)
    topic_forms = {m.id: topics.get(m.id) or topic_form(process, m, choices, chosen=chosen.get(m.id))
                   for m in meetings}
    return render_template(
        "consultation/proposals/manage.html", process=process, proposals=confirmed, forms=forms,
        unconfirmed=proposals.unconfirmed_count(process), feedback_public=public,
        missing=proposals.without_feedback(process), publish_form=publish or publish_form(process),
        confirm=ConfirmForm(), meetings=meetings, topic_forms=topic_forms, topic_choices=choices), status


def proposal_of(process: Process, proposal_id: int) -> AgendaProposal:
    """A confirmed proposal of this process: until confirmed, a proposal is not the organisers' to see."""
    proposal = owned_or_404(AgendaProposal, proposal_id, owner_column="process_id", owner_id=process.id)
    if proposal.confirmed_at is None:
        abort(404)
    return proposal


@bp.route("/<int:process_id>/proposals")
def proposals_page(process_id):
    return render_proposals(get_or_404(Process, process_id))


@bp.route("/<int:process_id>/proposals/<int:proposal_id>/feedback", methods=["POST"])
def proposal_feedback(process_id, proposal_id):
    process = get_or_404(Process, process_id)
    proposal = proposal_of(process, proposal_id)
    form = feedback_form(proposal, submitted=True)
    status = 422
    if form.validate_on_submit():
        target = db.session.get(AgendaProposal, form.merged_into_id.data) if form.merged_into_id.data else None
        given = attempt(form, lambda: proposals.give_feedback(
            proposal, ProposalOutcome(form.outcome.data), form.feedback.data or "", merged_into=target, now=utcnow(),
            user_id=current_user.id))
        if given is not REFUSED:
            flash(_("The feedback on “%(title)s” was saved. It stays unpublished until you publish all feedback.",
                    title=proposal.title), "success")
            return redirect(url_for(".proposals_page", process_id=process.id) + f"#proposal-{proposal.id}")
        if not form.errors:  # told at the top: the publication or the proposal changed meanwhile
            status = 409
    return render_proposals(process, feedback={proposal.id: form}, status=status)


@bp.route("/<int:process_id>/proposals/publication", methods=["POST"])
def schedule_feedback(process_id):
    process = get_or_404(Process, process_id)
    form = publish_form(process, submitted=True)
    if form.validate_on_submit():
        at = to_utc(form.publish_at.data, process.timezone)
        scheduled = attempt(form, lambda: proposals.schedule_publication(process, at, now=utcnow(),
                                                                          user_id=current_user.id))
        if scheduled is not REFUSED:
            flash(_("All feedback will be published on %(when)s, and the proposers mailed then.",
                    when=f"{local_datetime(at, process.timezone)} {zone_abbreviation(at, process.timezone)}"),
                  "success")
            return redirect(url_for(".proposals_page", process_id=process.id) + "#publication")
        if not form.errors:  # told at the top: the publication went out meanwhile
            return render_proposals(process, status=409)
    return render_proposals(process, publish=form, status=422)


@bp.route("/<int:process_id>/proposals/publication/now", methods=["POST"])
def publish_feedback_now(process_id):
    process = get_or_404(Process, process_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    mailed = attempt(None, lambda: proposals.publish_now(process, now=utcnow(), user_id=current_user.id))
    if mailed is REFUSED:
        return render_proposals(process, status=409)
    flash(ngettext("All feedback is published. The e-mail to %(num)d proposer is on its way.",
                   "All feedback is published. E-mails to %(num)d proposers are on their way.", mailed), "success")
    return redirect(url_for(".proposals_page", process_id=process.id) + "#publication")


@bp.route("/<int:process_id>/proposals/publication/cancel", methods=["POST"])
def cancel_feedback_publication(process_id):
    process = get_or_404(Process, process_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    cancelled = attempt(None, lambda: proposals.cancel_publication(process, now=utcnow(), user_id=current_user.id))
    if cancelled is REFUSED:
        return render_proposals(process, status=409)
    flash(_("The scheduled publication is cancelled. Nothing has been published."), "success")
    return redirect(url_for(".proposals_page", process_id=process.id) + "#publication")


@bp.route("/<int:process_id>/proposals/<int:proposal_id>/new-link", methods=["POST"])
def proposal_new_link(process_id, proposal_id):
    process = get_or_404(Process, process_id)
    proposal = proposal_of(process, proposal_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    proposals.send_new_link(proposal, user_id=current_user.id)
    db.session.commit()
    flash(_("A new link to “%(title)s” is on its way to %(email)s. The earlier link no longer works.",
            title=proposal.title, email=proposal.email), "success")
    return redirect(url_for(".proposals_page", process_id=process.id) + f"#proposal-{proposal.id}")


@bp.route("/<int:process_id>/meetings/<int:event_id>/topic", methods=["POST"])
def meeting_topic(process_id, event_id):
    process = get_or_404(Process, process_id)
    event = owned_or_404(ProcessMeeting, event_id, owner_column="process_id", owner_id=process.id).event
    form = topic_form(process, event, proposals.topic_choices(process), submitted=True)
    if form.validate_on_submit():
        chosen = attempt(form, lambda: proposals.set_topic(event, process, form.topic_id.data or None,
                                                           user_id=current_user.id))
        if chosen is not REFUSED:
            flash(_("The topic of %(meeting)s was saved.", meeting=event.title), "success")
            return redirect(url_for(".proposals_page", process_id=process.id) + "#topics")
    return render_proposals(process, topics={event.id: form}, status=422)


@bp.route("/<int:process_id>/proposals.csv")
def proposals_csv(process_id):
    process = get_or_404(Process, process_id)
    text = proposals.export_csv(process)
    db.session.commit()
    return csv_download(text, f"{process.slug}-proposals.csv")
