"""Public calendar routes: feeds, single-event files, the frab schedule for conference apps."""

import hashlib
from datetime import datetime

from flask import Blueprint, Response, abort, request

from conference.calendars import feeds, frab
from conference.core.timeutil import utcnow
from conference.events.loading import owned_or_404, public_event_or_404, public_organisation_or_404
from conference.events.models import Event, Session
from conference.registration import services as registration

bp = Blueprint("calendars", __name__)

MAX_AGE = 300  # seconds a cache may keep a feed; clients poll with If-None-Match after that


def conditional(body: bytes, *, mimetype: str, last_modified: datetime, personal: bool = False,
                filename: str | None = None, vary: str | None = None) -> Response:
    """A response with a strong ETag from its content: 304 to a client that has these bytes."""
    response = Response(body, mimetype=mimetype)
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.last_modified = last_modified
    response.cache_control.max_age = MAX_AGE
    if personal:
        response.cache_control.private = True
        response.headers["X-Robots-Tag"] = "noindex"
    else:
        response.cache_control.public = True
        response.headers["Access-Control-Allow-Origin"] = "*"  # apps and schedule viewers read it from anywhere
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if vary:
        response.vary.update(part.strip() for part in vary.split(","))
    return response.make_conditional(request)


def calendar(file: feeds.CalendarFile, filename: str, *, personal: bool = False) -> Response:
    # descriptions carry a few translated words, chosen by the cookie or the client's language
    return conditional(file.body, mimetype="text/calendar", last_modified=file.last_modified, personal=personal,
                       filename=filename, vary="Accept-Language, Cookie")


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


@bp.route("/agenda/<int:registration_id>/<token>.ics")
def agenda(registration_id, token):
    """The registrant's own feed, behind a token of its own: calendar services keep feed addresses,
    so it must not open the personal page. New secrets for the registration end it."""
    found = registration.by_agenda_token(registration_id, token)
    file = feeds.agenda_feed(found) if found is not None else None
    if file is None:
        abort(404)
    return calendar(file, f"{found.event.slug}-agenda.ics", personal=True)


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
