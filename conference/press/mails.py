"""The mails of press access, each in its reader's language, queued in the outbox."""

from flask import current_app
from flask_babel import force_locale, gettext

from conference.outbox import services as outbox
from conference.outbox.compose import Mail, external_url, render


def _send(*, to_name: str, to_address: str, language: str, subject, template: str, event, kind: str,
          reply_to: str | None, **context) -> None:
    with force_locale(language):
        subject_text = subject(event.title)
    text, html = render(f"press/{template}", language, event=event,
                        event_url=external_url("events.event", slug=event.slug), **context)
    outbox.enqueue(Mail(to_name=to_name, to_address=to_address, subject=subject_text, text=text, html=html,
                        reply_to=reply_to), kind=kind, event_id=event.id)


def press_contact(event) -> str | None:
    return event.press_contact_email or event.contact_email or None


def new_request(press_request) -> None:
    event = press_request.event
    contact = press_contact(event)
    if contact is None:
        return  # the request waits in the review queue all the same
    _send(to_name=event.contact_name or contact, to_address=contact,
          language=current_app.config["BABEL_DEFAULT_LOCALE"],
          subject=lambda title: gettext("New press request for %(title)s", title=title),
          template="new_request", event=event, kind="press.new_request", reply_to=press_request.email,
          press_request=press_request,
          review_url=external_url("press_manage.review_queue", slug=event.slug))


def approved(press_request, access) -> None:
    from conference.press.services import watch_token

    event = press_request.event
    _send(to_name=press_request.name, to_address=press_request.email, language=press_request.language,
          subject=lambda title: gettext("Your link to the stream of %(title)s", title=title),
          template="approved", event=event, kind="press.approved", reply_to=press_contact(event),
          press_request=press_request, access=access,
          watch_url=external_url("press.watch", token=watch_token(access)))


def denied(press_request) -> None:
    event = press_request.event
    _send(to_name=press_request.name, to_address=press_request.email, language=press_request.language,
          subject=lambda title: gettext("Your press request for %(title)s", title=title),
          template="denied", event=event, kind="press.denied", reply_to=press_contact(event),
          press_request=press_request)
