"""The read-only JSON API: events, their programme, speakers and organisers."""

from flask import Blueprint, jsonify, url_for

from conference.core.timeutil import to_local, utcnow
from conference.events import services
from conference.events.loading import public_event_or_404
from conference.events.models import Event, Session
from conference.events.services import SpeakerOnDay

bp = Blueprint("api", __name__)


def iso(moment, tz_name: str) -> str:
    return to_local(moment, tz_name).isoformat()


def event_summary(event: Event, now) -> dict:
    return {
        "slug": event.slug,
        "title": event.title,
        "kind": event.kind.value,
        "format": event.format.value,
        "starts_at": iso(event.starts_at, event.timezone),
        "ends_at": iso(event.ends_at, event.timezone),
        "timezone": event.timezone,
        "registration": services.registration_state(event, now).value,
        "cancelled": event.cancelled_at is not None,
        "url": url_for("events.event", slug=event.slug, _external=True),
        "api_url": url_for("api.event", slug=event.slug, _external=True),
    }


def speaker_json(speaker: SpeakerOnDay) -> dict:
    appointment = speaker.appointment
    return {
        "id": speaker.person.id,
        "name": speaker.person.name,
        "role": speaker.role.value,
        "title": appointment.title if appointment else None,
        "organisation": appointment.organisation.name if appointment and appointment.organisation else None,
        "url": url_for("events.speaker", person_id=speaker.person.id, _external=True),
    }


def session_json(session: Session, event: Event) -> dict:
    return {
        "id": session.id,
        "title": session.title,
        "abstract": session.abstract,
        "kind": session.kind.value,
        "language": session.language,
        "stage": session.stage.name if session.stage else None,
        "starts_at": iso(session.starts_at, event.timezone),
        "ends_at": iso(session.ends_at, event.timezone),
        "speakers": [speaker_json(s) for s in services.speakers_of(session)],
        "url": url_for("events.session", slug=event.slug, session_id=session.id, _external=True),
    }


@bp.route("/events")
def events():
    now = utcnow()
    listed = services.upcoming_events(now) + services.past_events(now)
    return jsonify({"events": [event_summary(e, now) for e in listed]})


@bp.route("/events/<slug>")
def event(slug):
    event = public_event_or_404(slug, programme=True)
    now = utcnow()
    body = event_summary(event, now)
    body.update({
        "summary": event.summary,
        "audience": event.audience,
        "venue": event.venue or None,
        "series": event.series.name if event.series else None,
        "capacity": event.capacity,
        "contact": {"name": event.contact_name or None, "email": event.contact_email or None,
                    "phone": event.contact_phone or None},
        "organisers": [{
            "name": link.organisation.name,
            "short_name": link.organisation.short_name or None,
            "kind": link.organisation.kind.value,
            "role": link.role.value,
            "url": url_for("events.organisation", slug=link.organisation.slug, _external=True),
        } for link in services.hosts_first(event)],
        "stages": [stage.name for stage in event.stages],
        "sessions": [session_json(s, event) for s in event.sessions],
    })
    return jsonify(body)

