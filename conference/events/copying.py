"""Copying an event to the next cycle: every column of the event unless it is named here with a reason,
its frame of organisers, rooms and programme, and each feature's own state through `event_copied`.

A column added to the event later is copied without anyone remembering to: it is left behind only
by adding it to NOT_COPIED, which says why.
"""

from collections.abc import Callable
from datetime import datetime

from conference.events import hooks
from conference.events.models import Event, EventOrganisation, Session, Stage
from conference.events.services import unique_slug
from conference.extensions import db

NOT_COPIED = {
    "id": "the copy is a new row",
    "slug": "the copy gets an address of its own",
    "title": "given for the copy",
    "published": "a copy starts as a draft",
    "cancelled_at": "the next cycle's meeting is not cancelled",
    "created_at": "the copy's own",
    "updated_at": "the copy's own",
    "series_id": "a meeting of a weekly series belongs to that series' weeks only",
    "occurrence_start": "only meetings of a weekly series have one",
}


def copy_event(source: Event, *, title: str, move: Callable[[datetime], datetime]) -> tuple[Event, list[str]]:
    """The event in the next cycle, with every moment moved; returns it (flushed) and the features' notices.

    Registrations, invitations, speakers, comments, summaries, photos and broadcasts stay behind:
    they are people's, or belong to that one day.
    """
    values = {column.key: moved_value(getattr(source, column.key), move)
              for column in Event.__table__.columns if column.key not in NOT_COPIED}
    first_start = move(source.starts_at)
    copy = Event(**values, title=title, slug=unique_slug(Event, f"{title} {first_start.year}"), published=False)
    db.session.add(copy)
    with db.session.no_autoflush:  # the programme is built whole before anything is written
        copy.organisation_links = [EventOrganisation(organisation_id=link.organisation_id, role=link.role,
                                                     position=link.position) for link in source.organisation_links]
        stages = {stage.id: Stage(name=stage.name, position=stage.position) for stage in source.stages}
        copy.stages = list(stages.values())
        copy.sessions = [Session(title=session.title, abstract=session.abstract, kind=session.kind,
                                 language=session.language, stage=stages.get(session.stage_id),
                                 starts_at=move(session.starts_at), ends_at=move(session.ends_at))
                         for session in source.sessions]
    db.session.flush()
    return copy, hooks.event_copied.run(source=source, copy=copy, move=move)


def moved_value(value: object, move: Callable[[datetime], datetime]) -> object:
    return move(value) if isinstance(value, datetime) else value
