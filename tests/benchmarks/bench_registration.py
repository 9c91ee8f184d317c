"""How fast registration and the outbox go on this machine, on SQLite and on PostgreSQL.

    .venv/bin/python -m tests.benchmarks.bench_registration                      # SQLite only
    .venv/bin/python -m tests.benchmarks.bench_registration --postgres-url URL   # SQLite and PostgreSQL
    make bench                                                                    # both, on a throw-away PostgreSQL

Measures, per database:
  * a burst of registrations through `services.register` (default 2,000 from 8 threads, each request in
    its own application context and session, for an event with 500 places, so both the place and the
    waiting-list paths run), checked afterwards: no overbooking, a waiting list without gaps;
  * the outbox's delivery rate to a local aiosmtpd server (default 2,000 queued messages) with one and
    with two workers, checked afterwards: every message received once.

Everything runs on loopback, and every phase is bounded in count and in time. The machines are shared and
noisy: compare the numbers of one run with each other, not with another run's.
"""

import argparse
import os
import platform
import re
import secrets
import socket
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from ipaddress import ip_address
from pathlib import Path

import flask_migrate
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.engine import make_url

from conference import create_app
from conference.core.timeutil import utcnow
from conference.events.models import Event
from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.compose import Mail
from conference.outbox.models import OutboxMessage, OutboxState
from conference.registration import services
from conference.registration.models import Registration, RegistrationState
from tests import factories as f

BEFORE_THE_EVENT = datetime(2030, 1, 10, 12, 0, tzinfo=timezone.utc)
MAX_COUNT = 20_000  # no run asks for more than this many registrations or messages
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


# ---------------------------------------------------------------- results

@dataclass
class Measure:
    done: int = 0
    seconds: float = 0.0
    errors: int = 0
    timed_out: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def cell(self) -> str:
        mark = "" if not (self.errors or self.timed_out or self.problems) else " !"
        return f"{self.rate:,.0f}{mark}"


# ---------------------------------------------------------------- the local SMTP server

class CountingInbox:
    """Counts what arrives, by Message-ID; parses nothing else, to stay out of the measurement's way."""

    def __init__(self):
        self.message_ids: Counter[bytes] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.content)
        with self.lock:
            self.message_ids[found.group(1) if found else b"(none)"] += 1
        return "250 OK"

    def reset(self) -> None:
        with self.lock:
            self.message_ids.clear()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------- databases

def require_loopback(url: str) -> None:
    host = make_url(url).host
    if host in (None, "", "localhost"):
        return
    try:
        if ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise SystemExit(f"refusing to benchmark against {host}: loopback addresses only")


class ThrowAwayPostgres:
    """A database of its own next to the one in the URL, created for the run and dropped after it."""

    def __init__(self, url: str):
        require_loopback(url)
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT")
        self.name = f"bench_{secrets.token_hex(4)}"
        self.url = make_url(url).set(database=self.name).render_as_string(hide_password=False)

    def __enter__(self) -> str:
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.url

    def __exit__(self, *exc):
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def bench_app(url: str, smtp_port: int, mail_directory: str):
    app = create_app({
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {} if url.startswith("sqlite") else {"pool_size": 20, "max_overflow": 10,
                                                                           "pool_timeout": 60},
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_USE_TLS": False, "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None, "MAIL_PASSWORD": None, "MAIL_SUPPRESS_SEND": False,
        "MAIL_FILE_DIRECTORY": mail_directory,
        "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None,
        "BASE_URL": "http://127.0.0.1:5000",
    })
    with app.app_context():
        flask_migrate.upgrade()
    return app


def database_version(app) -> str:
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            return "SQLite " + db.session.scalar(text("select sqlite_version()"))
        return "PostgreSQL " + db.session.scalar(text("show server_version")).split()[0]


# ---------------------------------------------------------------- threads

def together(count: int, work, time_limit: float) -> tuple[list, float]:
    """Run work(i) in `count` threads released at once; returns their results and the wall time."""
    barrier = threading.Barrier(count + 1, timeout=60)
    results: list = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    deadline = time.monotonic() + time_limit + 30  # the work watches its own deadline; this is the backstop
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    elapsed = time.perf_counter() - started
    if any(thread.is_alive() for thread in threads):
        raise SystemExit("benchmark threads did not stop in time")
    return results, elapsed


