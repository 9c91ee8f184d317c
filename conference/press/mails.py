"""The mails of press access, each in its reader's language, queued in the outbox."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.compose import external_url
from conference.outbox.services import Addressee
from conference.press.models import StreamSettings


def _send(to: Addressee, subject, *, template: str, event, kind: str, reply_to: str | None, **context) -> None:
    outbox.send(f"press/{template}", to, subject, kind=kind, event_id=event.id, reply_to=reply_to, event=event,
                event_url=external_url("events.event", slug=event.slug), **context)


def press_contact(event) -> str | None:
    stored = db.session.get(StreamSettings, event.id)
    return (stored.press_contact_email if stored else "") or event.contact_email or None


def journalist(press_request) -> Addressee:
    return Addressee(press_request.name, press_request.email, press_request.language)


def new_request(press_request) -> None:
    event = press_request.event
    contact = press_contact(event)
    if contact is None:
        return  # the request waits in the review queue all the same
    _send(Addressee(event.contact_name or contact, contact, current_app.config["BABEL_DEFAULT_LOCALE"]),
          _l("New press request for %(title)s", title=event.title), template="new_request", event=event,
          kind="press.new_request", reply_to=press_request.email, press_request=press_request,
          review_url=external_url("press_manage.review_queue", slug=event.slug))


def approved(press_request, access, watch_url: str) -> None:
    event = press_request.event
    _send(journalist(press_request), _l("Your link to the stream of %(title)s", title=event.title),
          template="approved", event=event, kind="press.approved", reply_to=press_contact(event),
          press_request=press_request, access=access, watch_url=watch_url)


def denied(press_request) -> None:
    event = press_request.event
    _send(journalist(press_request), _l("Your press request for %(title)s", title=event.title),
          template="denied", event=event, kind="press.denied", reply_to=press_contact(event),
          press_request=press_request)
