"""Registration's reactions to changes of the programme, inside the organiser's transaction.

Registration knows who holds an event in their calendar, so it is registration that has the
calendars told when an event moves, is cancelled, or a picked session changes; and a place
freed by a larger capacity goes to the first in line. Each returns notices for the organiser.
"""

from datetime import datetime

from flask_babel import ngettext

from conference.calendars import itip, mails
from conference.events import hooks
from conference.events.models import Event, Session
from conference.outbox import hooks as outbox_hooks
from conference.registration import invitations, recipients, services


def calendar_update_sentence(sent: int) -> str:
    return ngettext("A calendar update went out to %(num)d person.", "Calendar updates went out to %(num)d people.",
                    sent)


def calendar_updates_sent(sent: int) -> list[str]:
    """The notice after a change, if any calendar was told."""
    return [calendar_update_sentence(sent)] if sent else []


@hooks.event_saved
def update_calendars(event: Event, **_) -> list[str]:
    """Calendars learn of changes that matter to them (times, title, place)."""
    if event.cancelled_at is not None or not itip.note_change(event):
        return []  # a cancelled event's calendars hold its CANCEL; an edit must not bring it back
    return calendar_updates_sent(itip.send_updates(event, recipients.event_recipients(event),
                                                   recipients.series_recipients(event)))


@hooks.event_saved
def hand_on_freed_places(event: Event, now: datetime, **_) -> list[str]:
    """Places added (or a limit removed) go to those waiting."""
    if event.cancelled_at is None:
        services.fill_free_seats(event, now)
    return []


@hooks.session_saved
def update_picked_session(session: Session, **_) -> list[str]:
    """Those who picked a session hear of changes that matter to their calendar."""
    if not session.event.attendees_pick_sessions or not itip.note_session_change(session):
        return []
    people = recipients.session_pickers(session)
    for recipient in people:
        mails.session_message(session, recipient, itip.session_calendar(session, recipient, itip.REQUEST),
                                   itip.REQUEST)
    return calendar_updates_sent(len(people))


@hooks.calendar_update_requested
def send_calendar_update(event: Event, **_) -> list[str]:
    """The organiser asks: everyone concerned gets the event (and their picked sessions) again."""
    itip.note_change(event, force=True)
    sent = itip.send_updates(event, recipients.event_recipients(event), recipients.series_recipients(event))
    sent += itip.send_session_updates(recipients.picked_sessions_with_pickers(event))
    return [calendar_update_sentence(sent)]


@hooks.event_cancelled
def send_cancellations(event: Event, **_) -> list[str]:
    """Registration closes, and every calendar that holds the event or its sessions is told."""
    itip.note_change(event)
    told = itip.send_cancellations(event, recipients.event_recipients(event),
                                   recipients.picked_sessions_with_pickers(event),
                                   recipients.series_recipients(event))
    return [ngettext("The event is cancelled; %(num)d person was told.",
                     "The event is cancelled; %(num)d people were told.", told)]


@hooks.cancellation_consequences
def who_will_be_told(event: Event) -> list[str]:
    return [ngettext(
        "Registration closes, the public page says the event is cancelled, and %(num)d person with a place or "
        "an open invitation gets a cancellation that removes the event from their calendar.",
        "Registration closes, the public page says the event is cancelled, and %(num)d people with a place or "
        "an open invitation get a cancellation that removes the event from their calendar.",
        len(recipients.event_recipients(event)))]


@outbox_hooks.messages_to_come
def invitations_to_come(event_id: int, batch: str, **_) -> list[int]:
    """An uploaded file's invitations whose mail the worker has yet to write are on their way too."""
    count = invitations.still_to_mail(event_id, batch)
    return [count] if count else []
