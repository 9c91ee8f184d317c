"""The rules of written feedback on a meeting: who may comment, until when, attachments, the summary.

The window opens when the meeting ends (Event.ends_at, so it follows a moved meeting) and closes
after its deadline, `closes_at`, which holds the minute the organiser typed. Pages say "until 23:59",
and people read that as taking in the whole minute, so the minute counts: with a deadline of 23:59
a comment arriving at 23:59:59 is taken and one at 00:00:00 is not. `accepts_until` is that rule.

Participants comment through their personal links (registration or invitation), which prove who
they are; where the organisers allow it, anyone may comment through the public form. An address
typed in the public form is never confirmed, so its receipt repeats nothing typed (not even the
name) and it gets no summary by mail: the summary is on the meeting's page. Publishing the summary
mails every participant once, in their own language; the summary can be corrected later without
mailing anyone again.
"""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select, update
from sqlalchemy.exc import IntegrityError

from conference.consultation.comments.attachments import CheckedFile
from conference.consultation.comments.models import FeedbackAudience, FeedbackWindow, WrittenComment
from conference.core import audit
from conference.core.addresses import normalise_email
from conference.core.errors import Refusal
from conference.core.spreadsheet import csv_file, spreadsheet_time
from conference.events.models import Event
from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.compose import external_url
from conference.registration.models import Invitation, InvitationState, Registration, RegistrationState

MAX_BODY = 10_000  # characters; a longer text goes in an attachment
DEADLINE_MINUTE = timedelta(minutes=1)  # the typed deadline minute is the last one taken


class FeedbackError(Refusal):
    """A change the rules of written feedback refuse; `field` names the form field it is about, if any.

    A refusal without a field (participants_only, not_yet_open, closed, address_not_confirmed) is no
    matter of what was typed: the comment page tells it in its own words, with the window's times.
    """

    messages = {
        "closes_before_meeting_ends": _l("The deadline must be after the meeting ends."),
        "summary_empty": _l("Write the summary before you publish it."),
        "body_empty": _l("Write your comment."),
        "body_too_long": _l("Write at most 10,000 characters; put a longer text in an attachment."),
    }


class Phase(enum.Enum):
    NOT_YET_OPEN = "not_yet_open"  # the meeting has not ended
    OPEN = "open"
    CLOSED = "closed"  # the deadline has passed


@dataclass
class Commenter:
    """Who sends a comment: from a personal link, or as typed in the public form."""

    name: str
    email: str
    organisation_name: str = ""
    language: str = "sv"
    registration_id: int | None = None
    invitation_id: int | None = None


# ---------------------------------------------------------------- the window

def window_query(event: Event) -> Select:
    return select(FeedbackWindow).where(FeedbackWindow.event_id == event.id)


def window_of(event: Event) -> FeedbackWindow | None:
    return db.session.scalar(window_query(event))


def opens_at(window: FeedbackWindow) -> datetime:
    return window.event.ends_at


def accepts_until(window: FeedbackWindow) -> datetime:
    """The first moment too late: the end of the deadline's minute, so "until 23:59" takes 23:59:59."""
    return window.closes_at + DEADLINE_MINUTE


def phase(window: FeedbackWindow, now: datetime) -> Phase:
    if now < opens_at(window):
        return Phase.NOT_YET_OPEN
    if now < accepts_until(window):
        return Phase.OPEN
    return Phase.CLOSED


def save_window(event: Event, *, closes_at: datetime, audience: FeedbackAudience, instructions: str,
                user_id: int | None) -> tuple[FeedbackWindow, bool]:
    """Open the meeting's window, or change its deadline, audience and instructions. Returns (window, created)."""
    if closes_at <= event.ends_at:
        raise FeedbackError("closes_before_meeting_ends", field="deadline_date")
    window = window_of(event)
    created = window is None
    if created:
        window = FeedbackWindow(event_id=event.id, closes_at=closes_at, audience=audience,
                                instructions=instructions.strip(), created_by_user_id=user_id)
        try:
            with db.session.begin_nested():
                db.session.add(window)
                db.session.flush()
        except IntegrityError:  # opened by another organiser a moment ago: change that one
            window = window_of(event)
            created = False
    window.closes_at = closes_at
    window.audience = audience
    window.instructions = instructions.strip()
    audit.record("feedback_window.opened" if created else "feedback_window.changed", window, event_id=event.id,
                 closes_at=closes_at.isoformat(), audience=audience.value, user_id=user_id)
    return window, created


