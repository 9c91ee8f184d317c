"""The rules of agenda proposals: sent in the proposal phase, confirmed by e-mail, answered all at once.

An organisation's representative sends a proposal while an agenda-proposal phase of the process
is open; the phase's dates are read in the process's timezone, the last day counting until
midnight. A proposal reaches the organisers only once its address is confirmed. The organisers
answer every proposal, and all answers become public at one moment, when the proposers are mailed.
Services never commit; mail goes to the outbox in the caller's transaction.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from conference.consultation.models import AgendaProposal, Phase, PhaseKind, Process, ProposalOutcome
from conference.core import audit, tokens
from conference.core.errors import RuleError
from conference.core.timeutil import UTC
from conference.events.models import Event, Organisation
from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.compose import Mail, external_url, render

LINK_PURPOSE = "proposal"

OUTCOME = {
    ProposalOutcome.TAKEN_UP: _l("Taken up at the consultation"),
    ProposalOutcome.MERGED: _l("Merged into another proposal"),
    ProposalOutcome.NOT_TAKEN_UP: _l("Not taken up"),
}
# the outcomes for which the organisers must say why
REASON_REQUIRED = (ProposalOutcome.MERGED, ProposalOutcome.NOT_TAKEN_UP)


def outcome_text(proposal: AgendaProposal) -> str:
    """The outcome in the reader's language; a merged proposal names the one it was merged into."""
    if proposal.outcome is ProposalOutcome.MERGED and proposal.merged_into is not None:
        return gettext("Merged into “%(title)s”", title=proposal.merged_into.title)
    return str(OUTCOME[proposal.outcome]) if proposal.outcome else ""


class ProposalError(RuleError):
    """A change to a proposal, its feedback or their publication that the rules refuse.

    Codes: closed (outside the proposal phase; `phase` names the phase to tell of, if any),
    answered_closed (no more proposals: the answers are scheduled or public), withdrawn,
    answered (the feedback is scheduled or public), published (the feedback is public),
    merge_target (not a proposal one can merge into), merged_into_this (others are merged into it),
    feedback_missing (`missing` lists the proposals without feedback), not_in_future, not_a_topic.
    """

    def __init__(self, code: str, *, phase: Phase | None = None, missing: list[AgendaProposal] | None = None):
        super().__init__(code)
        self.phase = phase
        self.missing = missing or []


@dataclass
class Proposal:
    """What a representative sends in the public form."""

    name: str
    email: str
    title: str
    description: str
    organisation: Organisation | None = None
    organisation_name: str = ""
    language: str = "sv"


def normalise_email(address: str) -> str:
    return address.strip().lower()


# ---------------------------------------------------------------- the proposal phase

def agenda_phases(process: Process) -> list[Phase]:
    return [phase for phase in process.phases if phase.kind is PhaseKind.AGENDA_PROPOSALS]


def last_day(phase: Phase) -> date:
    return phase.ends_on or phase.starts_on


