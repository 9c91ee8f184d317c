"""The rules of agenda proposals: sent in the proposal phase, confirmed by e-mail, answered all at once.

An organisation's representative sends a proposal while an agenda-proposal phase of the process
is open; the phase's dates are read in the process's timezone, the last day counting until
midnight. A proposal reaches the organisers only once its address is confirmed. The organisers
answer every proposal, and all answers become public at one moment, when the proposers are mailed.

Once the organisers have scheduled or published their answers, the set of answered proposals is
fixed: no proposal is confirmed any more, and none is withdrawn through the personal link (the
proposer writes to the process's contact instead, and the organisers cancel the publication if they
agree). So no published answer can point at a withdrawn proposal. Cancelling the publication opens
withdrawal again, and whatever is merged into a proposal withdrawn then needs a new answer before
the next publication. The mailing worker checks all the same: it mails nobody of a process with an
unanswered proposal (it leaves the mailing unclaimed and logs it, for the organisers to see to), and
no answer ever names a withdrawn proposal.

Every change to a process's proposals or to their publication takes the process's row lock first
(the worker's claim is a conditional UPDATE of the same row), so the worker and an organiser never
both act on one publication, and the time the proposers were mailed is never undone.

A proposal's personal link is derived from a nonce; the organisers can send the proposer a new link,
and the old one stops working at once. Services never commit; mail goes to the outbox in the
caller's transaction.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from conference.consultation.processes.models import Phase, PhaseKind, Process, ProcessMeeting
from conference.consultation.proposals import mails
from conference.consultation.proposals.links import give_new_secret
from conference.consultation.proposals.models import AgendaProposal, MeetingTopic, ProposalOutcome
from conference.core import audit
from conference.core.addresses import normalise_email
from conference.core.errors import Refusal
from conference.core.formatting import local_date
from conference.core.spreadsheet import csv_file, spreadsheet_time
from conference.core.timeutil import UTC
from conference.events.models import Event, Organisation
from conference.extensions import db


OUTCOME = {
    ProposalOutcome.TAKEN_UP: _l("Taken up at the consultation"),
    ProposalOutcome.MERGED: _l("Merged into another proposal"),
    ProposalOutcome.NOT_TAKEN_UP: _l("Not taken up"),
}
# the outcomes for which the organisers must say why
REASON_REQUIRED = (ProposalOutcome.MERGED, ProposalOutcome.NOT_TAKEN_UP)


def outcome_text(proposal: AgendaProposal) -> str:
    """The outcome in the reader's language; a merged proposal names the one it was merged into.

    A withdrawn proposal is named nowhere: its proposer took it back before it was published.
    """
    target = proposal.merged_into
    if proposal.outcome is ProposalOutcome.MERGED and target is not None and target.withdrawn_at is None:
        return gettext("Merged into “%(title)s”", title=target.title)
    return str(OUTCOME[proposal.outcome]) if proposal.outcome else ""


def period(phase: Phase) -> str:
    """When a phase runs, in the reader's language: "on 1 June 2031", "from ... to ..."."""
    if phase.ends_on is None or phase.ends_on == phase.starts_on:
        return gettext("on %(date)s", date=local_date(phase.starts_on, None, "long"))
    return gettext("from %(start)s to %(end)s", start=local_date(phase.starts_on, None, "long"),
                   end=local_date(phase.ends_on, None, "long"))


def closed_message(error: "ProposalError") -> str:
    """Why the form is closed: when proposals are taken, if ever."""
    if error.phase is None:
        return gettext("This process takes no agenda proposals.")
    return gettext("Agenda proposals are accepted only %(period)s.", period=period(error.phase))


