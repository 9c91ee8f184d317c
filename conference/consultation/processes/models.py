"""Tables of a consultation process: the process, its meetings, phases, documents and news."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from conference.core.timeutil import utcnow
from conference.core.types import UTCDateTime, enum_column
from conference.events.models import Event
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


class ProcessMeeting(db.Model):
    """An event held as a meeting of a consultation process: its consultation or a follow-up dialogue."""

    __tablename__ = "process_meeting"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"), index=True)

    # the event's side is declared here, where processes live: `event.process_meeting`
    event: Mapped[Event] = relationship(backref=backref("process_meeting", uselist=False, passive_deletes=True))
    process: Mapped[Process] = relationship()


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
