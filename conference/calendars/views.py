"""Public calendar routes: feeds, single-event files, the frab schedule for conference apps."""

from flask import Blueprint, abort
from sqlalchemy import select

from conference.calendars import feeds, frab
from conference.calendars.responses import calendar_response as calendar
from conference.calendars.responses import conditional
from conference.core.timeutil import utcnow
from conference.events import services as events
from conference.events.models import Event, Organisation, Session
from conference.extensions import db

bp = Blueprint("calendars", __name__)


def published_event_or_404(slug: str) -> Event:
    return events.published_event_by_slug(slug, programme=True) or abort(404)


@bp.route("/events/<slug>/programme.ics")
def programme(slug):
    event = published_event_or_404(slug)
    return calendar(feeds.programme_feed(event), f"{event.slug}.ics")


@bp.route("/events/<slug>/sessions/<int:session_id>.ics")
def session(slug, session_id):
    event = published_event_or_404(slug)
    item = db.session.get(Session, session_id)
    if item is None or item.event_id != event.id:
        abort(404)
    return calendar(feeds.session_feed(item), f"{event.slug}-{item.id}.ics")


@bp.route("/organisations/<slug>/events.ics")
def organisation(slug):
    found = db.session.scalar(select(Organisation).where(Organisation.slug == slug)) or abort(404)
    return calendar(feeds.organisation_feed(found, now=utcnow()), f"{found.slug}.ics")


@bp.route("/events/<slug>/schedule.xml")
def schedule_xml(slug):
    export = frab.schedule_xml(published_event_or_404(slug))
    return conditional(export.body, mimetype="application/xml", last_modified=export.last_modified)


@bp.route("/events/<slug>/schedule.json")
def schedule_json(slug):
    export = frab.schedule_json(published_event_or_404(slug))
    return conditional(export.body, mimetype="application/json", last_modified=export.last_modified)


@bp.app_template_global()
def add_to_calendar(event: Event, item: Session | None = None) -> feeds.AddToCalendar:
    """The links of templates/calendars/_add_to_calendar.html."""
    return feeds.add_to_calendar(event, item)