class ProposalError(Refusal):
    """A change to a proposal, its feedback or their publication that the rules refuse.

    Codes: closed (outside the proposal phase; `phase` names the phase to tell of, if any),
    answered_closed (no more proposals: the answers are scheduled or public), withdrawn,
    answered (the feedback is scheduled or public: too late to confirm), answered_withdraw (the
    same: too late to withdraw), published (the feedback is public), mailed (the worker published
    the feedback and mailed the proposers in the meantime), merge_target (not a proposal one can
    merge into), merged_into_this (others are merged into it), feedback_missing (`missing` lists the
    proposals without feedback), not_in_future, not_a_topic, topic_lost (the answer would take the
    topic from the `meetings` listed).
    """

    messages = {
        "closed": closed_message,
        "answered_closed": _l("The organisers have answered the proposals, so no more are taken."),
        "withdrawn": _l("The proposal has been withdrawn."),
        "answered": _l("The organisers have already answered the proposals, so this one can no longer be "
                       "confirmed."),
        "answered_withdraw": _l("The organisers have already answered the proposals, so yours can no longer be "
                                "withdrawn here."),
        "published": _l("The feedback has been published and can no longer be changed."),
        "mailed": _l("The feedback was published and the proposers were mailed in the meantime, so the "
                     "publication can no longer be changed."),
        "merge_target": _l("Choose another proposal: not this one, and not one that is merged itself."),
        "merged_into_this": _l("Other proposals are merged into this one, so it cannot be merged itself."),
        "feedback_missing": lambda error: gettext(
            "Every proposal needs feedback before publication. Still without feedback: %(titles)s.",
            titles="; ".join(p.title for p in error.missing)),
        "not_in_future": _l("Choose a time ahead, or publish now."),
        "not_a_topic": _l("Choose a proposal that was taken up, or one others were merged into."),
        "topic_lost": lambda error: " ".join(gettext(
            "With this answer, “%(topic)s” can no longer be the topic of %(meeting)s. Choose another topic for "
            "the meeting first, under “Follow-up dialogues' topics”.",
            topic=meeting.process_meeting.topic.proposal.title, meeting=meeting.title)
            for meeting in error.meetings),
    }
    # a conflict with the publication (published, mailed, withdrawn) is no matter of a field: told at the top
    fields = {"merge_target": "merged_into_id", "merged_into_this": "merged_into_id", "topic_lost": "outcome",
              "feedback_missing": "publish_at", "not_in_future": "publish_at", "not_a_topic": "topic_id"}

    def __init__(self, code: str, *, phase: Phase | None = None, missing: list[AgendaProposal] | None = None,
                 meetings: list[Event] | None = None):
        super().__init__(code)
        self.phase = phase
        self.missing = missing or []
        self.meetings = meetings or []


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
    mails.mail_confirmation(proposal)
    return proposal


def lock_process(process: Process) -> None:
    """Take the process's row lock and read the row afresh: what another transaction committed counts."""
    # the row must be fetched, not only selected: the ORM refreshes an object as its row is read
    db.session.execute(select(Process).where(Process.id == process.id).with_for_update()
                       .execution_options(populate_existing=True)).scalar_one()


def lock(proposal: AgendaProposal) -> None:
    """The process's lock first, then the proposal's: always in that order."""
    lock_process(proposal.process)
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


def can_withdraw(proposal: AgendaProposal) -> bool:
    return proposal.withdrawn_at is None and proposal.process.feedback_publish_at is None


def withdraw(proposal: AgendaProposal, now: datetime) -> bool:
    """The proposer takes the proposal back, until the organisers schedule or publish their answers.

    False if withdrawn before. Later the proposer writes to the process's contact instead: an
    answer merging another proposal into this one may already be on its way to the public.
    """
    lock(proposal)
    if proposal.withdrawn_at is not None:
        return False
    if feedback_public(proposal.process, now):
        raise ProposalError("published")
    if proposal.process.feedback_publish_at is not None:
        raise ProposalError("answered_withdraw")
    proposal.withdrawn_at = now
    audit.record("proposal.withdrawn", proposal, process_id=proposal.process_id)
    return True


# ---------------------------------------------------------------- what organisers and the public see

def feedback_public(process: Process, now: datetime) -> bool:
    """All feedback of a process is public from one moment on, and none before.

    Once the proposers are mailed it is public whatever `now` says: the worker's clock was ahead.
    """
    if process.feedback_mailed_at is not None:
        return True
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
    return db.session.scalar(select(func.count(AgendaProposal.id)).where(
        AgendaProposal.process_id == process.id, AgendaProposal.confirmed_at.is_(None),
        AgendaProposal.withdrawn_at.is_(None))) or 0


def public_proposals(process: Process, now: datetime) -> list[AgendaProposal]:
    """The proposals with their feedback, once published; nothing before."""
    return live_proposals(process) if feedback_public(process, now) else []


