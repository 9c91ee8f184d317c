"""Enqueue in the caller's transaction; a worker claims due messages and delivers them."""

import smtplib
import time
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_mail import Message
from sqlalchemy import or_, select

from conference.core.timeutil import utcnow
from conference.extensions import db, mail
from conference.outbox.models import OutboxMessage, OutboxState

CLAIM_SECONDS = 300
MAX_ATTEMPTS = 8


def enqueue(recipient: str, subject: str, body_text: str, *, body_html: str | None = None,
            reply_to: str | None = None, event_id: int | None = None) -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, subject=subject, body_text=body_text, body_html=body_html,
                            reply_to=reply_to, event_id=event_id)
    db.session.add(message)
    return message


def claim_due(now: datetime, limit: int = 20) -> list[OutboxMessage]:
    """Mark a batch of due messages as ours; SKIP LOCKED keeps two workers apart on PostgreSQL."""
    query = (select(OutboxMessage)
             .where(or_(OutboxMessage.state == OutboxState.QUEUED,
                        (OutboxMessage.state == OutboxState.SENDING) & (OutboxMessage.claimed_until < now)),
                    OutboxMessage.next_attempt_at <= now)
             .order_by(OutboxMessage.id).limit(limit)
             .with_for_update(skip_locked=True))
    messages = list(db.session.scalars(query))
    for message in messages:
        message.state = OutboxState.SENDING
        message.claimed_until = now + timedelta(seconds=CLAIM_SECONDS)
    db.session.commit()
    return messages


def deliver(message: OutboxMessage) -> None:
    mail_message = Message(subject=message.subject, recipients=[message.recipient], body=message.body_text,
                           html=message.body_html, reply_to=message.reply_to,
                           sender=current_app.config["MAIL_DEFAULT_SENDER"])
    if current_app.config.get("MAIL_SERVER"):
        mail.send(mail_message)
    else:
        directory = Path(current_app.config["MAIL_FILE_DIRECTORY"])
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{message.id:08d}.eml").write_bytes(mail_message.as_bytes())


def deliver_due(now: datetime | None = None) -> int:
    """Deliver what is due; returns how many messages were sent."""
    sent = 0
    for message in claim_due(now or utcnow()):
        try:
            deliver(message)
        except smtplib.SMTPResponseException as error:
            record_failure(message, f"{error.smtp_code} {error.smtp_error!r}", permanent=500 <= error.smtp_code < 600)
        except (smtplib.SMTPException, OSError) as error:
            record_failure(message, repr(error), permanent=False)
        else:
            message.state = OutboxState.SENT
            message.sent_at = utcnow()
            message.claimed_until = None
            sent += 1
        db.session.commit()
    return sent


def record_failure(message: OutboxMessage, reason: str, *, permanent: bool) -> None:
    message.attempts += 1
    message.last_error = reason
    message.claimed_until = None
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.state = OutboxState.FAILED
    else:
        message.state = OutboxState.QUEUED
        message.next_attempt_at = utcnow() + timedelta(seconds=30 * 2 ** (message.attempts - 1))


def work(*, once: bool = False, idle_seconds: float = 2.0) -> None:
    while True:
        sent = deliver_due()
        if once:
            return
        if not sent:
            time.sleep(idle_seconds)
