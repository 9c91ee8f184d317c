"""The worker runs what features register: one-off jobs once, periodic jobs on time, failures again later."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from conference.core import jobs
from conference.core.jobs import Job, JobState
from conference.core.models import AuditEntry
from conference.core.timeutil import utcnow
from conference.extensions import db

T0 = utcnow().replace(microsecond=0) + timedelta(days=1)


def note(now, text: str = "", **_):
    """A job's effect, in the job's transaction."""
    db.session.add(AuditEntry(action="test.job", object_type="Test", detail={"text": text}))


def note_then_fail(now, text: str = "", **_):
    note(now, text)
    raise RuntimeError("the job broke half-way")


def tick(now):
    note(now, "tick")


@pytest.fixture
def registered():
    """Register the test jobs for one test only, so that no other test's worker runs them."""
    before = dict(jobs.REGISTRY)
    jobs.job(note)
    jobs.job(note_then_fail)
    jobs.periodic(every=timedelta(minutes=5))(tick)
    yield
    jobs.REGISTRY.clear()
    jobs.REGISTRY.update(before)


def notes() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "test.job")
                                   .order_by(AuditEntry.id)))


def work(now) -> int:
    done = jobs.run_due(now)
    db.session.remove()
    return done


def test_a_job_queued_in_a_transaction_that_rolls_back_never_runs(ctx, registered):
    jobs.enqueue(note, text="lost")
    db.session.rollback()
    work(T0)
    assert "lost" not in [n["text"] for n in notes()]
    assert db.session.scalar(select(func.count(Job.id)).where(~Job.periodic)) == 0


def test_a_one_off_job_runs_once_and_its_changes_commit_with_its_done_state(ctx, registered):
    jobs.enqueue(note, text="hello")
    db.session.commit()
    work(T0)
    work(T0 + timedelta(hours=1))
    assert [n["text"] for n in notes() if n["text"] != "tick"] == ["hello"]
    row = db.session.scalar(select(Job).where(Job.name == jobs.job_name(note)))
    assert (row.state, row.finished_at, row.attempts) == (JobState.DONE, T0, 0)


def test_a_job_due_later_waits_for_its_time(ctx, registered):
    jobs.enqueue(note, due_at=T0 + timedelta(minutes=10), text="later")
    db.session.commit()
    work(T0)
    assert "later" not in [n["text"] for n in notes()]
    work(T0 + timedelta(minutes=10))
    assert "later" in [n["text"] for n in notes()]


def test_a_failing_job_leaves_nothing_half_done_and_is_tried_again_with_growing_pauses(ctx, registered):
    jobs.enqueue(note_then_fail, text="half")
    db.session.commit()
    now = T0
    pauses = []
    for _ in range(jobs.MAX_ATTEMPTS):
        work(now)
        row = db.session.scalar(select(Job).where(Job.name == jobs.job_name(note_then_fail)))
        if row.state is JobState.FAILED:
            break
        pauses.append(row.due_at - now)
        now = row.due_at
    assert "half" not in [n["text"] for n in notes()]
    assert row.state is JobState.FAILED and row.attempts == jobs.MAX_ATTEMPTS
    assert "the job broke half-way" in row.last_error
    assert pauses == sorted(pauses) and pauses[0] == timedelta(seconds=jobs.FIRST_RETRY_SECONDS) < pauses[-1]


def test_a_periodic_job_runs_at_once_then_every_interval(ctx, registered):
    work(T0)
    work(T0 + timedelta(minutes=4))
    assert [n["text"] for n in notes()] == ["tick"]
    work(T0 + timedelta(minutes=5))
    assert [n["text"] for n in notes()] == ["tick", "tick"]
    assert db.session.scalar(select(func.count(Job.id)).where(Job.periodic, Job.name == jobs.job_name(tick))) == 1


def test_a_job_whose_worker_died_is_taken_over_when_its_claim_lapses(ctx, registered):
    jobs.enqueue(note, text="orphan")
    db.session.commit()
    assert len(jobs.claim_due(T0)) >= 1  # a worker claims it, then dies before running it
    db.session.remove()
    work(T0 + timedelta(seconds=60))
    assert "orphan" not in [n["text"] for n in notes()]
    work(T0 + timedelta(seconds=jobs.CLAIM_SECONDS + 1))
    assert [n["text"] for n in notes()].count("orphan") == 1


def test_a_worker_whose_claim_lapsed_mid_job_rolls_its_run_back_and_the_other_workers_run_counts(ctx, registered):
    jobs.enqueue(note, text="slow")
    db.session.commit()
    [slow_claim] = jobs.claim_due(T0)  # the first worker starts, and takes too long
    db.session.remove()
    later = T0 + timedelta(seconds=jobs.CLAIM_SECONDS + 1)
    assert jobs.claim_due(later) == [slow_claim]  # a second worker takes the lapsed job over and runs it
    assert jobs.run_one(slow_claim, later) is True
    db.session.remove()

    assert jobs.run_one(slow_claim, T0) is False  # the first worker finishes at last

    assert [n["text"] for n in notes()].count("slow") == 1
    row = db.session.get(Job, slow_claim)
    assert (row.state, row.finished_at) == (JobState.DONE, later)


def test_only_registered_one_off_jobs_can_be_queued(ctx, registered):
    with pytest.raises(ValueError):
        jobs.enqueue(tick)
    with pytest.raises(ValueError):
        jobs.enqueue(len)


def test_finished_one_off_jobs_leave_the_table_after_thirty_days_and_periodic_ones_stay(ctx, registered):
    jobs.enqueue(note, text="old")
    jobs.enqueue(note_then_fail, text="recent failure")
    db.session.commit()
    for row in db.session.scalars(select(Job)):
        row.created_at = T0 - timedelta(days=31) if row.payload.get("text") == "old" else T0
    db.session.commit()
    work(T0)
    jobs.forget_finished_jobs(T0 + timedelta(hours=1))
    db.session.commit()
    left = {row.payload.get("text") or row.name for row in db.session.scalars(select(Job))}
    assert "old" not in left and "recent failure" in left and jobs.job_name(tick) in left


def test_every_feature_registers_its_work(app):
    names = set(jobs.REGISTRY)
    assert {"registration.jobs.give_back_unconfirmed_places", "press.jobs.read_broadcast_states",
            "press.jobs.move_broadcast", "consultation.proposals.jobs.publish_scheduled_feedback",
            "core.jobs.forget_finished_jobs"} <= names
    assert [f.__module__ for f in jobs.EVERY_TURN] == ["conference.outbox.jobs"]


def test_flask_worker_once_runs_the_due_jobs_and_the_old_command_does_the_same(app, registered):
    with app.app_context():
        jobs.enqueue(note, text="from the command line")
        db.session.commit()
    assert app.test_cli_runner().invoke(args=["worker", "--once"]).exit_code == 0
    with app.app_context():
        jobs.enqueue(note, text="old name")
        db.session.commit()
    assert app.test_cli_runner().invoke(args=["outbox", "work", "--once"]).exit_code == 0
    with app.app_context():
        texts = [n["text"] for n in notes()]
    assert texts.count("from the command line") == 1 and texts.count("old name") == 1