def contact_address(process: Process) -> str | None:
    """Whom a proposer writes to about the process: the contact of its first published meeting that has one."""
    return db.session.scalar(select(Event.contact_email).join(ProcessMeeting, ProcessMeeting.event_id == Event.id)
        .where(ProcessMeeting.process_id == process.id, Event.published.is_(True), Event.contact_email != "")
        .order_by(Event.starts_at, Event.id).limit(1))


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
    """Record the organisers' answer; it stays unpublished until the process publishes every answer.

    An answer that would leave a meeting's topic a proposal no longer taken up is refused: the
    organisers change the meeting's topic first.
    """
    lock(proposal)
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
    live = live_proposals(proposal.process)
    lost = topic_ids(live) - topic_ids(live, proposal, outcome, merged_into)
    left_without = list(db.session.scalars(
        select(Event).join(ProcessMeeting, ProcessMeeting.event_id == Event.id)
        .join(MeetingTopic, MeetingTopic.event_id == Event.id)
        .where(ProcessMeeting.process_id == proposal.process_id, MeetingTopic.proposal_id.in_(lost))
        .order_by(Event.starts_at, Event.id))) if lost else []
    if left_without:
        raise ProposalError("topic_lost", meetings=left_without)
    proposal.outcome = outcome
    proposal.merged_into_id = merged_into.id if merged_into else None
    proposal.merged_into = merged_into
    proposal.feedback = reason.strip()
    proposal.feedback_at = now
    proposal.feedback_by_user_id = user_id
    audit.record("proposal.feedback", proposal, process_id=proposal.process_id, outcome=outcome.value,
                 merged_into_id=proposal.merged_into_id, user_id=user_id)


# ---------------------------------------------------------------- publishing the feedback

def check_unpublished(process: Process, now: datetime) -> None:
    """Lock the process and refuse if its feedback went out, by the clock or by the worker's mailing.

    The worker may have mailed by its own clock while a request still holds an earlier `now`:
    the mailing, once it happened, is never undone.
    """
    lock_process(process)
    if process.feedback_publish_at is not None and process.feedback_publish_at <= now:
        raise ProposalError("published")
    if process.feedback_mailed_at is not None:
        raise ProposalError("mailed")


def check_publishable(process: Process, now: datetime) -> None:
    check_unpublished(process, now)
    missing = without_feedback(process)
    if missing:
        raise ProposalError("feedback_missing", missing=missing)


def schedule_publication(process: Process, at: datetime, *, now: datetime, user_id: int | None) -> None:
    """Every answer becomes public at `at`, and the proposers are mailed then; changeable until that moment."""
    check_publishable(process, now)
    if at <= now:
        raise ProposalError("not_in_future")
    process.feedback_publish_at = at
    audit.record("process.feedback_scheduled", process, at=at.isoformat(), user_id=user_id)


def publish_now(process: Process, *, now: datetime, user_id: int | None) -> int:
    """Make every answer public at once and mail the proposers in this transaction; the number of mails."""
    check_publishable(process, now)
    process.feedback_publish_at = now
    audit.record("process.feedback_scheduled", process, at=now.isoformat(), user_id=user_id)
    db.session.flush()
    mailed = mail_feedback_once(process.id, now)
    if mailed is None:  # cannot happen under the row lock; never report mails nobody queued
        raise ProposalError("mailed")
    return mailed


def cancel_publication(process: Process, *, now: datetime, user_id: int | None) -> None:
    check_unpublished(process, now)
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
        mails.mail_feedback(proposal)
    audit.record("process.feedback_published", process, mails=len(proposals))
    return len(proposals)


def publish_due_feedback(now: datetime) -> int:
    """Mail proposers of every process whose feedback became public; the number of processes.

    A process with a proposal still unanswered (which the rules do not let happen) is left
    unclaimed and logged, so that nobody is mailed an answer naming a withdrawn proposal.
    """
    due = db.session.scalars(select(Process.id).where(Process.feedback_publish_at.is_not(None),
                                                      Process.feedback_publish_at <= now,
                                                      Process.feedback_mailed_at.is_(None))
                             .order_by(Process.id)).all()
    published = 0
    for process_id in due:
        process = db.session.get(Process, process_id)
        lock_process(process)
        missing = without_feedback(process)
        if missing:
            current_app.logger.warning(
                "feedback of process %s (%s) is due but not published: proposals %s have no valid answer",
                process.id, process.slug, ", ".join(str(p.id) for p in missing))
            continue
        if mail_feedback_once(process_id, now) is not None:
            published += 1
    return published


# ---------------------------------------------------------------- follow-up topics

def topic_ids(live: list[AgendaProposal], changed: AgendaProposal | None = None,
              outcome: ProposalOutcome | None = None, merged_into: AgendaProposal | None = None) -> set[int]:
    """Of the live proposals, those a meeting can deepen; with `changed` answered `outcome`, if given."""
    def outcome_of(p: AgendaProposal) -> ProposalOutcome | None:
        return outcome if changed is not None and p.id == changed.id else p.outcome

    def target_of(p: AgendaProposal) -> int | None:
        if changed is not None and p.id == changed.id:
            return merged_into.id if merged_into is not None else None
        return p.merged_into_id

    targets = {target_of(p) for p in live if outcome_of(p) is ProposalOutcome.MERGED}
    return {p.id for p in live if outcome_of(p) is ProposalOutcome.TAKEN_UP or p.id in targets}


