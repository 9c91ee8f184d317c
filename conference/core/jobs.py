"""Work for the worker: periodic jobs that features register, and one-off jobs queued as rows.

A feature registers its jobs in its own `jobs.py`:

    @periodic(every=timedelta(minutes=1))
    def give_back_unconfirmed_places(now): ...

    @job
    def reschedule_broadcast(now, event_id): ...

and queues a one-off job in the caller's transaction with `enqueue(reschedule_broadcast,
event_id=...)`: it runs only if that transaction commits. Workers claim due rows as the outbox
does (FOR UPDATE SKIP LOCKED on PostgreSQL, and a conditional UPDATE everywhere), so two
workers never run the same job at once. A job's own changes and the row that says it is done
commit together; a worker that dies half-way leaves the claim to lapse and the job to run
again, so every job must be safe to run twice.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import JSON, String, Text, delete, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from conference.core.timeutil import utcnow
from conference.core.types import UTCDateTime, enum_column
from conference.extensions import db

CLAIM_SECONDS = 600  # a job still running after this is taken to have died with its worker
KEEP_FINISHED = timedelta(days=30)  # done and failed one-off jobs stay this long, for organisers asking why
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 3600


class JobState(enum.Enum):
    QUEUED = "queued"  # due at due_at; a periodic job is always queued between its runs
    RUNNING = "running"  # claimed by a worker until claimed_until
    DONE = "done"
    FAILED = "failed"  # out of attempts: last_error says why


class Job(db.Model):
    """A one-off job, or the next run of a periodic one (one row per periodic job, re-armed after each run)."""

    __table_args__ = (
        db.Index("ix_job_due", "state", "due_at"),
        # a periodic job has exactly one row, so two workers starting at once cannot both create it
        db.Index("uq_job_periodic_name", "name", unique=True,
                 sqlite_where=text("periodic"), postgresql_where=text("periodic")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))  # the registered function, "feature.module.function"
    periodic: Mapped[bool] = mapped_column(default=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # keyword arguments of a one-off job
    state: Mapped[JobState] = mapped_column(enum_column(JobState), default=JobState.QUEUED)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)  # failed runs in a row
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last successful run


@dataclass(frozen=True)
class Registered:
    name: str
    function: Callable[..., Any]
    every: timedelta | None = None  # None for a one-off job


REGISTRY: dict[str, Registered] = {}
EVERY_TURN: list[Callable[[datetime], int]] = []


def job_name(function: Callable) -> str:
    return f"{function.__module__.removeprefix('conference.')}.{function.__name__}"


def periodic(every: timedelta) -> Callable:
    """Register a function `fn(now)` that the worker runs every `every`."""
    def register(function: Callable) -> Callable:
        REGISTRY[job_name(function)] = Registered(job_name(function), function, every)
        return function
    return register


def job(function: Callable) -> Callable:
    """Register a function `fn(now, **payload)` that runs once for each `enqueue`."""
    REGISTRY[job_name(function)] = Registered(job_name(function), function)
    return function


def every_turn(function: Callable[[datetime], int]) -> Callable:
    """Register work that claims its own rows (the outbox): every worker runs it on every turn."""
    if function not in EVERY_TURN:
        EVERY_TURN.append(function)
    return function


def enqueue(function: Callable, *, due_at: datetime | None = None, **payload) -> Job:
    """Queue a one-off job in the caller's transaction; it runs only if that commits."""
    name = job_name(function)
    if name not in REGISTRY or REGISTRY[name].every is not None:
        raise ValueError(f"{name} is not a registered one-off job")
    row = Job(name=name, payload=payload, due_at=due_at or utcnow())
    db.session.add(row)
    return row


# ---------------------------------------------------------------- the worker's side

def arm_periodic_jobs(now: datetime) -> None:
    """Make sure each registered periodic job has its row; the first run is due at once."""
    known = set(db.session.scalars(select(Job.name).where(Job.periodic.is_(True))))
    for registered in REGISTRY.values():
        if registered.every is None or registered.name in known:
            continue
        try:
            with db.session.begin_nested():
                db.session.add(Job(name=registered.name, periodic=True, due_at=now))
        except IntegrityError:
            pass  # another worker created it at the same moment
    db.session.commit()


