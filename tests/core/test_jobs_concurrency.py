"""Several workers at once: each job runs once, each periodic job once per interval (PostgreSQL only).

These run on PostgreSQL only (`bash tests/with_postgres.sh .venv/bin/pytest tests/core/test_jobs_concurrency.py`),
whose SKIP LOCKED and row locks the worker's claims rely on.
"""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from conference.core import jobs
from conference.core.models import AuditEntry
from conference.core.timeutil import utcnow
from conference.extensions import db
from tests.registration.test_concurrency import all_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("on_postgresql")]

WORKERS = 6
JOBS = 40
NOW = utcnow().replace(microsecond=0) + timedelta(days=1)


def count_run(now, number: int = 0, **_):
    """A job whose effect, an audit row, commits with its done state."""
    db.session.add(AuditEntry(action="test.concurrent_job", object_type="Test", detail={"number": number}))


def tick_run(now):
    db.session.add(AuditEntry(action="test.concurrent_tick", object_type="Test", detail={}))


@pytest.fixture
def registered():
    before = dict(jobs.REGISTRY)
    jobs.job(count_run)
    jobs.periodic(every=timedelta(minutes=5))(tick_run)
    yield
    jobs.REGISTRY.clear()
    jobs.REGISTRY.update(before)


def worker_turns(wide_app, start, moments) -> int:
    """One worker in its own connection, turning as `flask worker` does at each moment given."""
    with wide_app.app_context():
        db.session.get(AuditEntry, 0)  # connected before the others are let go
        start()
        done = 0
        for moment in moments:
            done += jobs.run_due(moment)
            db.session.remove()
        return done


def runs(app, action: str) -> Counter:
    with app.app_context():
        return Counter(detail.get("number") for detail in db.session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == action)))


def test_six_workers_at_once_run_each_of_40_jobs_exactly_once(app, wide_app, registered):
    with app.app_context():
        for number in range(JOBS):
            jobs.enqueue(count_run, due_at=NOW, number=number)
        db.session.commit()

    all_at_once(WORKERS, lambda i, start: worker_turns(wide_app, start, [NOW, NOW + timedelta(seconds=1)]))

    assert runs(app, "test.concurrent_job") == Counter(range(JOBS))
    with app.app_context():
        states = Counter(db.session.scalars(select(jobs.Job.state).where(jobs.Job.name == jobs.job_name(count_run))))
    assert states == {jobs.JobState.DONE: JOBS}


def test_six_workers_turning_together_run_a_periodic_job_once_per_interval(app, wide_app, registered):
    moments = [NOW, NOW + timedelta(minutes=1), NOW + timedelta(minutes=5), NOW + timedelta(minutes=6)]

    all_at_once(WORKERS, lambda i, start: worker_turns(wide_app, start, moments))

    assert sum(runs(app, "test.concurrent_tick").values()) == 2  # at NOW and at NOW + 5 minutes
    with app.app_context():
        assert len(db.session.scalars(select(jobs.Job).where(jobs.Job.name == jobs.job_name(tick_run))).all()) == 1
