"""Reports of registration: the rows of the CSV export and the numbers and geometry of the statistics.

Plain functions over model objects: what goes in a row, what a day counts, where a bar ends.
The pages that show them are in registration.manage.registrations. The charts are drawn on
the server as SVG: this module works out the geometry, the template writes the markup.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel.dates import format_skeleton
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from conference.core import audit
from conference.core.spreadsheet import csv_file, spreadsheet_time
# Consultation's exports still import these from here; they belong to core.spreadsheet.
from conference.core.spreadsheet import BOM, DELIMITER, SPREADSHEET_TIME, neutralise  # noqa: F401
from conference.core.timeutil import local_date
from conference.events.labels import ORGANISATION_KIND
from conference.events.models import Event, OrganisationKind
from conference.extensions import db
from conference.registration.labels import STATE_SHORT
from conference.registration.listing import filtered_registrations
from conference.registration.models import Registration, RegistrationState

# ---------------------------------------------------------------- the CSV export

def export_header() -> list[str]:
    """The column names, in the organiser's language."""
    return [_("Name"), _("E-mail address"), _("Organisation"), _("Kind of organisation"), _("Stakeholder group"),
            _("Status"), _("Place in line"), _("Registered at"), _("Checked in at"), _("Accessibility needs")]


def places_in_line(registrations: Iterable[Registration]) -> dict[int, int]:
    """Each waiting registration's place in line, 1 for the next to get a place.

    waitlist_position is the order of arrival and keeps growing; the place is the rank among those
    still waiting, which is what the organiser tells a person who asks.
    """
    waiting = sorted((r for r in registrations if r.state is RegistrationState.WAITLISTED),
                     key=lambda r: (r.waitlist_position or 0, r.id))
    return {r.id: place for place, r in enumerate(waiting, start=1)}


def export_row(registration: Registration, tz_name: str, place_in_line: int | None = None) -> list[str]:
    """One registration as the cells of a spreadsheet row."""
    kind = registration.organisation_kind
    check_in = registration.active_check_in
    return [
        registration.name,
        registration.email,
        registration.organisation_name,
        str(ORGANISATION_KIND[kind]) if kind else "",
        registration.stakeholder_group,
        str(STATE_SHORT[registration.state]),
        str(place_in_line) if place_in_line else "",
        spreadsheet_time(registration.created_at, tz_name),
        spreadsheet_time(check_in.at if check_in else None, tz_name),
        registration.accessibility_needs or "",
    ]


def export_csv(registrations: Sequence[Registration], tz_name: str, places: dict[int, int]) -> str:
    """The whole file: translated header, one row per registration, every cell safe to open."""
    return csv_file(export_header(), (export_row(r, tz_name, places.get(r.id)) for r in registrations))


def waiting_registrations(event: Event) -> list[Registration]:
    """Everyone in line, whatever the export's filter: a place in line is counted among all of them."""
    return db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.state == RegistrationState.WAITLISTED)).all()


def export(event: Event, state: str, search: str) -> str:
    """The file of the registrations the list shows with this filter; who took it is on record."""
    registrations = db.session.scalars(filtered_registrations(event, state, search)
                                       .options(selectinload(Registration.check_ins))).all()
    body = export_csv(registrations, event.timezone, places_in_line(waiting_registrations(event)))
    # the file holds personal and sensitive data (accessibility needs)
    audit.record("registrations.exported", event, event_id=event.id, state=state or None, rows=len(registrations))
    return body


# ---------------------------------------------------------------- the numbers behind the charts

@dataclass(frozen=True)
class DayCount:
    """The running totals at the end of one day in the event's timezone."""

    day: date
    registered: int  # every registration made up to and including this day
    live: int  # of those, the ones not cancelled or expired by the end of this day


def is_gone(registration: Registration) -> bool:
    return registration.state in (RegistrationState.CANCELLED, RegistrationState.EXPIRED)


def last_counted_day(event: Event, registrations: Sequence[Registration], today: date) -> date:
    """Today, or the event's first day once it has begun; later if someone was added after that.

    Without the last clause a registration the organiser added after the start would be missing
    from the chart, and its last number would disagree with the list of registrations.
    """
    tz = event.timezone
    until = min(today, local_date(event.starts_at, tz))
    return max([until, *(local_date(r.created_at, tz) for r in registrations)])


def registrations_over_time(registrations: Sequence[Registration], tz_name: str, until: date) -> list[DayCount]:
    """Cumulative registrations per day, from the first registration's day to `until`."""
    if not registrations:
        return []
    made = Counter(local_date(r.created_at, tz_name) for r in registrations)
    # a cancelled registration counts as live until the day it was cancelled; one without a
    # recorded time (older data) never counted as live
    gone = Counter(local_date(r.cancelled_at or r.created_at, tz_name) for r in registrations if is_gone(r))
    first = min(made)
    days, registered, live = [], 0, 0
    for offset in range((until - first).days + 1):
        day = first + timedelta(days=offset)
        registered += made[day]
        live += made[day] - gone[day]
        days.append(DayCount(day, registered, live))
    return days