def claimable(now: datetime):
    return or_(Job.state == JobState.QUEUED, (Job.state == JobState.RUNNING) & (Job.claimed_until < now))


def claim_due(now: datetime, limit: int = 1) -> list[int]:
    """Take the due jobs for this worker, in a short transaction of their own."""
    candidates = db.session.scalars(
        select(Job.id).where(claimable(now), Job.due_at <= now, Job.name.in_(list(REGISTRY)))
        .order_by(Job.due_at, Job.id).limit(limit).with_for_update(skip_locked=True)).all()
    claimed = [job_id for job_id in candidates if db.session.execute(
        # conditional: SQLite has no SKIP LOCKED, so another worker may have taken it meanwhile
        update(Job).where(Job.id == job_id, claimable(now))
        .values(state=JobState.RUNNING, claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        .execution_options(synchronize_session=False)).rowcount == 1]
    db.session.commit()
    return claimed


def run_one(job_id: int, now: datetime) -> bool:
    """Run a job this worker claimed at `now`; its changes and its new state commit together, and only
    while the claim is still this worker's. Returns whether it succeeded."""
    row = db.session.get(Job, job_id)
    registered, claim = REGISTRY[row.name], now + timedelta(seconds=CLAIM_SECONDS)
    try:
        registered.function(now=now, **row.payload)
    except Exception as error:  # noqa: BLE001 - one failing job must not stop the others
        db.session.rollback()
        current_app.logger.exception("job %s (%s) failed", registered.name, job_id)
        record_failure(db.session.get(Job, job_id), registered, f"{type(error).__name__}: {error}", now, claim)
        db.session.commit()
        return False
    finished = {"attempts": 0, "last_error": None, "claimed_until": None, "finished_at": now}
    if registered.every is None:
        finished["state"] = JobState.DONE
    else:
        finished.update(state=JobState.QUEUED, due_at=now + registered.every)
    still_ours = db.session.execute(
        update(Job).where(Job.id == job_id, Job.state == JobState.RUNNING, Job.claimed_until == claim)
        .values(**finished).execution_options(synchronize_session=False)).rowcount == 1
    if not still_ours:
        # the claim lapsed and another worker took the job over: its run counts, this one's changes go
        db.session.rollback()
        current_app.logger.warning("job %s (%s) outlived its claim; its changes were rolled back",
                                   registered.name, job_id)
        return False
    db.session.commit()
    return True


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_RETRY_SECONDS))


def record_failure(row: Job, registered: Registered, reason: str, now: datetime, claim: datetime) -> None:
    """Count the failed run and set the next try; left alone if another worker took the job over."""
    if row.state is not JobState.RUNNING or row.claimed_until != claim:
        return
    row.attempts += 1
    row.last_error = reason[:2000]
    row.claimed_until = None
    if registered.every is not None:
        row.state = JobState.QUEUED
        row.due_at = now + min(registered.every, retry_delay(row.attempts))
    elif row.attempts >= MAX_ATTEMPTS:
        row.state = JobState.FAILED
    else:
        row.state = JobState.QUEUED
        row.due_at = now + retry_delay(row.attempts)


def run_due(now: datetime | None = None, *, most: int = 50) -> int:
    """One turn of the worker: the due jobs, then the every-turn work (so mail a job queued goes out in
    the same turn). Returns how much was done.

    Jobs are claimed one at a time, just before each runs, so that a claim never lapses while the job
    waits behind others in the turn. `now` is fixed by tests; a worker reads the clock for each job.
    """
    arm_periodic_jobs(now or utcnow())
    done = 0
    for _ in range(most):
        moment = now or utcnow()
        claimed = claim_due(moment, limit=1)
        if not claimed:
            break
        done += run_one(claimed[0], moment)
    for function in EVERY_TURN:
        done += function(now or utcnow()) or 0
        db.session.commit()
    return done


@periodic(every=timedelta(days=1))
def forget_finished_jobs(now: datetime) -> None:
    """One-off jobs that are done or failed for good leave the table after a while; periodic ones stay."""
    db.session.execute(delete(Job).where(~Job.periodic, Job.state.in_([JobState.DONE, JobState.FAILED]),
                                         Job.created_at < now - KEEP_FINISHED)
                       .execution_options(synchronize_session=False))
