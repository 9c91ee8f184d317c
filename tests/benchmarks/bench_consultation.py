"""How the consultation pages grow with a process, and what a camera photo costs, on this machine.

    .venv/bin/python -m tests.benchmarks.bench_consultation

Prints two tables:
  * SQL statements and the median time of the public process page and of a meeting's page, for processes
    with more meetings and proposals (feedback published, topics chosen, a summary on every meeting):
    the statement count should grow with the meetings listed, never with the proposals;
  * the time and resident memory of turning camera-sized JPEGs into the stored photo (rotated, scaled to
    2,400 px, metadata dropped), each in a fresh process so that one photo's memory does not hide another's;
    "RSS growth" is how far the encoding lifted the peak above that of the process with the upload read.

SQLite in a temporary folder; the machines are shared and noisy: compare the rows of one run with each other.
"""

import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

from sqlalchemy import event

RUNS = 15
SIZES = [(2, 10), (10, 100), (40, 400)]  # (meetings, proposals)
PHOTOS = [(3000, 2000), (6000, 4000), (8000, 6000)]


def build_app(folder: str):
    import flask_migrate

    from conference import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "b" * 32, "BASE_URL": "http://bench.invalid",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        flask_migrate.upgrade()
    return app


def fill_process(app, meetings: int, proposals: int, slug: str) -> str:
    from conference.consultation.comments.models import FeedbackAudience, FeedbackWindow
    from conference.consultation.processes.models import Phase, PhaseKind, Process, ProcessMeeting
    from conference.consultation.proposals.models import AgendaProposal, MeetingTopic, ProposalOutcome
    from conference.core.timeutil import utcnow
    from conference.events.models import Event, EventFormat, EventKind
    from conference.extensions import db

    now = utcnow()
    with app.app_context():
        process = Process(slug=slug, title=f"Dialog {slug}", published=True, summary="Årlig dialog.",
                          feedback_publish_at=now - timedelta(days=1), feedback_mailed_at=now - timedelta(days=1))
        db.session.add(process)
        db.session.flush()
        db.session.add(Phase(process_id=process.id, kind=PhaseKind.AGENDA_PROPOSALS, title="Förslag",
                             starts_on=(now - timedelta(days=60)).date(), ends_on=(now - timedelta(days=30)).date()))
        rows = [AgendaProposal(process_id=process.id, title=f"Förslag {n}", description="Beskrivning.",
                               organisation_name=f"Förening {n}", proposer_name="N", email=f"p{n}@example.org",
                               email_normalised=f"p{n}@example.org", nonce=f"{slug}{n}", token_hash=f"{slug}-{n}",
                               consent_version="bench", confirmed_at=now - timedelta(days=40),
                               outcome=ProposalOutcome.TAKEN_UP, feedback="Tas upp.")
                for n in range(proposals)]
        db.session.add_all(rows)
        db.session.flush()
        for n in range(meetings):
            starts = now - timedelta(days=20) + timedelta(days=n)
            meeting = Event(slug=f"{slug}-mote-{n}", title=f"Möte {n}", kind=EventKind.FOLLOW_UP_DIALOGUE,
                            format=EventFormat.DIGITAL, starts_at=starts, ends_at=starts + timedelta(hours=2),
                            published=True)
            meeting.feedback_window = FeedbackWindow(closes_at=starts + timedelta(days=7),
                                                     audience=FeedbackAudience.ANYONE, summary="Sammanfattning.",
                                                     summary_published_at=starts + timedelta(days=8))
            db.session.add(meeting)
            db.session.flush()
            db.session.add(ProcessMeeting(event_id=meeting.id, process_id=process.id))
            db.session.add(MeetingTopic(event_id=meeting.id, proposal_id=rows[n % proposals].id))
        db.session.commit()
    return f"/processes/{slug}"


def measure(app, client, path: str) -> tuple[int, float]:
    from conference.extensions import db

    with app.app_context():
        engine = db.engine
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        per_request = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    return per_request, statistics.median(times) * 1000


def page_table() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(folder)
        client = app.test_client()
        print(f"{'meetings':>8} {'proposals':>9} | {'process page':>12} {'ms':>7} | {'meeting page':>12} {'ms':>7}")
        for meetings, proposals in SIZES:
            path = fill_process(app, meetings, proposals, f"p{meetings}")
            process_statements, process_ms = measure(app, client, path)
            meeting_statements, meeting_ms = measure(app, client, f"/events/p{meetings}-mote-0/")
            print(f"{meetings:>8} {proposals:>9} | {process_statements:>12} {process_ms:>7.1f} | "
                  f"{meeting_statements:>12} {meeting_ms:>7.1f}")


def camera_jpeg(width: int, height: int) -> bytes:
    """A photo-like JPEG (noise, so it does not compress to nothing) that the camera says to turn."""
    from PIL import Image

    image = Image.effect_noise((width // 8, height // 8), 60).convert("RGB").resize((width, height))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: the stored photo must be turned
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def peak_rss_kb() -> int:
    """This process's own high-water mark (getrusage's ru_maxrss would carry over the parent's)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def encode_one(path: str) -> dict:
    """Run in a child process: one photo's time, and how far it lifts the process's peak memory."""
    from conference.consultation.photos import images

    with open(path, "rb") as upload:
        data = upload.read()
    before = peak_rss_kb()
    started = time.perf_counter()
    encoded = images.encode(data, max_bytes=len(data))
    seconds = time.perf_counter() - started
    peak = peak_rss_kb()
    return {"upload_mb": len(data) / 1e6, "seconds": seconds, "peak_mb": peak / 1024,
            "growth_mb": (peak - before) / 1024, "stored": f"{encoded.width}×{encoded.height}",
            "stored_kb": len(encoded.data) / 1024}


def photo_table() -> None:
    print(f"\n{'photo':>11} {'upload MB':>9} | {'encode s':>8} {'peak RSS MB':>11} {'RSS growth MB':>13} | "
          f"{'stored':>10} {'KB':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for width, height in PHOTOS:
            path = f"{folder}/{width}x{height}.jpg"
            with open(path, "wb") as out:
                out.write(camera_jpeg(width, height))
            result = subprocess.run([sys.executable, "-m", "tests.benchmarks.bench_consultation", "--photo", path],
                                    capture_output=True, text=True, check=True)
            row = json.loads(result.stdout.strip().splitlines()[-1])
            print(f"{f'{width}×{height}':>11} {row['upload_mb']:>9.1f} | {row['seconds']:>8.2f} "
                  f"{row['peak_mb']:>11.0f} {row['growth_mb']:>13.0f} | {row['stored']:>10} {row['stored_kb']:>6.0f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--photo"]:
        print(json.dumps(encode_one(sys.argv[2])))
    else:
        page_table()
        photo_table()
