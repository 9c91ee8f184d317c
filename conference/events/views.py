"""Public pages of the programme: no login needed."""

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import select

from conference.core.timeutil import utcnow
from conference.events import services
from conference.events.models import Organisation, Person, Session
from conference.extensions import db

bp = Blueprint("events", __name__)


def public_event_or_404(slug: str):
    return services.published_event_by_slug(slug) or abort(404)


@bp.route("/")
def index():
    now = utcnow()
    return render_template("events/index.html", upcoming=services.upcoming_events(now),
                           past=services.past_events(now), now=now)


@bp.route("/events/<slug>/")
def event(slug):
    event = services.published_event_by_slug(slug, programme=True) or abort(404)
    return render_template("events/event.html", event=event,
                           programme=services.programme_by_day_and_stage(event),
                           organisers=services.hosts_first(event),
                           registration_state=services.registration_state(event, utcnow()),
                           speakers_of=services.speakers_of)


@bp.route("/events/<slug>/sessions/<int:session_id>")
def session(slug, session_id):
    event = public_event_or_404(slug)
    session = db.session.get(Session, session_id)
    if session is None or session.event_id != event.id:
        abort(404)
    return render_template("events/session.html", event=event, session=session,
                           speakers=services.speakers_of(session))


@bp.route("/speakers/<int:person_id>")
def speaker(person_id):
    person = db.session.get(Person, person_id)
    sessions = services.sessions_of_person(person) if person else []
    if not sessions:  # only people on a published programme have a public page
        abort(404)
    return render_template("events/speaker.html", person=person, sessions=sessions,
                           appointment_on=services.appointment_on)


@bp.route("/organisations/<slug>")
def organisation(slug):
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug)) or abort(404)
    return render_template("events/organisation.html", organisation=organisation,
                           events=services.events_of_organisation(organisation), now=utcnow())


@bp.route("/organisations/<slug>/logo")
def logo(slug):
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None or organisation.logo is None:
        abort(404)
    response = Response(organisation.logo, mimetype=organisation.logo_content_type)
    response.set_etag(f"{organisation.id}-{organisation.logo_updated_at.timestamp():.0f}")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)
