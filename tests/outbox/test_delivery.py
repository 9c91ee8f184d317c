"""The outbox loses nothing: SMTP down, refused addresses, a worker that died half-way."""

from datetime import timedelta

from sqlalchemy import select

from conference.core.timeutil import utcnow
from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.compose import Mail
from conference.outbox.models import OutboxMessage, OutboxState
from tests.fixtures.smtp import free_port, use_smtp_server
from tests.registration.conftest import deliver


def queue(app, *addresses: str) -> None:
    with app.test_request_context():
        for address in addresses:
            outbox.enqueue(Mail(to_name="Test", to_address=address, subject=f"Till {address}", text="Hej",
                                html="<p>Hej</p>"), kind="test")
        db.session.commit()


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        found = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return found


def make_due(app) -> None:
    with app.app_context():
        for row in db.session.scalars(select(OutboxMessage)):
            row.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()


def test_nothing_is_sent_before_the_change_commits(app, smtp):
    with app.test_request_context():
        outbox.enqueue(Mail(to_name="A", to_address="a@example.org", subject="S", text="t", html="h"), kind="test")
        db.session.rollback()
    assert deliver(app) == 0 and smtp.messages == [] and rows(app) == []


def test_mail_waits_while_the_smtp_server_is_down_and_goes_out_when_it_is_back(app):
    port = free_port()
    use_smtp_server(app, "127.0.0.1", port)  # nothing listens there yet
    queue(app, "a@example.org", "b@example.org")
    assert deliver(app) == 0
    waiting = rows(app)
    assert [r.state for r in waiting] == [OutboxState.QUEUED] * 2
    assert all(r.attempts == 1 and r.last_error and r.next_attempt_at > utcnow() for r in waiting)

    from aiosmtpd.controller import Controller
    from tests.fixtures.smtp import Inbox

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert deliver(app) == 0  # backing off: not due yet
        make_due(app)
        assert deliver(app) == 2
    finally:
        controller.stop()
        app.config["MAIL_SERVER"] = ""
    assert sorted(m["To"] for m in inbox.messages) == ["Test <a@example.org>", "Test <b@example.org>"]
    assert [r.state for r in rows(app)] == [OutboxState.SENT] * 2


def test_a_permanent_refusal_is_marked_failed_with_the_reason_and_not_retried(app, smtp):
    smtp.refuse["nobody@example.org"] = "550 5.1.1 No such user"
    queue(app, "nobody@example.org", "a@example.org")
    assert deliver(app) == 1
    failed, sent = rows(app)
    assert failed.state is OutboxState.FAILED and "550" in failed.last_error and "No such user" in failed.last_error
    assert sent.state is OutboxState.SENT
    make_due(app)
    assert deliver(app) == 0
    assert rows(app)[0].attempts == 1


def test_a_temporary_refusal_is_retried_with_growing_pauses(app, smtp):
    smtp.refuse["busy@example.org"] = "451 4.3.0 Try again later"
    queue(app, "busy@example.org")
    pauses = []
    for _ in range(3):
        make_due(app)
        before = utcnow()
        deliver(app)
        pauses.append((rows(app)[0].next_attempt_at - before).total_seconds())
    assert rows(app)[0].state is OutboxState.QUEUED and rows(app)[0].attempts == 3
    assert pauses[0] < pauses[1] < pauses[2]


def test_a_message_left_half_sent_by_a_crashed_worker_is_picked_up_again(app, smtp):
    queue(app, "a@example.org")
    with app.app_context():
        [claimed] = outbox.claim_due(utcnow())  # a worker claims it, then dies before sending
        db.session.remove()
    assert deliver(app) == 0  # the claim still stands
    with app.app_context():
        row = db.session.scalar(select(OutboxMessage))
        row.claimed_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert deliver(app) == 1
    assert len(smtp.messages) == 1


def test_a_claimed_message_is_not_claimed_by_a_second_worker(app):
    queue(app, "a@example.org", "b@example.org")
    with app.app_context():
        first = outbox.claim_due(utcnow())
        db.session.remove()
    with app.app_context():
        second = outbox.claim_due(utcnow())
        db.session.remove()
    assert len(first) == 2 and second == []


def test_a_retry_message_keeps_its_message_id(app, smtp):
    smtp.refuse["busy@example.org"] = "451 4.3.0 Try again later"
    queue(app, "busy@example.org")
    deliver(app)
    del smtp.refuse["busy@example.org"]
    make_due(app)
    deliver(app)
    with app.app_context():
        stored = outbox.parsed(db.session.scalar(select(OutboxMessage)))
    assert smtp.messages[0]["Message-ID"] == stored["Message-ID"]
