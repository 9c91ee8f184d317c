"""The mails of registration, each in the registrant's language, queued in the outbox."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from conference.calendars import ics, itip
from conference.core.timeutil import utcnow
from conference.core.tokens import grouped
from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.compose import CalendarPart, InlineImage, envelope_sender, external_url
from conference.outbox.models import OutboxMessage
from conference.registration import hooks, links, tickets
from conference.registration.recipients import attendee, picked_sessions, series_addresses

TICKET_CID = "ticket@conference"
RESEND_PAUSE = timedelta(minutes=15)


def _links(registration) -> dict:
    token = links.manage_token(registration)
    return {
        "manage_url": external_url("registration.manage", token=token),
        "confirm_url": external_url("registration.confirm", token=token),
        "event_url": external_url("events.event", slug=registration.event.slug),
    }


def _send(registration, kind: str, template: str, subject, *, images=(), calendar=None, **context) -> None:
    event = registration.event
    outbox.send(f"registration/{template}", attendee(registration), subject, kind=kind, event_id=event.id,
                reply_to=event.contact_email, images=images, calendar=calendar,
                registration=registration, event=event, **_links(registration), **context)


def confirm_address(registration) -> None:
    _send(registration, "registration.confirm_address", "confirm_address",
          _l("Confirm your registration for %(title)s", title=registration.event.title))


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
    event = registration.event
    code = links.ticket_code(registration)
    # an invitee of a weekly series has the meeting in their calendar already, as part of the series
    in_series = registration.email_normalised in series_addresses(event)
    # where attendees pick sessions, each picked session comes as a calendar object of its own
    picks = event.attendees_pick_sessions
    calendar = None if in_series or picks else CalendarPart(
        "REQUEST", itip.calendar(event, attendee(registration), itip.REQUEST), filename="event.ics")
    if picks:
        itip.send_picked_sessions(attendee(registration), picked_sessions(registration), itip.REQUEST)
    subject = (_l("You have a place at %(title)s", title=event.title) if promoted else
               _l("Your registration for %(title)s is confirmed", title=event.title))
    personal_links = dict(hooks.confirmation_links.run(registration=registration, now=utcnow()))
    _send(registration, "registration.promoted" if promoted else "registration.confirmed", "confirmed", subject,
          images=[InlineImage(TICKET_CID, tickets.qr_png(code))], calendar=calendar,
          ticket_code=grouped(code), ticket_cid=TICKET_CID, promoted=promoted,
          watch_url=personal_links.get("watch_url"))


def promoted(registration) -> None:
    confirmed(registration, promoted=True)


def waitlisted(registration) -> None:
    _send(registration, "registration.waitlisted", "waitlisted",
          _l("You are on the waiting list for %(title)s", title=registration.event.title))


def cancelled(registration) -> None:
    event = registration.event
    # a CANCEL only to whoever was sent the event for their calendar
    calendar = (CalendarPart("CANCEL", itip.calendar(event, attendee(registration), itip.CANCEL), filename="event.ics")
                if itip.delivery(event, registration.email) else None)
    if event.attendees_pick_sessions:
        itip.send_picked_sessions(attendee(registration), picked_sessions(registration), itip.CANCEL)
    _send(registration, "registration.cancelled", "cancelled",
          _l("Your registration for %(title)s is cancelled", title=event.title), calendar=calendar)


def link_sent_lately(registration) -> bool:
    """Registering again mails the link again, but not more than once a quarter: no one can
    use the form to flood somebody's inbox."""
    return db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.kind == "registration.link", OutboxMessage.event_id == registration.event_id,
        OutboxMessage.recipient == registration.email,
        OutboxMessage.created_at > utcnow() - RESEND_PAUSE).limit(1)) is not None


def manage_link(registration, *, by_organiser: bool = False) -> None:
    if not by_organiser and link_sent_lately(registration):
        return
    _send(registration, "registration.link", "link",
          _l("Your registration for %(title)s", title=registration.event.title))
