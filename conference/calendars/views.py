"""Public calendar routes: feeds, single-event files, the frab schedule for conference apps."""

from flask import Blueprint

from conference.calendars import feeds, frab
from conference.calendars.responses import calendar_response as calendar
from conference.calendars.responses import conditional
from conference.core.timeutil import utcnow
from conference.events.loading import owned_or_404, public_event_or_404, public_organisation_or_404
from conference.events.models import Event, Session

bp = Blueprint("calendars", __name__)


@bp.route("/events/<slug>/programme.ics")
def programme(slug):
    event = public_event_or_404(slug, programme=True)
    return calendar(feeds.programme_feed(event), f"{event.slug}.ics")


@bp.route("/events/<slug>/sessions/<int:session_id>.ics")
def session(slug, session_id):
    event = public_event_or_404(slug, programme=True)
    item = owned_or_404(Session, session_id, event)
    return calendar(feeds.session_feed(item), f"{event.slug}-{item.id}.ics")


@bp.route("/organisations/<slug>/events.ics")
def organisation(slug):
    found = public_organisation_or_404(slug)
    return calendar(feeds.organisation_feed(found, now=utcnow()), f"{found.slug}.ics")


@bp.route("/events/<slug>/schedule.xml")
def schedule_xml(slug):
    export = frab.schedule_xml(public_event_or_404(slug, programme=True))
    return conditional(export.body, mimetype="application/xml", last_modified=export.last_modified)


@bp.route("/events/<slug>/schedule.json")
def schedule_json(slug):
    export = frab.schedule_json(public_event_or_404(slug, programme=True))
    return conditional(export.body, mimetype="application/json", last_modified=export.last_modified)


@bp.app_template_global()
def add_to_calendar(event: Event, item: Session | None = None) -> feeds.AddToCalendar:
    """The links of templates/calendars/_add_to_calendar.html."""
    return feeds.add_to_calendar(event, item)
