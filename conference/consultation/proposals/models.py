"""Tables of agenda proposals: what organisations propose for a cycle, and the organisers' answers."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from conference.consultation.processes.models import Process, ProcessMeeting
from conference.core.timeutil import utcnow
from conference.core.types import UTCDateTime, enum_column
from conference.extensions import db


class ProposalOutcome(enum.Enum):
    TAKEN_UP = "taken_up"  # on the consultation's agenda
    MERGED = "merged"  # taken up as part of another proposal
    NOT_TAKEN_UP = "not_taken_up"


class AgendaProposal(db.Model):
    """A topic an organisation proposes for the cycle's agenda, and the organisers' feedback on it."""

    __tablename__ = "agenda_proposal"
    __table_args__ = (CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_itself"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    organisation_name: Mapped[str] = mapped_column(String(200))  # typed, or the picked one's name
    proposer_name: Mapped[str] = mapped_column(String(200))  # the organisation's representative; never public
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254), index=True)
    language: Mapped[str] = mapped_column(String(5), default="sv")  # for every mail to the proposer
    nonce: Mapped[str] = mapped_column(String(64))  # the proposer's link is derived from it
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    consent_version: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # organisers see it from then
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[ProposalOutcome | None] = mapped_column(enum_column(ProposalOutcome))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_proposal.id", ondelete="SET NULL"))
    feedback: Mapped[str] = mapped_column(Text, default="")  # the reason, public once the process publishes
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feedback_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    # the process's own list of proposals is declared here, where proposals live
    process: Mapped[Process] = relationship(backref=backref("proposals", cascade="all, delete-orphan",
                                                            order_by="AgendaProposal.created_at"))
    merged_into: Mapped["AgendaProposal | None"] = relationship(remote_side="AgendaProposal.id")


class MeetingTopic(db.Model):
    """The agenda proposal a follow-up dialogue of the process deepens, shown on its page once the
    feedback is public; gone with the meeting's place in the process."""

    __tablename__ = "meeting_topic"

    event_id: Mapped[int] = mapped_column(ForeignKey("process_meeting.event_id", ondelete="CASCADE"),
                                          primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("agenda_proposal.id", ondelete="CASCADE"), index=True)

    meeting: Mapped[ProcessMeeting] = relationship(backref=backref("topic", uselist=False,
                                                                   cascade="all, delete-orphan",
                                                                   passive_deletes=True))
    proposal: Mapped[AgendaProposal] = relationship()
