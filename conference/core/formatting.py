"""Template filters: dates and times in the event's timezone, in the reader's language."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask_babel import get_locale


def _locale() -> str:
    return str(get_locale() or "sv")


def local_time(moment: datetime, tz_name: str) -> str:
    return babel_dates.format_time(moment, "HH:mm", tzinfo=ZoneInfo(tz_name), locale=_locale())


def local_date(moment: datetime | date, tz_name: str | None = None, style: str = "full") -> str:
    if isinstance(moment, datetime):
        moment = moment.astimezone(ZoneInfo(tz_name or "UTC")).date()
    return babel_dates.format_date(moment, style, locale=_locale())


def local_datetime(moment: datetime, tz_name: str, style: str = "long") -> str:
    return f"{local_date(moment, tz_name, style)} {local_time(moment, tz_name)}"


def zone_abbreviation(moment: datetime, tz_name: str) -> str:
    """CET or CEST, EET or EEST: what a reader expects beside a time."""
    return moment.astimezone(ZoneInfo(tz_name)).strftime("%Z")


def iso_local(moment: datetime, tz_name: str) -> str:
    """The machine-readable time for <time datetime>."""
    return moment.astimezone(ZoneInfo(tz_name)).isoformat()


def local_date_value(moment: datetime, tz_name: str) -> date:
    return moment.astimezone(ZoneInfo(tz_name)).date()


def dict_without_none(mapping: dict) -> dict:
    return {key: value for key, value in mapping.items() if value is not None}


FILTERS = {
    "dict_without_none": dict_without_none,
    "local_date_value": local_date_value,
    "local_time": local_time,
    "local_date": local_date,
    "local_datetime": local_datetime,
    "zone_abbreviation": zone_abbreviation,
    "iso_local": iso_local,
}