def phase_bounds(phase: Phase, tz_name: str) -> tuple[datetime, datetime]:
    """The phase as instants: from midnight of its first day until (not including) midnight after its last."""
    zone = ZoneInfo(tz_name)
    starts = datetime.combine(phase.starts_on, time(0), tzinfo=zone).astimezone(UTC)
    ends = datetime.combine(last_day(phase) + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return starts, ends


def open_phase(process: Process, now: datetime) -> Phase | None:
    for phase in agenda_phases(process):
        starts, ends = phase_bounds(phase, process.timezone)
        if starts <= now < ends:
            return phase
    return None


def phase_to_tell_of(process: Process, now: datetime) -> Phase | None:
    """The open phase, or else the next one, or else the latest one past."""
    phases = agenda_phases(process)
    current = open_phase(process, now)
    if current is not None:
        return current
    coming = [p for p in phases if phase_bounds(p, process.timezone)[0] > now]
    if coming:
        return min(coming, key=lambda p: p.starts_on)
    return max(phases, key=last_day) if phases else None


def accepting_phase(process: Process, now: datetime) -> Phase | None:
    """The phase taking proposals now: none once the organisers have scheduled or published their answers."""
    return open_phase(process, now) if process.feedback_publish_at is None else None


def check_open(process: Process, now: datetime) -> Phase:
    phase = open_phase(process, now)
    if phase is None:
        raise ProposalError("closed", phase=phase_to_tell_of(process, now))
    if process.feedback_publish_at is not None:
        raise ProposalError("answered_closed")
    return phase


# ---------------------------------------------------------------- the personal link

def token_of(proposal: AgendaProposal) -> str:
    return tokens.link_token(LINK_PURPOSE, proposal.nonce)


def by_token(token: str) -> AgendaProposal | None:
    found = db.session.scalar(select(AgendaProposal).where(AgendaProposal.token_hash == tokens.hash_token(token)))
    if found is not None and tokens.token_matches(token, found.token_hash):
        return found
    return None


def give_new_secret(proposal: AgendaProposal) -> None:
    """A new personal link; the earlier one stops working."""
    proposal.nonce = tokens.new_nonce()
    proposal.token_hash = tokens.hash_token(token_of(proposal))


# ---------------------------------------------------------------- the proposer's path

def propose(process: Process, sent: Proposal, *, now: datetime, consent_version: str) -> AgendaProposal:
    """Store the proposal unconfirmed and mail the link that confirms it."""
    check_open(process, now)
    organisation = sent.organisation
    proposal = AgendaProposal(
        process_id=process.id, process=process, title=sent.title.strip(), description=sent.description.strip(),
        organisation_id=organisation.id if organisation else None,
        organisation_name=organisation.name if organisation else sent.organisation_name.strip(),
        proposer_name=sent.name.strip(), email=sent.email.strip(), email_normalised=normalise_email(sent.email),
        language=sent.language, consent_version=consent_version, created_at=now)
    give_new_secret(proposal)
    db.session.add(proposal)
    audit.record("proposal.created", proposal, process_id=process.id)
    mail_confirmation(proposal)
    return proposal


def lock(proposal: AgendaProposal) -> None:
    db.session.refresh(proposal, with_for_update=True)


def confirm(proposal: AgendaProposal, now: datetime) -> bool:
    """The proposer followed the link: the organisers see the proposal from now. False if confirmed before.

    Accepted until the organisers schedule their answers, so that a proposal sent late on the
    phase's last day can still be confirmed the next morning, and none arrives unanswered.
    """
    lock(proposal)
    if proposal.withdrawn_at is not None:
        raise ProposalError("withdrawn")
    if proposal.confirmed_at is not None:
        return False
    if proposal.process.feedback_publish_at is not None:
        raise ProposalError("answered")
    proposal.confirmed_at = now
    audit.record("proposal.confirmed", proposal, process_id=proposal.process_id)
    return True


def withdraw(proposal: AgendaProposal, now: datetime) -> bool:
    """The proposer takes the proposal back, until the feedback is public. False if withdrawn before."""
    lock(proposal)
    if feedback_public(proposal.process, now):
        raise ProposalError("published")
    if proposal.withdrawn_at is not None:
        return False
    proposal.withdrawn_at = now
    audit.record("proposal.withdrawn", proposal, process_id=proposal.process_id)
    return True


# ---------------------------------------------------------------- what organisers and the public see

def feedback_public(process: Process, now: datetime) -> bool:
    """All feedback of a process is public from one moment on, and none before."""
    return process.feedback_publish_at is not None and process.feedback_publish_at <= now


def confirmed_proposals(process: Process) -> list[AgendaProposal]:
    """What organisers see: confirmed proposals, withdrawn ones included (marked so)."""
    return list(db.session.scalars(
        select(AgendaProposal).where(AgendaProposal.process_id == process.id, AgendaProposal.confirmed_at.is_not(None))
        .order_by(AgendaProposal.confirmed_at, AgendaProposal.id)))


def live_proposals(process: Process) -> list[AgendaProposal]:
    """Confirmed and not withdrawn: those that get feedback."""
    return [p for p in confirmed_proposals(process) if p.withdrawn_at is None]


def unconfirmed_count(process: Process) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count(AgendaProposal.id)).where(
        AgendaProposal.process_id == process.id, AgendaProposal.confirmed_at.is_(None),
        AgendaProposal.withdrawn_at.is_(None))) or 0