# ---------------------------------------------------------------- who comments

def registration_may_comment(registration: Registration) -> bool:
    """A registrant whose address is confirmed; a place held, waited for or given up all count."""
    return registration.state not in (RegistrationState.PENDING, RegistrationState.EXPIRED)


def commenter_for_registration(registration: Registration) -> Commenter:
    if not registration_may_comment(registration):
        raise FeedbackError("address_not_confirmed")
    return Commenter(name=registration.name, email=registration.email,
                     organisation_name=registration.organisation_name, language=registration.language,
                     registration_id=registration.id)


def commenter_for_invitation(invitation: Invitation) -> Commenter:
    """Anyone invited: one who cannot come is just who sends a written comment."""
    return Commenter(name=invitation.name, email=invitation.email, organisation_name=invitation.organisation_name,
                     language=invitation.language, invitation_id=invitation.id)


def check_accepting(window: FeedbackWindow, now: datetime, *, public_form: bool) -> None:
    """Raise unless the window takes a comment now, through this way in."""
    if public_form and window.audience is not FeedbackAudience.ANYONE:
        raise FeedbackError("participants_only")
    current = phase(window, now)
    if current is Phase.NOT_YET_OPEN:
        raise FeedbackError("not_yet_open")
    if current is Phase.CLOSED:
        raise FeedbackError("closed")


def submit_comment(window: FeedbackWindow, commenter: Commenter, *, body: str, attachment: CheckedFile | None,
                   now: datetime, public_form: bool) -> WrittenComment:
    """Store the comment and mail the sender a receipt; refused outside the window or the audience."""
    check_accepting(window, now, public_form=public_form)
    body = body.strip()
    if not body:
        raise FeedbackError("body_empty", field="body")
    if len(body) > MAX_BODY:
        raise FeedbackError("body_too_long", field="body")
    comment = WrittenComment(
        window_id=window.id, window=window, registration_id=commenter.registration_id,
        invitation_id=commenter.invitation_id, name=" ".join(commenter.name.split()),
        email=commenter.email.strip(), email_normalised=normalise_email(commenter.email),
        organisation_name=" ".join(commenter.organisation_name.split()), language=commenter.language,
        body=body, created_at=now)
    if attachment is not None:
        comment.attachment = attachment.data
        comment.attachment_name = attachment.name
        comment.attachment_type = attachment.content_type
        comment.attachment_size = len(attachment.data)
    db.session.add(comment)
    audit.record("written_comment.created", comment, event_id=window.event_id,
                 through="public" if public_form else "registration" if commenter.registration_id else "invitation",
                 attachment=attachment.content_type if attachment else None)
    mail_receipt(comment)
    return comment


def through_link(comment: WrittenComment) -> bool:
    """Sent through a registration or invitation link, whose mail proved the address; not the public form."""
    return comment.registration_id is not None or comment.invitation_id is not None


def comments_of(window: FeedbackWindow) -> list[WrittenComment]:
    return list(db.session.scalars(select(WrittenComment).where(WrittenComment.window_id == window.id)
                                   .order_by(WrittenComment.created_at, WrittenComment.id)))


# ---------------------------------------------------------------- the export

def export_csv(window: FeedbackWindow, comments: list[WrittenComment]) -> str:
    """Every comment as a spreadsheet row, in the organiser's language, every cell safe to open.

    The file holds names and addresses: who took it is on record.
    """
    audit.record("written_comments.exported", window, event_id=window.event_id, rows=len(comments))
    tz_name = window.event.timezone
    header = (gettext("Name"), gettext("E-mail address"), gettext("Organisation"), gettext("Sent at"),
              gettext("Comment"), gettext("Attachment"))
    return csv_file(header, ((comment.name, comment.email, comment.organisation_name,
                              spreadsheet_time(comment.created_at, tz_name), comment.body,
                              comment.attachment_name or "") for comment in comments))


# ---------------------------------------------------------------- the summary

