"""Many people at once: no overbooking, a waiting list without gaps, every mail delivered exactly once.

These run on PostgreSQL only (`bash tests/with_postgres.sh .venv/bin/pytest tests/registration/test_concurrency.py`):
SQLite serialises writers and would hide the races they look for. Every thread works in its own
application context, so it has its own session and its own database connection, and the threads
are released together by a barrier.
"""

import threading
import time
from collections import Counter
from datetime import datetime, timezone
from email import message_from_bytes, policy

import pytest
from sqlalchemy import func, select, text

from conference.core.timeutil import utcnow
from conference.events.models import Event
from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.compose import Mail
from conference.outbox.models import OutboxMessage, OutboxState
from conference.registration import services
from conference.registration.models import Registration, RegistrationState
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("on_postgresql")]

BEFORE_THE_EVENT = datetime(2030, 1, 10, 12, 0, tzinfo=timezone.utc)
A_WEEK_LATER = datetime(2030, 1, 17, 12, 0, tzinfo=timezone.utc)
CAPACITY = 50
RUSH = 200
TIME_LIMIT = 180  # seconds for any one crowd of threads; a hang fails the test instead of the run


# ---------------------------------------------------------------- helpers

def all_at_once(count: int, work) -> list:
    """Run work(i, start) in `count` threads; each calls start() when ready, and all go on together.

    Returns the results in order; the first error in any thread is raised here.
    """
    barrier = threading.Barrier(count, timeout=TIME_LIMIT)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            results[i] = work(i, barrier.wait)
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(i,), name=f"crowd-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + TIME_LIMIT
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), f"threads still running after {TIME_LIMIT} s"
    real = [e for e in errors if not isinstance(e, threading.BrokenBarrierError)]
    if real or errors:
        raise (real or errors)[0]
    return results