def by_organisation_kind(registrations: Iterable[Registration]) -> list[tuple[OrganisationKind | None, int]]:
    """Registrations not cancelled or expired per kind of organisation; None is "not stated".

    Every kind is listed, also with none, always in the same order, so that two events compare.
    """
    counts = Counter(r.organisation_kind for r in registrations if not is_gone(r))
    return [(kind, counts[kind]) for kind in [*OrganisationKind, None]]


# ---------------------------------------------------------------- the geometry of the charts

@dataclass(frozen=True)
class Tick:
    at: float  # x or y in the SVG's user units
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float  # the plot area, inside the axes
    right: float
    top: float
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    registered: list[tuple[float, float]]
    live: list[tuple[float, float]]
    markers: bool  # dots on each day, while there are few enough days to tell them apart


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: float  # the bar's top edge
    end: float  # the x where the bar ends


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: float  # where the bars start: the axis
    right: float
    bottom: float  # the x axis, below the last bar
    bar_height: float
    bars: list[Bar]
    x_ticks: list[Tick]


def axis_steps(maximum: int, most: int = 5) -> list[int]:
    """From 0 to a round number at or above maximum, in at most `most` steps of 1, 2 or 5 × 10ⁿ."""
    maximum = max(maximum, 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(maximum / step) <= most:
                return list(range(0, math.ceil(maximum / step) * step + 1, step))
        magnitude *= 10


def spread_indices(count: int, most: int) -> list[int]:
    """At most `most` indices out of range(count), evenly apart, the first and the last among them."""
    if count <= most:
        return list(range(count))
    return sorted({round(i * (count - 1) / (most - 1)) for i in range(most)})


def short_date(day: date) -> str:
    """"2 mars", "Mar 2", "2.3.": short enough for an axis, in the reader's language."""
    return format_skeleton("MMMd", day, locale=str(get_locale() or "sv"))


def points(values: Sequence[int], xs: Sequence[float], scale) -> list[tuple[float, float]]:
    return [(round(x, 1), round(scale(v), 1)) for x, v in zip(xs, values)]


def line_chart(days: Sequence[DayCount], *, width: int = 520, height: int = 280) -> LineChart:
    left, right, top, bottom = 56.0, width - 32.0, 16.0, height - 40.0
    steps = axis_steps(max(d.registered for d in days))

    def y_of(value: int) -> float:
        return bottom - value / steps[-1] * (bottom - top)

    if len(days) == 1:
        xs = [(left + right) / 2]
    else:
        xs = [left + i * (right - left) / (len(days) - 1) for i in range(len(days))]
    return LineChart(
        width=width, height=height, left=left, right=right, top=top, bottom=bottom,
        x_ticks=[Tick(round(xs[i], 1), short_date(days[i].day)) for i in spread_indices(len(days), 6)],
        y_ticks=[Tick(round(y_of(v), 1), str(v)) for v in steps],
        registered=points([d.registered for d in days], xs, y_of),
        live=points([d.live for d in days], xs, y_of),
        markers=len(days) <= 45)


def bar_chart(counts: Sequence[tuple[str, int]], *, width: int = 520, row: int = 32,
              label_width: int = 240) -> BarChart:
    """Horizontal bars, so that long names of kinds fit beside them in any language."""
    left, right, top = float(label_width), width - 48.0, 8.0  # room right of the bars for the count
    bottom = top + row * len(counts)
    steps = axis_steps(max((n for _label, n in counts), default=0))

    def x_of(value: int) -> float:
        return round(left + value / steps[-1] * (right - left), 1)

    bar_height = row * 0.625
    bars = [Bar(label, n, top + i * row + (row - bar_height) / 2, x_of(n)) for i, (label, n) in enumerate(counts)]
    return BarChart(width=width, height=int(bottom) + 32, left=left, right=right, bottom=bottom,
                    bar_height=bar_height, bars=bars, x_ticks=[Tick(x_of(v), str(v)) for v in steps])


def kind_label(kind: OrganisationKind | None) -> str:
    return str(ORGANISATION_KIND[kind]) if kind else _("Not stated")


# ---------------------------------------------------------------- the statistics page

@dataclass(frozen=True)
class Statistics:
    days: list[DayCount]
    kinds: list[tuple[str, int]]  # the label of each kind of organisation, and its count
    over_time: LineChart | None  # none before the first registration
    by_kind: BarChart


def statistics(event: Event, now: datetime) -> Statistics:
    registrations = db.session.scalars(select(Registration).where(Registration.event_id == event.id)).all()
    until = last_counted_day(event, registrations, today=local_date(now, event.timezone))
    days = registrations_over_time(registrations, event.timezone, until)
    kinds = [(kind_label(kind), n) for kind, n in by_organisation_kind(registrations)]
    return Statistics(days=days, kinds=kinds, over_time=line_chart(days) if days else None,
                      by_kind=bar_chart(kinds))