# ---------------------------------------------------------------- registration

def register_burst(app, *, registrations: int, threads: int, capacity: int, time_limit: float) -> Measure:
    with app.app_context():
        event = f.event(f"bench-{secrets.token_hex(3)}", capacity=capacity)
        db.session.commit()
        event_id = event.id
    deadline = time.monotonic() + time_limit

    def one_thread(i: int) -> tuple[int, int]:
        done = errors = 0
        for n in range(i, registrations, threads):
            if time.monotonic() > deadline:
                break
            # one request: its own application context, session and transaction, as in the web app
            with app.test_request_context():
                try:
                    event = db.session.get(Event, event_id)
                    services.register(event, services.Applicant(name=f"Person {n}", email=f"p{n:05d}@example.org"),
                                      now=BEFORE_THE_EVENT, consent_version="bench", email_confirmed=True)
                    db.session.commit()
                    done += 1
                except Exception:  # noqa: BLE001 - counted and reported; the burst goes on
                    db.session.rollback()
                    errors += 1
        return done, errors

    results, elapsed = together(threads, one_thread, time_limit)
    measure = Measure(done=sum(d for d, _ in results), seconds=elapsed, errors=sum(e for _, e in results),
                      timed_out=time.monotonic() > deadline)
    measure.problems = check_registrations(app, event_id, capacity, measure.done)
    return measure


def check_registrations(app, event_id: int, capacity: int, done: int) -> list[str]:
    """The burst is only worth its number if the rules held."""
    problems = []
    with app.app_context():
        states = dict(db.session.execute(select(Registration.state, func.count()).where(
            Registration.event_id == event_id).group_by(Registration.state)).all())
        positions = db.session.scalars(select(Registration.waitlist_position).where(
            Registration.event_id == event_id, Registration.state == RegistrationState.WAITLISTED)
            .order_by(Registration.waitlist_position)).all()
        seats = f.seats_taken(event_id)
    places = states.get(RegistrationState.CONFIRMED, 0)
    if places != min(capacity, done) or seats != places:
        problems.append(f"{places} places held, {seats} counted, for {capacity}")
    if positions != list(range(1, len(positions) + 1)):
        problems.append("the waiting list has gaps or duplicates")
    if places + len(positions) != done:
        problems.append(f"{done} registered, {places + len(positions)} found")
    return problems


# ---------------------------------------------------------------- the outbox

def queue(app, messages: int) -> None:
    with app.test_request_context():
        db.session.execute(delete(OutboxMessage))  # the registrations' mails are not part of this run
        for n in range(messages):
            outbox.enqueue(Mail(to_name=f"Person {n}", to_address=f"p{n:05d}@example.org",
                                subject=f"Message {n}", text=f"Message {n}\n", html=f"<p>Message {n}</p>"),
                           kind="bench")
        db.session.commit()


def drain(app, *, messages: int, workers: int, inbox: CountingInbox, time_limit: float) -> Measure:
    queue(app, messages)
    inbox.reset()
    deadline = time.monotonic() + time_limit

    def worker(_: int) -> tuple[int, int]:
        sent = errors = 0
        with app.app_context():
            while time.monotonic() < deadline:
                try:
                    just_sent = outbox.deliver_due(utcnow())
                except Exception:  # noqa: BLE001 - counted and reported
                    db.session.rollback()
                    errors += 1
                    continue
                sent += just_sent
                if just_sent == 0 and not db.session.scalar(select(func.count(OutboxMessage.id)).where(
                        OutboxMessage.state == OutboxState.QUEUED)):
                    break
                db.session.rollback()
            db.session.remove()
        return sent, errors

    results, elapsed = together(workers, worker, time_limit)
    measure = Measure(done=sum(s for s, _ in results), seconds=elapsed, errors=sum(e for _, e in results),
                      timed_out=time.monotonic() > deadline)
    received = sum(inbox.message_ids.values())
    doubles = sum(1 for n in inbox.message_ids.values() if n > 1)
    if received != messages or len(inbox.message_ids) != messages or doubles:
        measure.problems.append(f"{received} received, {len(inbox.message_ids)} distinct, {doubles} twice")
    with app.app_context():
        unsent = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.state != OutboxState.SENT))
    if unsent:
        measure.problems.append(f"{unsent} not marked sent")
    return measure