def wait_until_someone_waits_for_a_lock(wide_app, seconds: float = 30) -> None:
    """Return once a connection of the test database waits for a row lock (or after `seconds`)."""
    with wide_app.app_context():
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not db.session.scalar(text(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock'")):
            db.session.rollback()
            time.sleep(0.02)
        db.session.remove()


def make_event(app, slug: str = "forum", capacity: int | None = CAPACITY) -> int:
    with app.app_context():
        event = f.event(slug, capacity=capacity)
        db.session.commit()
        return event.id


def register(app, event_id: int, email: str, start) -> tuple[int, bool]:
    """One person's registration in its own connection; returns the registration's id and whether it is new."""
    with app.test_request_context():
        try:
            event = db.session.get(Event, event_id)  # connected and ready before the crowd is let go
            start()
            registration, is_new = services.register(
                event, services.Applicant(name=f"Person {email}", email=email), now=BEFORE_THE_EVENT,
                consent_version="test", email_confirmed=True)
            db.session.commit()
            return registration.id, is_new
        finally:
            db.session.remove()


def rush(app, event_id: int, count: int = RUSH) -> list[tuple[int, bool]]:
    return all_at_once(count, lambda i, start: register(app, event_id, f"person{i:03d}@example.org", start))


def registrations(app, event_id: int) -> list[Registration]:
    with app.app_context():
        found = db.session.scalars(select(Registration).where(Registration.event_id == event_id)
                                   .order_by(Registration.id)).all()
        db.session.expunge_all()
        return list(found)


def seats_taken(app, event_id: int) -> int:
    with app.app_context():
        return f.seats_taken(event_id)


def by_state(found: list[Registration]) -> Counter:
    return Counter(r.state for r in found)


# ---------------------------------------------------------------- places and the waiting list

def test_200_people_registering_at_once_for_50_places_give_50_places_and_a_gapless_line_of_150(app, wide_app):
    event_id = make_event(app)

    answers = rush(wide_app, event_id)

    assert all(is_new for _, is_new in answers)
    assert len({registration_id for registration_id, _ in answers}) == RUSH
    found = registrations(app, event_id)
    assert by_state(found) == {RegistrationState.CONFIRMED: CAPACITY, RegistrationState.WAITLISTED: RUSH - CAPACITY}
    assert sorted(r.waitlist_position for r in found if r.state is RegistrationState.WAITLISTED) == \
        list(range(1, RUSH - CAPACITY + 1))
    assert all(r.waitlist_position is None and r.seat_since is not None
               for r in found if r.state is RegistrationState.CONFIRMED)
    assert seats_taken(app, event_id) == CAPACITY
    assert len({r.email_normalised for r in found}) == RUSH


def test_the_same_address_sent_by_20_threads_at_once_gives_one_registration(app, wide_app):
    event_id = make_event(app)
    # as typed by people in a hurry: case and spaces differ, the address is the same
    spellings = ["anna@example.org", "Anna@Example.org", " anna@example.org ", "ANNA@EXAMPLE.ORG"]

    answers = all_at_once(20, lambda i, start: register(wide_app, event_id, spellings[i % len(spellings)], start))

    assert [is_new for _, is_new in answers].count(True) == 1
    assert len({registration_id for registration_id, _ in answers}) == 1
    found = registrations(app, event_id)
    assert [(r.email_normalised, r.state) for r in found] == [("anna@example.org", RegistrationState.CONFIRMED)]
    assert seats_taken(app, event_id) == 1


def test_10_cancellations_at_once_give_their_places_to_the_first_10_in_line_and_nobody_else(app, wide_app):
    event_id = make_event(app)
    rush(wide_app, event_id)
    before = {r.id: r for r in registrations(app, event_id)}
    holders = [r.id for r in before.values() if r.state is RegistrationState.CONFIRMED][:10]
    line = {r.waitlist_position: r.id for r in before.values() if r.state is RegistrationState.WAITLISTED}
    assert sorted(line) == list(range(1, RUSH - CAPACITY + 1))

    def cancel(i: int, start) -> bool:
        with wide_app.test_request_context():
            try:
                registration = db.session.get(Registration, holders[i])
                start()
                changed = services.cancel(registration, A_WEEK_LATER, by="self")
                db.session.commit()
                return changed
            finally:
                db.session.remove()

    assert all(all_at_once(10, cancel))

    after = {r.id: r for r in registrations(app, event_id)}
    first_ten = {line[position] for position in range(1, 11)}
    promoted = {i for i, r in after.items() if before[i].state is RegistrationState.WAITLISTED
                and r.state is not RegistrationState.WAITLISTED}
    assert promoted == first_ten
    assert all(after[i].state is RegistrationState.CONFIRMED and after[i].waitlist_position is None
               for i in first_ten)
    assert {i for i, r in after.items() if r.state is RegistrationState.CANCELLED} == set(holders)
    still_waiting = {r.waitlist_position: i for i, r in after.items() if r.state is RegistrationState.WAITLISTED}
    assert still_waiting == {position: line[position] for position in range(11, RUSH - CAPACITY + 1)}
    assert by_state(after.values()) == {RegistrationState.CONFIRMED: CAPACITY, RegistrationState.CANCELLED: 10,
                                        RegistrationState.WAITLISTED: RUSH - CAPACITY - 10}
    assert seats_taken(app, event_id) == CAPACITY
    with app.app_context():
        told = db.session.scalars(select(OutboxMessage.recipient)
                                  .where(OutboxMessage.kind == "registration.promoted")).all()
    assert sorted(told) == sorted(after[i].email for i in first_ten)


# ---------------------------------------------------------------- the outbox

MESSAGES = 1000


def queue_messages(app, count: int) -> None:
    """`count` mails to `count` different people, queued in one transaction."""
    with app.test_request_context():
        for n in range(count):
            outbox.enqueue(Mail(to_name=f"Person {n}", to_address=f"person{n:04d}@example.org",
                                subject=f"Message {n}", text=f"Message {n}", html=f"<p>Message {n}</p>"),
                           kind="bench")
        db.session.commit()


def work_until_empty(app, start) -> int:
    """An outbox worker in its own application context: deliver until nothing is queued or being claimed."""
    with app.app_context():
        try:
            start()
            sent = 0
            deadline = time.monotonic() + TIME_LIMIT
            while time.monotonic() < deadline:
                just_sent = outbox.deliver_due(utcnow())
                sent += just_sent
                if just_sent == 0 and not db.session.scalar(
                        select(func.count(OutboxMessage.id)).where(OutboxMessage.state == OutboxState.QUEUED)):
                    break
                db.session.rollback()  # end the counting transaction; the next claim sees fresh rows
            return sent
        finally:
            db.session.remove()


def test_two_workers_draining_1000_messages_deliver_each_exactly_once(app, smtp):
    queue_messages(app, MESSAGES)

    sent = all_at_once(2, lambda i, start: work_until_empty(app, start))

    assert sum(sent) == MESSAGES
    received = Counter(message["Message-ID"] for message in smtp.messages)
    assert len(smtp.messages) == MESSAGES
    assert len(received) == MESSAGES, [mid for mid, n in received.items() if n > 1][:5]
    assert Counter(message["To"].addresses[0].addr_spec for message in smtp.messages) == \
        Counter(f"person{n:04d}@example.org" for n in range(MESSAGES))
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert Counter(row.state for row in rows) == {OutboxState.SENT: MESSAGES}
        queued_ids = {message_from_bytes(row.message, policy=policy.default)["Message-ID"] for row in rows}
    assert set(received) == queued_ids


def test_a_place_freed_while_someone_is_joining_the_line_goes_to_that_person(app, wide_app):
    event_id = make_event(app, capacity=2)
    first, _ = register(wide_app, event_id, "first@example.org", lambda: None)
    register(wide_app, event_id, "second@example.org", lambda: None)
    in_line, go_on = threading.Event(), threading.Event()

    def join_the_line(i: int, start) -> int:
        with wide_app.test_request_context():
            try:
                registration, _ = services.register(
                    db.session.get(Event, event_id), services.Applicant(name="Late", email="late@example.org"),
                    now=BEFORE_THE_EVENT, consent_version="test", email_confirmed=True)
                assert registration.state is RegistrationState.WAITLISTED
                in_line.set()  # placed in line; the transaction is still open, as during a request's rendering
                go_on.wait(TIME_LIMIT)
                db.session.commit()
                return registration.id
            finally:
                db.session.remove()

    def cancel_the_first(i: int, start) -> None:
        in_line.wait(TIME_LIMIT)
        with wide_app.test_request_context():
            try:
                services.cancel(db.session.get(Registration, first), A_WEEK_LATER, by="self")
                db.session.commit()
            finally:
                db.session.remove()

    def referee(i: int, start) -> None:
        # let the registrant commit once the cancellation waits for the places row
        in_line.wait(TIME_LIMIT)
        wait_until_someone_waits_for_a_lock(wide_app)
        go_on.set()

    late, _, _ = all_at_once(3, lambda i, start: [join_the_line, cancel_the_first, referee][i](i, start))

    later, _ = register(wide_app, event_id, "later@example.org", lambda: None)
    with app.app_context():
        assert db.session.get(Registration, late).state is RegistrationState.CONFIRMED
        assert f.seats_taken(event_id) == 2
        assert db.session.get(Registration, later).state is RegistrationState.WAITLISTED


def test_lowering_the_capacity_while_someone_registers_leaves_nobody_over_the_new_limit(app, wide_app):
    event_id = make_event(app, capacity=3)
    for n in range(2):
        register(wide_app, event_id, f"early{n}@example.org", lambda: None)
    lowered, go_on = threading.Event(), threading.Event()

    def organiser_lowers_the_capacity(i: int, start) -> None:
        with wide_app.test_request_context():
            try:
                event = db.session.get(Event, event_id)
                event.capacity = 2
                db.session.flush()  # the event row is changed and locked, not yet committed
                lowered.set()
                go_on.wait(TIME_LIMIT)
                db.session.commit()
            finally:
                db.session.remove()

    def late_registrant(i: int, start) -> tuple[int, bool]:
        lowered.wait(TIME_LIMIT)
        return register(wide_app, event_id, "late@example.org", lambda: None)

    def referee(i: int, start) -> None:
        # let the organiser commit once the registrant waits for the event row
        lowered.wait(TIME_LIMIT)
        wait_until_someone_waits_for_a_lock(wide_app)
        go_on.set()

    _, (late, _), _ = all_at_once(3, lambda i, start: [organiser_lowers_the_capacity, late_registrant,
                                                       referee][i](i, start))

    with app.app_context():
        assert f.seats_taken(event_id) == 2
        assert db.session.get(Registration, late).state is RegistrationState.WAITLISTED
