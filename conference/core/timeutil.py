"""Times are stored in UTC and shown in the event's timezone."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_utc(local: datetime, tz_name: str) -> datetime:
    """Interpret a naive wall-clock time in the given zone and return it in UTC."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(tz_name))
    return local.astimezone(UTC)


def wall_clock_problem(local: datetime, tz_name: str) -> str | None:
    """"nonexistent" for a time skipped when clocks go forward, "ambiguous" for one that occurs twice."""
    zone = ZoneInfo(tz_name)
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return "nonexistent" if round_trip != local else "ambiguous"


def to_local(moment: datetime, tz_name: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz_name))


def local_date(moment: datetime, tz_name: str) -> date:
    return to_local(moment, tz_name).date()


def local_naive(moment: datetime, tz_name: str) -> datetime:
    """The wall-clock time in the zone, without tzinfo, for form fields."""
    return to_local(moment, tz_name).replace(tzinfo=None)