def public_proposals(process: Process, now: datetime) -> list[AgendaProposal]:
    """The proposals with their feedback, once published; nothing before."""
    return live_proposals(process) if feedback_public(process, now) else []


def without_feedback(process: Process) -> list[AgendaProposal]:
    """Live proposals the organisers have not answered, or merged into one that is gone since."""
    def answered(p: AgendaProposal) -> bool:
        if p.outcome is ProposalOutcome.MERGED:
            return p.merged_into is not None and p.merged_into.withdrawn_at is None
        return p.outcome is not None
    return [p for p in live_proposals(process) if not answered(p)]


# ---------------------------------------------------------------- the organisers' feedback

def merge_targets(proposal: AgendaProposal) -> list[AgendaProposal]:
    """What a proposal may be merged into: another live proposal of the process that is not merged itself."""
    return [p for p in live_proposals(proposal.process)
            if p.id != proposal.id and p.outcome is not ProposalOutcome.MERGED]


def merged_into_this(proposal: AgendaProposal) -> list[AgendaProposal]:
    return list(db.session.scalars(select(AgendaProposal).where(AgendaProposal.merged_into_id == proposal.id,
                                                                AgendaProposal.withdrawn_at.is_(None))))


def give_feedback(proposal: AgendaProposal, outcome: ProposalOutcome, reason: str, *,
                  merged_into: AgendaProposal | None, now: datetime, user_id: int | None) -> None:
    """Record the organisers' answer; it stays unpublished until the process publishes every answer."""
    if feedback_public(proposal.process, now):
        raise ProposalError("published")
    if proposal.confirmed_at is None or proposal.withdrawn_at is not None:
        raise ProposalError("withdrawn")
    if outcome is ProposalOutcome.MERGED:
        if merged_into is None or merged_into.id not in {p.id for p in merge_targets(proposal)}:
            raise ProposalError("merge_target")
        if merged_into_this(proposal):
            raise ProposalError("merged_into_this")
    else:
        merged_into = None
    proposal.outcome = outcome
    proposal.merged_into_id = merged_into.id if merged_into else None
    proposal.merged_into = merged_into
    proposal.feedback = reason.strip()
    proposal.feedback_at = now
    proposal.feedback_by_user_id = user_id
    audit.record("proposal.feedback", proposal, process_id=proposal.process_id, outcome=outcome.value,
                 merged_into_id=proposal.merged_into_id, user_id=user_id)


# ---------------------------------------------------------------- publishing the feedback

def check_publishable(process: Process, now: datetime) -> None:
    if feedback_public(process, now):
        raise ProposalError("published")
    missing = without_feedback(process)
    if missing:
        raise ProposalError("feedback_missing", missing=missing)


def schedule_publication(process: Process, at: datetime, *, now: datetime, user_id: int | None) -> None:
    """Every answer becomes public at `at`, and the proposers are mailed then; changeable until that moment."""
    check_publishable(process, now)
    if at <= now:
        raise ProposalError("not_in_future")
    process.feedback_publish_at = at
    process.feedback_mailed_at = None
    audit.record("process.feedback_scheduled", process, at=at.isoformat(), user_id=user_id)


def publish_now(process: Process, *, now: datetime, user_id: int | None) -> int:
    """Make every answer public at once and mail the proposers in this transaction; the number of mails."""
    check_publishable(process, now)
    process.feedback_publish_at = now
    process.feedback_mailed_at = None
    audit.record("process.feedback_scheduled", process, at=now.isoformat(), user_id=user_id)
    db.session.flush()
    return mail_feedback_once(process.id, now) or 0


def cancel_publication(process: Process, *, now: datetime, user_id: int | None) -> None:
    if feedback_public(process, now):
        raise ProposalError("published")
    process.feedback_publish_at = None
    audit.record("process.feedback_unscheduled", process, user_id=user_id)