# ---------------------------------------------------------------- the run

def measure_database(name: str, url: str, args, inbox: CountingInbox, smtp_port: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-mail-") as mail_directory:
        app = bench_app(url, smtp_port, mail_directory)
        version = database_version(app)
        print(f"  {name}: {version}; registrations …", flush=True)
        column = {"version": version}
        column["register"] = register_burst(app, registrations=args.registrations, threads=args.threads,
                                            capacity=args.capacity, time_limit=args.time_limit)
        for workers in (1, 2):
            print(f"  {name}: outbox, {workers} worker{'s' if workers > 1 else ''} …", flush=True)
            column[f"outbox{workers}"] = drain(app, messages=args.messages, workers=workers, inbox=inbox,
                                               time_limit=args.time_limit)
        with app.app_context():
            db.engine.dispose()
        return column


def print_table(columns: dict[str, dict], args) -> None:
    rows = [
        (f"registrations/s ({args.registrations:,}, {args.threads} threads, {args.capacity} places)", "register"),
        (f"outbox messages/s ({args.messages:,}, 1 worker)", "outbox1"),
        (f"outbox messages/s ({args.messages:,}, 2 workers)", "outbox2"),
    ]
    names = list(columns)
    label_width = max(len(label) for label, _ in rows)
    widths = [max(len(name), 12) for name in names]
    print()
    print(" | ".join([" " * label_width] + [name.rjust(w) for name, w in zip(names, widths)]))
    print("-+-".join(["-" * label_width] + ["-" * w for w in widths]))
    for label, key in rows:
        print(" | ".join([label.ljust(label_width)] + [columns[name][key].cell().rjust(w)
                                                       for name, w in zip(names, widths)]))
    print()
    for name in names:
        column = columns[name]
        one, two = column["outbox1"], column["outbox2"]
        ratio = f"{two.rate / one.rate:.2f}×" if one.rate else "n/a"
        print(f"{name}: {column['version']}; burst {column['register'].seconds:.1f} s; "
              f"2 workers vs 1: {ratio}")
        for key in ("register", "outbox1", "outbox2"):
            measure = column[key]
            notes = list(measure.problems)
            if measure.errors:
                notes.append(f"{measure.errors} errors")
            if measure.timed_out:
                notes.append(f"stopped at the {args.time_limit:.0f} s limit after {measure.done:,}")
            for note in notes:
                print(f"  ! {key}: {note}")
    if len(names) == 2:
        first, second = (columns[name]["register"].rate for name in names)
        if first:
            print(f"registrations, {names[1]} vs {names[0]}: {second / first:.2f}×")
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}; "
          "shared and noisy: compare within this run only")


def bounded(value: str) -> int:
    number = int(value)
    if not 1 <= number <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"between 1 and {MAX_COUNT}")
    return number


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres-url", default=os.environ.get("TEST_DATABASE_URL"),
                        help="a PostgreSQL on loopback whose role may create databases (default: $TEST_DATABASE_URL)")
    parser.add_argument("--registrations", type=bounded, default=2000)
    parser.add_argument("--threads", type=int, choices=range(1, 33), default=8, metavar="1..32")
    parser.add_argument("--capacity", type=bounded, default=500)
    parser.add_argument("--messages", type=bounded, default=2000)
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds per phase (default 300)")
    args = parser.parse_args(argv)

    inbox = CountingInbox()
    smtp_port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    columns = {}
    try:
        print("measuring …", flush=True)
        with tempfile.TemporaryDirectory(prefix="bench-db-") as directory:
            columns["SQLite"] = measure_database("SQLite", f"sqlite:///{Path(directory) / 'bench.sqlite'}",
                                                 args, inbox, smtp_port)
        if args.postgres_url:
            with ThrowAwayPostgres(args.postgres_url) as url:
                columns["PostgreSQL"] = measure_database("PostgreSQL", url, args, inbox, smtp_port)
    finally:
        controller.stop()
    print_table(columns, args)


if __name__ == "__main__":
    main()
