"""Enqueue in the caller's transaction; a worker claims due messages and delivers them after the commit.

Delivery is at least once: a worker that dies between the SMTP server's 250 and its own commit
leaves the message to be claimed again when its claim lapses, and the resent copy carries the
same Message-ID. Two workers never hold the same claim: each claim is a conditional UPDATE.
"""

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, or_, select, update

from conference.core.timeutil import utcnow
from conference.extensions import db, mail
from conference.outbox.compose import CalendarPart, InlineImage, Mail, build, envelope_sender, render
from conference.outbox.models import OutboxMessage, OutboxState

CLAIM_SECONDS = 300
MAX_ATTEMPTS = 10
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 3600
FAILED_SHOWN = 200  # undelivered messages listed at once: enough to find a mistyped address


def enqueue(mail_: Mail, *, kind: str, event_id: int | None = None, batch: str | None = None) -> OutboxMessage:
    """Queue a mail; it is sent only if the caller's transaction commits."""
    message = build(mail_)
    row = OutboxMessage(kind=kind, sender=envelope_sender(), recipient=mail_.to_address, subject=mail_.subject,
                        message=message.as_bytes(policy=policy.SMTP), event_id=event_id, batch=batch)
    db.session.add(row)
    return row


@dataclass(frozen=True)
class Addressee:
    """Whom a mail goes to, and the language it is written in."""

    name: str
    email: str
    language: str


def send(template: str, to: Addressee, subject, *, kind: str, event_id: int | None = None,
         reply_to: str | None = None, calendar: CalendarPart | None = None,
         images: Sequence[InlineImage] = (), batch: str | None = None, **context) -> OutboxMessage:
    """Queue emails/<template> for `to`, in their language, in the caller's transaction.

    `subject` is a lazy string (`lazy_gettext("... %(title)s", title=...)`): it is read in the
    addressee's language, like the bodies.
    """
    with force_locale(to.language):
        subject_text = str(subject)
    text, html = render(template, to.language, **{"recipient": to, **context})
    return enqueue(Mail(to_name=to.name, to_address=to.email, subject=subject_text, text=text, html=html,
                        reply_to=reply_to or None, images=list(images), calendar=calendar),
                   kind=kind, event_id=event_id, batch=batch)


def claimable(now: datetime):
    return or_(OutboxMessage.state == OutboxState.QUEUED,
               (OutboxMessage.state == OutboxState.SENDING) & (OutboxMessage.claimed_until < now))


def claim_due(now: datetime, limit: int = 50) -> list[OutboxMessage]:
    """Take a batch of due messages for this worker, in its own short transaction."""
    candidates = db.session.scalars(
        select(OutboxMessage.id).where(claimable(now), OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
        .with_for_update(skip_locked=True)).all()
    claimed = []
    for message_id in candidates:
        # conditional: on SQLite, which has no SKIP LOCKED, another worker may have taken it meanwhile
        taken = db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id, claimable(now))
            .values(state=OutboxState.SENDING, claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        ).rowcount
        if taken:
            claimed.append(message_id)
    db.session.commit()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed))
                                   .order_by(OutboxMessage.id))) if claimed else []


class Transport:
    """Delivers raw messages over one SMTP connection, or to .eml files when no server is set."""

    def __init__(self):
        self.connection = None
        self.directory = None
        if not current_app.config.get("MAIL_SERVER"):
            self.directory = Path(current_app.config["MAIL_FILE_DIRECTORY"])
            self.directory.mkdir(parents=True, exist_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.reset()

    def reset(self) -> None:
        """Drop the SMTP connection; the next message opens a new one."""
        if self.connection is not None:
            try:
                self.connection.__exit__(None, None, None)
            except (smtplib.SMTPException, OSError):
                pass
            self.connection = None

    def send(self, row: OutboxMessage) -> None:
        if self.directory is not None:
            (self.directory / f"{row.id:08d}.eml").write_bytes(row.message)
            return
        if self.connection is None:
            self.connection = mail.connect()
            self.connection.__enter__()
        self.connection.host.sendmail(row.sender, [row.recipient], row.message)


def deliver_due(now: datetime | None = None, *, limit: int = 50) -> int:
    """Deliver what is due; returns how many messages were sent."""
    rows = claim_due(now or utcnow(), limit)
    sent = 0
    with Transport() as transport:
        for row in rows:
            try:
                transport.send(row)
            except smtplib.SMTPRecipientsRefused as error:
                code, reason = next(iter(error.recipients.values()))
                record_failure(row, f"{code} {reason.decode(errors='replace')}", permanent=code >= 500)
            except smtplib.SMTPResponseException as error:
                record_failure(row, f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}",
                               permanent=error.smtp_code >= 500)
                if error.smtp_code == 421:  # the server is closing the connection
                    transport.reset()
            except (smtplib.SMTPException, OSError) as error:
                record_failure(row, f"{type(error).__name__}: {error}", permanent=False)
                transport.reset()
            except Exception as error:  # noqa: BLE001 - one unsendable message must not stop the others
                current_app.logger.exception("outbox message %s cannot be sent", row.id)
                record_failure(row, f"{type(error).__name__}: {error}", permanent=True)
                transport.reset()
            else:
                row.state = OutboxState.SENT
                row.sent_at = utcnow()
                row.claimed_until = None
                row.last_error = None
                sent += 1
            db.session.commit()
    return sent


def record_failure(row: OutboxMessage, reason: str, *, permanent: bool) -> None:
    row.attempts += 1
    row.last_error = reason[:2000]
    row.claimed_until = None
    if permanent or row.attempts >= MAX_ATTEMPTS:
        row.state = OutboxState.FAILED
    else:
        row.state = OutboxState.QUEUED
        delay = min(FIRST_RETRY_SECONDS * 2 ** (row.attempts - 1), LONGEST_RETRY_SECONDS)
        row.next_attempt_at = utcnow() + timedelta(seconds=delay)


def retry(row: OutboxMessage) -> None:
    """An organiser sends a failed message again (after the address was corrected elsewhere)."""
    row.state = OutboxState.QUEUED
    row.next_attempt_at = utcnow()
    row.attempts = 0


def state_counts(event_id: int, batch: str | None = None) -> dict[OutboxState, int]:
    query = select(OutboxMessage.state, func.count()).where(OutboxMessage.event_id == event_id)
    if batch:
        query = query.where(OutboxMessage.batch == batch)
    counts = {state: 0 for state in OutboxState}
    counts.update(dict(db.session.execute(query.group_by(OutboxMessage.state)).all()))
    return counts


def parsed(row: OutboxMessage) -> EmailMessage:
    return message_from_bytes(row.message, policy=policy.default)


def failed_messages(event_id: int) -> list[OutboxMessage]:
    """The event's mail that could not be delivered, the latest first."""
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.event_id == event_id,
                                                               OutboxMessage.state == OutboxState.FAILED)
                                   .order_by(OutboxMessage.id.desc()).limit(FAILED_SHOWN)))
