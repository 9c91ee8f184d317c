"""Calendar updates and cancellations by mail (iMIP, RFC 6047)."""

from flask_babel import force_locale, gettext

from conference.outbox import services as outbox
from conference.outbox.compose import CalendarPart, Mail, external_url, render


def _send(event, recipient, ics: bytes, method: str, template: str, subject) -> None:
    with force_locale(recipient.language):
        subject_text = subject(event.title)
    text, html = render(f"calendars/{template}", recipient.language, event=event, recipient=recipient,
                        event_url=external_url("events.event", slug=event.slug))
    outbox.enqueue(Mail(to_name=recipient.name, to_address=recipient.email, subject=subject_text, text=text,
                        html=html, reply_to=event.contact_email or None,
                        calendar=CalendarPart(method, ics, filename="event.ics")),
                   kind=f"calendar.{method.lower()}", event_id=event.id)


def update(event, recipient, ics: bytes) -> None:
    _send(event, recipient, ics, "REQUEST", "update", lambda title: gettext("Changed: %(title)s", title=title))


def event_cancelled(event, recipient, ics: bytes) -> None:
    _send(event, recipient, ics, "CANCEL", "cancelled", lambda title: gettext("Cancelled: %(title)s", title=title))


def session_message(session, recipient, ics: bytes, method: str) -> None:
    """A picked session's own calendar object: added, changed or removed."""
    event = session.event
    if method == "CANCEL":
        subject = lambda title: gettext("Removed from your calendar: %(title)s", title=title)  # noqa: E731
    else:
        subject = lambda title: gettext("In your calendar: %(title)s", title=title)  # noqa: E731
    with force_locale(recipient.language):
        subject_text = subject(session.title)
    text, html = render("calendars/session", recipient.language, event=event, session=session, recipient=recipient,
                        method=method, event_url=external_url("events.session", slug=event.slug,
                                                              session_id=session.id))
    outbox.enqueue(Mail(to_name=recipient.name, to_address=recipient.email, subject=subject_text, text=text,
                        html=html, reply_to=event.contact_email or None,
                        calendar=CalendarPart(method, ics, filename="session.ics")),
                   kind=f"calendar.session.{method.lower()}", event_id=event.id)
