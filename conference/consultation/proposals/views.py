"""Public pages of agenda proposals: the form, the e-mail confirmation and the proposer's own page."""

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from conference.consultation.processes import services as processes
from conference.consultation.processes.models import Phase, Process
from conference.consultation.proposals import links
from conference.consultation.proposals import services as proposals
from conference.consultation.proposals.forms import ProposalForm, proposal_form
from conference.consultation.proposals.models import AgendaProposal
from conference.consultation.proposals.services import ProposalError, period
from conference.core.forms import REFUSED, attempt
from conference.core.loading import one_or_404
from conference.core.timeutil import utcnow
from conference.events.models import Organisation
from conference.extensions import db, limiter

bp = Blueprint("proposals", __name__)


@dataclass
class ProposalsOverview:
    """What the process page says of agenda proposals at a moment."""

    phases: list[Phase]
    open_phase: Phase | None
    feedback_public: bool
    publish_at: datetime | None  # announced while ahead
    proposals: list[AgendaProposal]  # empty until the feedback is public


@bp.app_template_global()
def proposals_overview(process: Process, now: datetime) -> ProposalsOverview:
    public = proposals.feedback_public(process, now)
    return ProposalsOverview(phases=proposals.agenda_phases(process),
                             open_phase=proposals.accepting_phase(process, now),
                             feedback_public=public, publish_at=process.feedback_publish_at,
                             proposals=proposals.public_proposals(process, now))


@bp.app_template_global()
def meeting_topics(process: Process, meetings: list, now: datetime) -> dict[int, AgendaProposal]:
    """The topic each meeting of the process deepens, once the feedback is public; read at once for all."""
    return proposals.visible_topics(process, meetings, now)


@bp.app_template_global()
def meeting_topic(event) -> AgendaProposal | None:
    return proposals.visible_topic(event, utcnow())


@bp.app_template_global()
def proposal_period(phase: Phase) -> str:
    return period(phase)


@bp.app_template_global()
def proposal_outcome(proposal: AgendaProposal) -> str:
    return proposals.outcome_text(proposal)


def private(response: Response) -> Response:
    """A personal link's page: kept out of caches and out of the Referer header of links on it."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def proposal_or_invalid(token: str) -> AgendaProposal:
    """The proposal the personal link names; an unknown or replaced link gets a page saying so, uncached."""
    proposal = links.by_token(token)
    if proposal is None:
        abort(private(Response(render_template("consultation/proposals/invalid_link.html"), status=404)))
    return proposal


def closed(process: Process, error: ProposalError, form: ProposalForm | None = None):
    """The form is closed; whoever was typing when it closed gets their text back to copy, and a 409."""
    typed = {"title": form.title.data or "", "description": form.description.data or ""} if form else None
    return render_template("consultation/proposals/closed.html", process=process, message=str(error.message),
                           typed=typed), 409 if request.method == "POST" else 200


@bp.route("/processes/<slug>/proposals/new", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per hour", methods=["POST"])
def new_proposal(slug):
    process = one_or_404(processes.published_process_query(slug))
    now = utcnow()
    try:
        proposals.check_open(process, now)
    except ProposalError as error:
        return closed(process, error, ProposalForm() if request.method == "POST" else None)
    form = proposal_form()
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation_id.data) if form.organisation_id.data else None
        try:
            proposals.propose(process, proposals.Proposal(
                name=form.name.data, email=form.email.data, title=form.title.data,
                description=form.description.data, organisation=organisation,
                organisation_name=form.organisation_name.data or "", language=str(get_locale())),
                now=now, consent_version=current_app.config["PRIVACY_NOTICE_VERSION"])
        except ProposalError as error:
            db.session.rollback()
            return closed(process, error, form)
        db.session.commit()
        return redirect(url_for(".proposal_sent", slug=slug))
    if form.website.errors:  # the honeypot: answer as if all went well, store nothing
        return redirect(url_for(".proposal_sent", slug=slug))
    return render_template("consultation/proposals/new.html", process=process, form=form,
                           phase=proposals.open_phase(process, now)), 422 if form.errors else 200


@bp.route("/processes/<slug>/proposals/sent")
def proposal_sent(slug):
    process = one_or_404(processes.published_process_query(slug))
    return render_template("consultation/proposals/sent.html", process=process)


@bp.route("/processes/proposals/<token>")
def proposal(token):
    found = proposal_or_invalid(token)
    now = utcnow()
    public = proposals.feedback_public(found.process, now)
    return private(Response(render_template(
        "consultation/proposals/proposal.html", proposal=found, process=found.process, token=token,
        feedback_public=public, can_withdraw=proposals.can_withdraw(found),
        contact=proposals.contact_address(found.process), confirm_form=FlaskForm())))


@bp.route("/processes/proposals/<token>/confirm", methods=["GET", "POST"])
def confirm_proposal(token):
    found = proposal_or_invalid(token)
    form = FlaskForm()
    if form.validate_on_submit():
        confirmed = attempt(form, lambda: proposals.confirm(found, utcnow()))
        if confirmed is not REFUSED and confirmed:  # False: it was confirmed before
            flash(_("Thank you. Your proposal is confirmed and has reached the organisers."), "success")
        return redirect(url_for(".proposal", token=token))
    if found.confirmed_at is not None or found.withdrawn_at is not None:
        return redirect(url_for(".proposal", token=token))
    # a mail scanner that opens the link confirms nothing: only the button below does
    return private(Response(render_template("consultation/proposals/confirm.html", proposal=found,
                                            process=found.process, form=form)))


@bp.route("/processes/proposals/<token>/withdraw", methods=["GET", "POST"])
def withdraw_proposal(token):
    found = proposal_or_invalid(token)
    form = FlaskForm()
    if form.validate_on_submit():
        withdrawn = attempt(form, lambda: proposals.withdraw(found, utcnow()))
        if withdrawn is not REFUSED and withdrawn:  # False: it was withdrawn before
            flash(_("Your proposal is withdrawn."), "success")
        return redirect(url_for(".proposal", token=token))
    if not proposals.can_withdraw(found):  # the personal page says why, and whom to write to
        return redirect(url_for(".proposal", token=token))
    return private(Response(render_template("consultation/proposals/withdraw.html", proposal=found,
                                            process=found.process, form=form, token=token)))