def mail_feedback_once(process_id: int, now: datetime) -> int | None:
    """Claim the process's mailing with one conditional UPDATE, then queue one mail per live proposal.

    Whoever changes the row from "not mailed" to "mailed" mails, and gets the number of mails;
    anybody else (a second worker, a request publishing at the same moment) finds the row
    claimed, sends nothing and gets None.
    """
    claimed = db.session.execute(
        update(Process).where(Process.id == process_id, Process.feedback_mailed_at.is_(None),
                              Process.feedback_publish_at.is_not(None), Process.feedback_publish_at <= now)
        .values(feedback_mailed_at=now).execution_options(synchronize_session=False)
    ).rowcount == 1
    if not claimed:
        return None
    process = db.session.get(Process, process_id)
    db.session.refresh(process)
    proposals = live_proposals(process)
    for proposal in proposals:
        mail_feedback(proposal)
    audit.record("process.feedback_published", process, mails=len(proposals))
    return len(proposals)


def publish_due_feedback(now: datetime) -> int:
    """Mail proposers of every process whose feedback became public; the number of processes."""
    due = db.session.scalars(select(Process.id).where(Process.feedback_publish_at.is_not(None),
                                                      Process.feedback_publish_at <= now,
                                                      Process.feedback_mailed_at.is_(None))
                             .order_by(Process.id)).all()
    return sum(1 for process_id in due if mail_feedback_once(process_id, now) is not None)


# ---------------------------------------------------------------- follow-up topics

def topic_choices(process: Process) -> list[AgendaProposal]:
    """Proposals a follow-up meeting can deepen: those taken up, and those others were merged into."""
    live = live_proposals(process)
    targets = {p.merged_into_id for p in live if p.outcome is ProposalOutcome.MERGED}
    return [p for p in live if p.outcome is ProposalOutcome.TAKEN_UP or p.id in targets]


def set_topic(event: Event, process: Process, proposal_id: int | None, *, user_id: int | None) -> None:
    """The proposal a meeting of the process deepens, or none."""
    if event.process_id != process.id:
        raise ProposalError("not_a_topic")
    proposal = None
    if proposal_id:
        proposal = next((p for p in topic_choices(process) if p.id == proposal_id), None)
        if proposal is None:
            raise ProposalError("not_a_topic")
    event.topic_proposal_id = proposal.id if proposal else None
    event.topic_proposal = proposal
    audit.record("event.topic_set", event, event_id=event.id, proposal_id=proposal.id if proposal else None,
                 user_id=user_id)


def visible_topic(event: Event, now: datetime) -> AgendaProposal | None:
    """A meeting's topic, shown once its process's feedback is public: choosing it tells that it was taken up."""
    proposal = event.topic_proposal
    if proposal is None or proposal.withdrawn_at is not None or proposal.confirmed_at is None:
        return None
    return proposal if feedback_public(proposal.process, now) else None


# ---------------------------------------------------------------- mails, in the proposer's language

def _links(proposal: AgendaProposal) -> dict:
    token = token_of(proposal)
    return {"proposal_url": external_url("processes.proposal", token=token),
            "confirm_url": external_url("processes.confirm_proposal", token=token),
            "process_url": external_url("processes.process", slug=proposal.process.slug)}


def _send(proposal: AgendaProposal, kind: str, template: str, subject, **context) -> None:
    """`subject` calls gettext with a literal (for extraction), inside the proposer's language."""
    with force_locale(proposal.language):
        subject_text = subject(proposal.process.title)
    text, html = render(f"consultation/{template}", proposal.language, proposal=proposal,
                        process=proposal.process, **_links(proposal), **context)
    outbox.enqueue(Mail(to_name=proposal.proposer_name, to_address=proposal.email, subject=subject_text,
                        text=text, html=html), kind=kind)


def mail_confirmation(proposal: AgendaProposal) -> None:
    _send(proposal, "proposal.confirm", "proposal_confirm",
          lambda title: gettext("Confirm your agenda proposal for %(title)s", title=title))


def mail_feedback(proposal: AgendaProposal) -> None:
    _send(proposal, "proposal.feedback", "proposal_feedback",
          lambda title: gettext("Feedback on your agenda proposal for %(title)s", title=title))
