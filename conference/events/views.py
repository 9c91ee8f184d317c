"""Public pages of the programme: no login needed."""

from flask import Blueprint, Response, abort, render_template, request

from conference.core.loading import get_or_404
from conference.core.timeutil import utcnow
from conference.events import services
from conference.events.loading import owned_or_404, public_event_or_404, public_organisation_or_404
from conference.events.models import Person, Session

bp = Blueprint("events", __name__)


@bp.route("/")
def index():
    now = utcnow()
    return render_template("events/index.html", upcoming=services.upcoming_events(now),
                           past=services.past_events(now), now=now)


@bp.route("/events/<slug>/")
def event(slug):
    event = public_event_or_404(slug, programme=True)
    return render_template("events/event.html", event=event,
                           programme=services.programme_by_day_and_stage(event),
                           organisers=services.hosts_first(event),
                           registration_state=services.registration_state(event, utcnow()),
                           speakers_of=services.speakers_of)


@bp.route("/events/<slug>/sessions/<int:session_id>")
def session(slug, session_id):
    event = public_event_or_404(slug)
    session = owned_or_404(Session, session_id, event)
    return render_template("events/session.html", event=event, session=session,
                           speakers=services.speakers_of(session))


@bp.route("/speakers/<int:person_id>")
def speaker(person_id):
    person = get_or_404(Person, person_id)
    sessions = services.sessions_of_person(person)
    if not sessions:  # only people on a published programme have a public page
        abort(404)
    return render_template("events/speaker.html", person=person, sessions=sessions,
                           appointment_on=services.appointment_on)


@bp.route("/organisations/<slug>")
def organisation(slug):
    organisation = public_organisation_or_404(slug)
    return render_template("events/organisation.html", organisation=organisation,
                           events=services.events_of_organisation(organisation), now=utcnow())


@bp.route("/organisations/<slug>/logo")
def logo(slug):
    organisation = public_organisation_or_404(slug)
    if organisation.logo is None:
        abort(404)
    response = Response(organisation.logo, mimetype=organisation.logo_content_type)
    response.set_etag(f"{organisation.id}-{organisation.logo_updated_at.timestamp():.0f}")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)
