"""The rules of a process page: what the public sees, news in date order, copying a cycle."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from conference.consultation.processes.models import Document, NewsItem, Phase, Process, ProcessMeeting
from conference.core import audit
from conference.core.errors import Refusal
from conference.core.timeutil import local_naive, to_utc
from conference.events.copying import copy_event
from conference.events.models import Event
from conference.events.services import ProgrammeError, slug_taken, unique_slug
from conference.extensions import db


class ProcessError(Refusal):
    """A change to a process that the rules refuse."""

    messages = {
        "slug_taken": _l("Another process already has this address."),
        "offset_not_forward": _l("Move the dates forward by at least one day."),
    }
    fields = {"slug_taken": "slug", "offset_not_forward": "offset_days"}


@dataclass
class ProcessText:
    """What the organiser types about a process; an empty slug keeps the address, or makes one from the title."""

    title: str
    slug: str
    summary: str
    topics: str
    published: bool


# ---------------------------------------------------------------- what the public sees

def published_process_query(slug: str) -> Select:
    return select(Process).where(Process.slug == slug, Process.published.is_(True))


def published_processes() -> list[Process]:
    return list(db.session.scalars(select(Process).where(Process.published.is_(True)).order_by(Process.title)))


def visible_news(process: Process, now: datetime) -> list[NewsItem]:
    """Newest first; an item dated ahead appears on its date."""
    return list(db.session.scalars(select(NewsItem).where(NewsItem.process_id == process.id,
                                                          NewsItem.published_at <= now)
                                   .order_by(NewsItem.published_at.desc(), NewsItem.id.desc())))


def meetings(process: Process, *, published_only: bool = True) -> list[Event]:
    """The process's meetings in time order, with what the process page shows of each loaded at once."""
    query = (select(Event).join(ProcessMeeting, ProcessMeeting.event_id == Event.id)
             .where(ProcessMeeting.process_id == process.id).order_by(Event.starts_at)
             .options(selectinload(Event.feedback_window)))
    if published_only:
        query = query.where(Event.published.is_(True))
    return list(db.session.scalars(query))


def earlier_cycles(process: Process) -> list[Process]:
    """The cycles this one grew from, newest first (a chain of copies, guarded against loops)."""
    found, seen, current = [], {process.id}, process.previous
    while current is not None and current.id not in seen:
        found.append(current)
        seen.add(current.id)
        current = current.previous
    return found


# ---------------------------------------------------------------- the organisers' process

def all_processes() -> list[Process]:
    """Every process, newest first, drafts included."""
    return list(db.session.scalars(select(Process).order_by(Process.created_at.desc())))


def unlinked_meetings() -> list[Event]:
    """Meetings of no process yet, newest first: those a process can take in."""
    return list(db.session.scalars(
        select(Event).outerjoin(ProcessMeeting, ProcessMeeting.event_id == Event.id)
        .where(ProcessMeeting.event_id.is_(None)).order_by(Event.starts_at.desc())))


def process_of(event: Event) -> Process | None:
    """The process the event is a meeting of, if any."""
    return event.process_meeting.process if event.process_meeting is not None else None


def save_process(process: Process | None, text: ProcessText) -> Process:
    """Create a process (`process` None) or change one; an address another process has is refused."""
    if text.slug and slug_taken(Process, text.slug, process.id if process else None):
        raise ProcessError("slug_taken")
    target = process or Process()
    target.title = text.title
    target.slug = text.slug or (target.slug or unique_slug(Process, text.title))
    target.summary = text.summary
    target.topics = text.topics
    target.published = text.published
    db.session.add(target)
    audit.record("process.saved", target)
    return target


def check_phase(phase: Phase) -> None:
    if phase.ends_on is not None and phase.ends_on < phase.starts_on:
        raise ProgrammeError("valid_to_before_valid_from", "ends_on")


def add_phase(process: Process, phase: Phase) -> Phase:
    """Add a phase whose dates are in order; `phase` names the process by id, so a refused one is never stored."""
    check_phase(phase)
    db.session.add(phase)
    audit.record("process.phase_added", process, title=phase.title)
    return phase


def add_document(process: Process, document: Document) -> Document:
    document.process = process
    db.session.add(document)
    audit.record("process.document_added", process, title=document.title)
    return document


def add_news(process: Process, item: NewsItem) -> NewsItem:
    db.session.add(item)
    audit.record("process.news_added", process, title=item.title)
    return item


def link_meeting(process: Process, event: Event) -> ProcessMeeting:
    """The event becomes a meeting of the process; from another process it moves, leaving its topic there."""
    meeting = event.process_meeting
    if meeting is None:
        meeting = ProcessMeeting(event=event, process=process)
        db.session.add(meeting)
    elif meeting.process_id != process.id:
        db.session.delete(meeting)  # with its topic, a proposal of the other process
        db.session.flush()
        meeting = ProcessMeeting(event=event, process=process)
        db.session.add(meeting)
    audit.record("process.meeting_linked", process, event_id=event.id)
    return meeting


def remove_from_process(process: Process, kind: str, item: Phase | Document | NewsItem | ProcessMeeting) -> None:
    """Delete a phase, document or news item; a meeting only leaves the process, and its topic with it."""
    item_id = item.event_id if isinstance(item, ProcessMeeting) else item.id
    db.session.delete(item)
    audit.record(f"process.{kind}_removed", process, item_id=item_id)


# ---------------------------------------------------------------- the next cycle

def copy_cycle(source: Process, *, title: str, offset: timedelta, user_id: int | None) -> Process:
    """Next year's cycle: phases and meetings with every date moved; no personal data comes along."""
    if offset.total_seconds() <= 0:
        raise ProcessError("offset_not_forward")
    copy = Process(title=title.strip(), slug=unique_slug(Process, title), summary=source.summary,
                   timezone=source.timezone, previous_id=source.id, published=False)
    db.session.add(copy)
    db.session.flush()
    for phase in source.phases:
        db.session.add(Phase(process_id=copy.id, kind=phase.kind, title=phase.title,
                             starts_on=phase.starts_on + offset,
                             ends_on=phase.ends_on + offset if phase.ends_on else None))
    for meeting in meetings(source, published_only=False):
        copied_meeting(meeting, copy, offset)
    audit.record("process.copied", copy, source_id=source.id, offset_days=offset.days, user_id=user_id)
    return copy


def copied_meeting(meeting: Event, process: Process, offset: timedelta) -> list[str]:
    """The meeting in the next cycle's process, every date moved; each feature copies its own part."""
    copy, notices = copy_event(meeting, title=meeting.title,
                               move=lambda moment: moved(moment, offset, meeting.timezone))
    db.session.add(ProcessMeeting(event_id=copy.id, process_id=process.id))
    return notices


def moved(moment: datetime, offset: timedelta, tz_name: str) -> datetime:
    """The same wall-clock time `offset` later where the meeting is: 10:00 stays 10:00 across a DST change."""
    return to_utc(local_naive(moment, tz_name) + offset, tz_name)
