"""The mails of registration, each in the registrant's language, queued in the outbox."""

from datetime import timedelta

from flask_babel import force_locale, gettext

from conference.calendars import ics, itip
from conference.core.tokens import grouped
from conference.outbox import services as outbox
from conference.outbox.compose import CalendarPart, InlineImage, Mail, envelope_sender, external_url, render
from conference.registration import tickets

TICKET_CID = "ticket@conference"


def _links(registration) -> dict:
    from conference.registration.services import manage_token

    token = manage_token(registration)
    return {
        "manage_url": external_url("registration.manage", token=token),
        "confirm_url": external_url("registration.confirm", token=token),
        "event_url": external_url("events.event", slug=registration.event.slug),
    }


def _subject(registration, translated) -> str:
    """The subject in the registrant's language; `translated` calls gettext with a literal, for extraction."""
    with force_locale(registration.language):
        return translated(registration.event.title)


def _send(registration, kind: str, template: str, subject: str, *, images=(), calendar=None, **context) -> None:
    event = registration.event
    text, html = render(f"registration/{template}", registration.language, registration=registration,
                        event=event, **_links(registration), **context)
    mail = Mail(to_name=registration.name, to_address=registration.email, subject=subject, text=text, html=html,
                reply_to=event.contact_email or None, images=list(images), calendar=calendar)
    outbox.enqueue(mail, kind=kind, event_id=event.id)


def confirm_address(registration) -> None:
    _send(registration, "registration.confirm_address", "confirm_address",
          _subject(registration, lambda title: gettext("Confirm your registration for %(title)s", title=title)))


def ics_for(registration, *, method: str = "PUBLISH") -> bytes:
    """The event as a calendar file for the registrant to download (not an invitation)."""
    event = registration.event
    return ics.invitation(
        method=method, uid=ics.event_uid(event.id),
        sequence=itip.next_sequence(event, registration.email, itip.REQUEST), summary=event.title,
        description=event.summary, url=external_url("events.event", slug=event.slug), location=event.venue,
        starts_at=event.starts_at, ends_at=event.ends_at, tz_name=event.timezone,
        organizer_name=event.contact_name or event.title,
        organizer_email=event.contact_email or envelope_sender(),
        attendee_name=registration.name, attendee_email="" if method == "PUBLISH" else registration.email,
        status="CANCELLED" if event.cancelled_at else "CONFIRMED")


def confirmed(registration, *, promoted: bool = False) -> None:
    from conference.registration.services import ticket_code

    event = registration.event
    code = ticket_code(registration)
    # an invitee of a weekly series has the meeting in their calendar already, as part of the series
    in_series = registration.email_normalised in itip.series_addresses(event)
    # where attendees pick sessions, each picked session comes as a calendar object of its own
    picks = event.attendees_pick_sessions
    calendar = None if in_series or picks else CalendarPart(
        "REQUEST", itip.calendar(event, attendee(registration), itip.REQUEST), filename="event.ics")
    if picks:
        from conference.registration.services import picked_sessions

        itip.send_picked_sessions(registration, picked_sessions(registration), itip.REQUEST)
    subject = (_subject(registration, lambda title: gettext("You have a place at %(title)s", title=title))
               if promoted else
               _subject(registration, lambda title: gettext("Your registration for %(title)s is confirmed",
                                                            title=title)))
    _send(registration, "registration.promoted" if promoted else "registration.confirmed", "confirmed", subject,
          images=[InlineImage(TICKET_CID, tickets.qr_png(code))],
          calendar=calendar,
          ticket_code=grouped(code), ticket_cid=TICKET_CID, promoted=promoted, watch_url=watch_link(registration))


def watch_link(registration) -> str | None:
    """Where the event gives its stream to registrants, each gets a personal watch link."""
    from conference.core.timeutil import utcnow
    from conference.press import services as press

    access = press.access_for_registration(registration, utcnow())
    return external_url("press.watch", token=press.watch_token(access)) if access else None


def promoted(registration) -> None:
    confirmed(registration, promoted=True)


def waitlisted(registration) -> None:
    _send(registration, "registration.waitlisted", "waitlisted",
          _subject(registration, lambda title: gettext("You are on the waiting list for %(title)s", title=title)))


def attendee(registration) -> itip.Recipient:
    return itip.Recipient(registration.name, registration.email, registration.language, "ACCEPTED")


def cancelled(registration) -> None:
    event = registration.event
    # a CANCEL only to whoever was sent the event for their calendar
    calendar = (CalendarPart("CANCEL", itip.calendar(event, attendee(registration), itip.CANCEL), filename="event.ics")
                if itip.delivery(event, registration.email) else None)
    if event.attendees_pick_sessions:
        from conference.registration.services import picked_sessions

        itip.send_picked_sessions(registration, picked_sessions(registration), itip.CANCEL)
    _send(registration, "registration.cancelled", "cancelled",
          _subject(registration, lambda title: gettext("Your registration for %(title)s is cancelled", title=title)),
          calendar=calendar)


RESEND_PAUSE = timedelta(minutes=15)


def link_sent_lately(registration) -> bool:
    """Registering again mails the link again, but not more than once a quarter: no one can
    use the form to flood somebody's inbox."""
    from sqlalchemy import select

    from conference.core.timeutil import utcnow
    from conference.extensions import db
    from conference.outbox.models import OutboxMessage

    return db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.kind == "registration.link", OutboxMessage.event_id == registration.event_id,
        OutboxMessage.recipient == registration.email,
        OutboxMessage.created_at > utcnow() - RESEND_PAUSE).limit(1)) is not None


def manage_link(registration, *, by_organiser: bool = False) -> None:
    if not by_organiser and link_sent_lately(registration):
        return
    _send(registration, "registration.link", "link",
          _subject(registration, lambda title: gettext("Your registration for %(title)s", title=title)))