def topic_choices(process: Process) -> list[AgendaProposal]:
    """Proposals a follow-up meeting can deepen: those taken up, and those others were merged into."""
    live = live_proposals(process)
    ids = topic_ids(live)
    return [p for p in live if p.id in ids]


def topic_id_of(event: Event) -> int | None:
    """The proposal the meeting deepens, if it is a meeting of a process with a topic."""
    meeting = event.process_meeting
    return meeting.topic.proposal_id if meeting is not None and meeting.topic is not None else None


def chosen_topics(process: Process) -> dict[int, int]:
    """The proposal each meeting of the process deepens, by meeting id, read at once for all."""
    return dict(db.session.execute(
        select(MeetingTopic.event_id, MeetingTopic.proposal_id).join(ProcessMeeting)
        .where(ProcessMeeting.process_id == process.id)).all())


def set_topic(event: Event, process: Process, proposal_id: int | None, *, user_id: int | None) -> None:
    """The proposal a meeting of the process deepens, or none."""
    meeting = event.process_meeting
    if meeting is None or meeting.process_id != process.id:
        raise ProposalError("not_a_topic")
    proposal = None
    if proposal_id:
        proposal = next((p for p in topic_choices(process) if p.id == proposal_id), None)
        if proposal is None:
            raise ProposalError("not_a_topic")
    if proposal is None:
        meeting.topic = None
    elif meeting.topic is None:
        db.session.add(MeetingTopic(event_id=meeting.event_id, proposal_id=proposal.id))
        db.session.flush()
        db.session.expire(meeting, ["topic"])
    else:
        meeting.topic.proposal = proposal
    audit.record("event.topic_set", event, event_id=event.id, proposal_id=proposal.id if proposal else None,
                 user_id=user_id)


def visible_topic(event: Event, now: datetime) -> AgendaProposal | None:
    """A meeting's topic, shown once its process's feedback is public: choosing it tells that it was taken up.

    Only a proposal of the meeting's own process, and only while it is one a meeting can deepen.
    """
    if topic_id_of(event) is None:
        return None
    return visible_topics(event.process_meeting.process, [event], now).get(event.id)


def visible_topics(process: Process, meetings: list[Event], now: datetime) -> dict[int, AgendaProposal]:
    """`visible_topic` of several meetings of one process, by meeting id, reading the proposals once."""
    topics = dict(db.session.execute(
        select(MeetingTopic.event_id, MeetingTopic.proposal_id).join(ProcessMeeting)
        .where(ProcessMeeting.process_id == process.id, MeetingTopic.event_id.in_([m.id for m in meetings]))).all())
    if not topics or not feedback_public(process, now):
        return {}
    live = live_proposals(process)
    deepened = topic_ids(live)
    by_id = {p.id: p for p in live if p.id in deepened}
    return {event_id: by_id[proposal_id] for event_id, proposal_id in topics.items() if proposal_id in by_id}


# ---------------------------------------------------------------- a new personal link

def send_new_link(proposal: AgendaProposal, *, user_id: int | None) -> None:
    """The organisers replace the proposer's link (say, its mail went astray); the old one stops working now."""
    lock(proposal)
    give_new_secret(proposal)
    audit.record("proposal.link_renewed", proposal, process_id=proposal.process_id, user_id=user_id)
    mails.mail_new_link(proposal)


# ---------------------------------------------------------------- the export

def export_csv(process: Process) -> str:
    """Every confirmed proposal with its answer, in the organiser's language, every cell safe to open.

    The file holds the proposers' names and addresses: who took it is on record.
    """
    found = confirmed_proposals(process)
    audit.record("proposals.exported", process, rows=len(found))
    header = [gettext("Title"), gettext("Description"), gettext("Organisation"), gettext("Sent by"),
              gettext("E-mail address"), gettext("Confirmed at"), gettext("Withdrawn at"), gettext("Outcome"),
              gettext("Reason")]
    return csv_file(header, ([p.title, p.description, p.organisation_name, p.proposer_name, p.email,
                              spreadsheet_time(p.confirmed_at, process.timezone),
                              spreadsheet_time(p.withdrawn_at, process.timezone), outcome_text(p), p.feedback]
                             for p in found))
