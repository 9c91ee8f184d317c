"""Series of meetings: four workshops every second Tuesday, or a samråd and two sakråd on set dates."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from conference.core import audit
from conference.core.timeutil import to_utc, wall_clock_problem
from conference.events.models import Event, EventFormat, EventKind, EventSeries, RegistrationPolicy
from conference.events.services import ProgrammeError, let_creator_organise, unique_slug
from conference.extensions import db

MAX_MEETINGS = 52


@dataclass
class MeetingPlan:
    name: str
    kind: EventKind
    format: EventFormat
    timezone: str
    starts_at_time: time  # the wall-clock time of every meeting
    duration: timedelta
    venue: str = ""
    contact_name: str = ""
    contact_email: str = ""
    capacity: int | None = None
    summary: str = ""


def dates_by_rule(first: date, interval_weeks: int, count: int) -> list[date]:
    return [first + timedelta(weeks=interval_weeks * n) for n in range(count)]


def meeting_days(listed: list[date], first: date | None, interval_weeks: int | None,
                 count: int | None) -> tuple[list[date], int | None]:
    """The days of the meetings and, if they follow it, the rule's weeks apart.

    Dates listed one by one win over the rule, which needs all three of its parts.
    """
    if listed or not (first and interval_weeks and count):
        return listed, None
    return dates_by_rule(first, interval_weeks, count), interval_weeks


def meeting_times(plan: MeetingPlan, days: list[date]) -> list[tuple[datetime, datetime]]:
    """Each day at the same wall-clock time in the series' zone, whatever the clocks did in between."""
    if not days:
        raise ProgrammeError("series_without_dates", "dates")
    if len(days) > MAX_MEETINGS:
        raise ProgrammeError("series_too_long", "dates")
    if len(set(days)) != len(days):
        raise ProgrammeError("series_date_twice", "dates")
    times = []
    for day in sorted(days):
        local = datetime.combine(day, plan.starts_at_time)
        if wall_clock_problem(local, plan.timezone) or wall_clock_problem(local + plan.duration, plan.timezone):
            raise ProgrammeError("series_time_on_clock_change", "starts_at_time")
        times.append((to_utc(local, plan.timezone), to_utc(local + plan.duration, plan.timezone)))
    return times


def create_series(plan: MeetingPlan, days: list[date], *, interval_weeks: int | None, creator=None) -> EventSeries:
    """The series and one invitation-only event per meeting, each remembering the start its plan gave it."""
    times = meeting_times(plan, days)
    series = EventSeries(name=plan.name.strip(), slug=unique_slug(EventSeries, plan.name),
                         description=plan.summary, interval_weeks=interval_weeks)
    db.session.add(series)
    db.session.flush()
    for number, (starts_at, ends_at) in enumerate(times, start=1):
        title = f"{plan.name.strip()} {number}/{len(times)}"
        event = Event(title=title, slug=unique_slug(Event, title), series_id=series.id, kind=plan.kind,
                      format=plan.format, timezone=plan.timezone, starts_at=starts_at, ends_at=ends_at,
                      occurrence_start=starts_at, venue=plan.venue, contact_name=plan.contact_name,
                      contact_email=plan.contact_email, capacity=plan.capacity, summary=plan.summary,
                      registration_policy=RegistrationPolicy.INVITATION_ONLY, published=True)
        db.session.add(event)
        db.session.flush()
        if creator is not None:
            let_creator_organise(event, creator)
    audit.record("series.meetings_created", series, meetings=len(times), interval_weeks=interval_weeks)
    return series


def meetings_of(series: EventSeries) -> list[Event]:
    return sorted((e for e in series.events if e.occurrence_start is not None), key=lambda e: e.occurrence_start)


def follows_rule(series: EventSeries | None) -> bool:
    return bool(series and series.interval_weeks)