def save_summary(window: FeedbackWindow, text: str, *, publish: bool, now: datetime,
                 user_id: int | None) -> tuple[str, int]:
    """Save the summary: a draft, the publication (which mails every participant once) or a correction.

    Returns what it was ("draft", "published" or "corrected") and how many were mailed. Publishing
    is one conditional UPDATE, so two organisers pressing the button at once mail the participants once.
    """
    text = text.replace("\r\n", "\n").strip()
    already_published = window.summary_published_at is not None
    if (publish or already_published) and not text:
        raise FeedbackError("summary_empty", field="summary")
    if publish and not already_published:
        published = db.session.execute(
            update(FeedbackWindow).where(FeedbackWindow.id == window.id,
                                         FeedbackWindow.summary_published_at.is_(None))
            .values(summary=text, summary_published_at=now).execution_options(synchronize_session=False)
        ).rowcount == 1
        db.session.refresh(window)
        if published:
            recipients = summary_recipients(window)
            for recipient in recipients:
                mail_summary(window, recipient)
            audit.record("feedback_summary.published", window, event_id=window.event_id, mailed=len(recipients),
                         user_id=user_id)
            return "published", len(recipients)
    window.summary = text
    if window.summary_published_at is None:
        audit.record("feedback_summary.drafted", window, event_id=window.event_id, user_id=user_id)
        return "draft", 0
    audit.record("feedback_summary.corrected", window, event_id=window.event_id, user_id=user_id)
    return "corrected", 0


def summary_recipients(window: FeedbackWindow) -> list[outbox.Addressee]:
    """Confirmed registrants, invitees who have not declined and everyone who commented through their link;
    once per address. An address typed in the public form was never confirmed, so it is not mailed."""
    event_id = window.event_id
    people = [
        *db.session.execute(select(Registration.name, Registration.email, Registration.email_normalised,
                                   Registration.language)
                            .where(Registration.event_id == event_id, Registration.state == RegistrationState.CONFIRMED)
                            .order_by(Registration.id)),
        *db.session.execute(select(Invitation.name, Invitation.email, Invitation.email_normalised, Invitation.language)
                            .where(Invitation.event_id == event_id, Invitation.state != InvitationState.DECLINED)
                            .order_by(Invitation.id)),
        *db.session.execute(select(WrittenComment.name, WrittenComment.email, WrittenComment.email_normalised,
                                   WrittenComment.language)
                            .where(WrittenComment.window_id == window.id,
                                   or_(WrittenComment.registration_id.is_not(None),
                                       WrittenComment.invitation_id.is_not(None)))
                            .order_by(WrittenComment.id)),
    ]
    chosen: dict[str, outbox.Addressee] = {}
    for name, email, normalised, language in people:
        # the first seen wins: a registration's name and language before an invitation's or a comment's
        chosen.setdefault(normalised, outbox.Addressee(name=name, email=email, language=language or "sv"))
    return list(chosen.values())


# ---------------------------------------------------------------- mails

def mail(event: Event, template: str, to: outbox.Addressee, subject, *, kind: str, batch: str | None = None,
         **context) -> None:
    """Queue emails/consultation/<template> about the meeting; answers go to the meeting's contact."""
    outbox.send(f"consultation/{template}", to, subject, kind=kind, event_id=event.id,
                reply_to=event.contact_email or None, batch=batch, event=event, name=to.name,
                event_url=external_url("events.event", slug=event.slug), **context)


def mail_receipt(comment: WrittenComment) -> None:
    """A receipt that tells when the comment arrived; it repeats nothing the sender typed.

    Through a personal link the name is the registration's or invitation's, and the receipt greets
    it. An address typed in the public form may be someone else's: that receipt has no name, in the
    greeting or the header, and tells whoever did not send the comment to ignore the mail."""
    event = comment.window.event
    confirmed = through_link(comment)
    to = outbox.Addressee(comment.name if confirmed else "", comment.email, comment.language)
    mail(event, "comment_received", to, _l("We have received your comment on %(title)s", title=event.title),
         kind="consultation.comment_received", comment=comment, window=comment.window, through_link=confirmed)


def mail_summary(window: FeedbackWindow, to: outbox.Addressee) -> None:
    event = window.event
    mail(event, "summary_published", to, _l("Summary of the written feedback on %(title)s", title=event.title),
         kind="consultation.summary", batch=f"summary-{window.id}", window=window)
