"""Tables of a consultation process."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from conference.core.timeutil import utcnow
from conference.core.types import UTCDateTime, enum_column
from conference.extensions import db


class PhaseKind(enum.Enum):
    AGENDA_PROPOSALS = "agenda_proposals"
    CONSULTATION_MEETING = "consultation_meeting"  # samråd
    FOLLOW_UP_DIALOGUE = "follow_up_dialogue"  # sakråd
    OTHER_DIALOGUE = "other_dialogue"
    PREPARATION = "preparation"  # a report's preparation, workshops and the like


class Process(db.Model):
    """A consultation process or one yearly cycle of it, with its own public page."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")  # what the process is, for the public page
    topics: Mapped[str] = mapped_column(Text, default="")  # the questions the cycle took up, one a line
    published: Mapped[bool] = mapped_column(default=False)
    # the cycle this one was copied from: earlier cycles' topics are listed on the page
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("process.id", ondelete="SET NULL"))
    # dates of phases and the feedback publication are read in this zone
    timezone: Mapped[str] = mapped_column(String(40), default="Europe/Stockholm", server_default="Europe/Stockholm")
    # the proposals' feedback becomes public at this moment, all at once; proposers are mailed then
    feedback_publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feedback_mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    previous: Mapped["Process | None"] = relationship(remote_side="Process.id")
    phases: Mapped[list["Phase"]] = relationship(back_populates="process", cascade="all, delete-orphan",
                                                 order_by="(Phase.starts_on, Phase.id)")
    documents: Mapped[list["Document"]] = relationship(back_populates="process", cascade="all, delete-orphan",
                                                       order_by="Document.published_on.desc()")
    news: Mapped[list["NewsItem"]] = relationship(back_populates="process", cascade="all, delete-orphan",
                                                  order_by="NewsItem.published_at.desc()")
    proposals: Mapped[list["AgendaProposal"]] = relationship(back_populates="process", cascade="all, delete-orphan",
                                                             order_by="AgendaProposal.created_at")


class Phase(db.Model):
    """A phase of a process with its dates: agenda proposals, the consultation meeting, follow-ups."""

    __table_args__ = (CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PhaseKind] = mapped_column(enum_column(PhaseKind))
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # None: a single day

    process: Mapped[Process] = relationship(back_populates="phases")


class Document(db.Model):
    """A document of the process: a text written here, or a link to where it is published."""

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(250))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    published_on: Mapped[date] = mapped_column(Date)

    process: Mapped[Process] = relationship(back_populates="documents")


class NewsItem(db.Model):
    """News of the process, in date order on the page and in its Atom feed."""

    __tablename__ = "news_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(250))
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # may lie ahead: shown from then
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    process: Mapped[Process] = relationship(back_populates="news")


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

    process: Mapped[Process] = relationship(back_populates="proposals")
    merged_into: Mapped["AgendaProposal | None"] = relationship(remote_side="AgendaProposal.id")


class FeedbackAudience(enum.Enum):
    PARTICIPANTS = "participants"  # through a registration or invitation link
    ANYONE = "anyone"


class FeedbackWindow(db.Model):
    """Written comments on a meeting, accepted from its end until a deadline, and the published summary."""

    __tablename__ = "feedback_window"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the deadline; the window opens when the meeting ends
    audience: Mapped[FeedbackAudience] = mapped_column(enum_column(FeedbackAudience))
    instructions: Mapped[str] = mapped_column(Text, default="")  # what the organisers ask about
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    event = relationship("Event", backref=backref("feedback_window", uselist=False, passive_deletes=True))
    comments: Mapped[list["WrittenComment"]] = relationship(back_populates="window", cascade="all, delete-orphan",
                                                            order_by="WrittenComment.created_at")


class WrittenComment(db.Model):
    """A written comment sent in a feedback window, with an optional attachment checked by content."""

    __tablename__ = "written_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("feedback_window.id", ondelete="CASCADE"), index=True)
    # set when sent through a participant's personal link
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254))
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="sv")
    body: Mapped[str] = mapped_column(Text)
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    attachment_name: Mapped[str | None] = mapped_column(String(200))  # cleaned, for the download
    attachment_type: Mapped[str | None] = mapped_column(String(100))  # found from the content, not the name
    attachment_size: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    window: Mapped[FeedbackWindow] = relationship(back_populates="comments")


class Photo(db.Model):
    """A photo from a meeting, re-encoded without its metadata, with caption and credit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    image: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int]
    height: Mapped[int]
    alt_text: Mapped[str] = mapped_column(String(300))  # what the photo shows, for screen readers
    caption: Mapped[str] = mapped_column(String(500), default="")
    credit: Mapped[str] = mapped_column(String(200))  # the photographer, as the law on names requires
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    taken_down_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # hidden from the public from then

    event = relationship("Event", backref=backref("photos", order_by="Photo.created_at", passive_deletes=True))
    takedown_requests: Mapped[list["TakedownRequest"]] = relationship(
        back_populates="photo", cascade="all, delete-orphan", order_by="TakedownRequest.created_at")


class TakedownRequest(db.Model):
    """Someone shown in a photo asks for it to be taken down; an organiser decides."""

    __tablename__ = "takedown_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photo.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="sv")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    photo_removed: Mapped[bool | None]  # the organiser's decision once handled

    photo: Mapped[Photo] = relationship(back_populates="takedown_requests")


class InvitedGroup(db.Model):
    """A stakeholder group or organisation a meeting is for; copied with the cycle, unlike the people invited."""

    __tablename__ = "invited_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))

    event = relationship("Event", backref=backref("invited_groups", order_by="InvitedGroup.id",
                                                  cascade="all, delete-orphan", passive_deletes=True))
    organisation = relationship("Organisation")
