"""Calendar updates and cancellations by mail (iMIP, RFC 6047)."""

from flask_babel import lazy_gettext as _l

from conference.outbox import services as outbox
from conference.outbox.compose import CalendarPart, external_url


def _send(event, recipient, ics: bytes, method: str, template: str, subject) -> None:
    outbox.send(f"calendars/{template}", recipient, subject, kind=f"calendar.{method.lower()}", event_id=event.id,
                reply_to=event.contact_email, calendar=CalendarPart(method, ics, filename="event.ics"),
                event=event, event_url=external_url("events.event", slug=event.slug))


def update(event, recipient, ics: bytes) -> None:
    _send(event, recipient, ics, "REQUEST", "update", _l("Changed: %(title)s", title=event.title))


def event_cancelled(event, recipient, ics: bytes) -> None:
    _send(event, recipient, ics, "CANCEL", "cancelled", _l("Cancelled: %(title)s", title=event.title))


def session_message(session, recipient, ics: bytes, method: str) -> None:
    """A picked session's own calendar object: added, changed or removed."""
    event = session.event
    subject = (_l("Removed from your calendar: %(title)s", title=session.title) if method == "CANCEL"
               else _l("In your calendar: %(title)s", title=session.title))
    outbox.send("calendars/session", recipient, subject, kind=f"calendar.session.{method.lower()}",
                event_id=event.id, reply_to=event.contact_email,
                calendar=CalendarPart(method, ics, filename="session.ics"), event=event, session=session,
                method=method, event_url=external_url("events.session", slug=event.slug, session_id=session.id))
