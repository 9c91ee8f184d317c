"""Publishing the answers to agenda proposals while several workers and organisers act at once.

PostgreSQL only (`bash tests/with_postgres.sh .venv/bin/pytest tests/consultation/test_concurrency.py`):
SQLite serialises writers and would hide the races. Each thread has its own application context,
session and connection, and the threads are released together.
"""

import time
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from conference.consultation.comments import services as comments
from conference.consultation.comments.models import FeedbackAudience, FeedbackWindow
from conference.consultation.processes.models import Phase, PhaseKind, Process
from conference.consultation.proposals import services as proposals
from conference.consultation.proposals.models import AgendaProposal, ProposalOutcome
from conference.core.timeutil import utcnow
from conference.extensions import db
from conference.outbox.models import OutboxMessage
from tests.registration.test_concurrency import all_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("on_postgresql")]

PROPOSERS = 12
ROUNDS = 8


def answered_process(app, slug: str, publish_at) -> int:
    """A process whose twelve proposals are all answered and whose answers go out at `publish_at`."""
    with app.app_context():
        process = Process(slug=slug, title=f"Dialog {slug}", published=True, feedback_publish_at=publish_at)
        db.session.add(process)
        db.session.flush()
        db.session.add(Phase(process_id=process.id, kind=PhaseKind.AGENDA_PROPOSALS, title="Förslag",
                             starts_on=date(2031, 1, 1), ends_on=date(2031, 1, 31)))
        db.session.add_all([
            AgendaProposal(process_id=process.id, title=f"Förslag {n}", description="Text.", organisation_name="F",
                           proposer_name=f"P {n}", email=f"{slug}-{n}@example.org",
                           email_normalised=f"{slug}-{n}@example.org", nonce=f"{slug}{n}", token_hash=f"{slug}-{n}",
                           consent_version="t", confirmed_at=utcnow(), outcome=ProposalOutcome.TAKEN_UP,
                           feedback="Tas upp.")
            for n in range(PROPOSERS)])
        db.session.commit()
        return process.id


def feedback_mails(app, slug: str) -> Counter:
    with app.app_context():
        recipients = db.session.scalars(select(OutboxMessage.recipient).where(
            OutboxMessage.kind == "proposal.feedback", OutboxMessage.recipient.like(f"{slug}-%")))
        return Counter(recipients)


def test_eight_workers_at_the_moment_of_publication_mail_each_proposer_once(app, wide_app):
    moment = utcnow() - timedelta(seconds=1)
    answered_process(app, "samtidig", moment)

    def work(_i, start):
        with wide_app.app_context():
            start()
            published = proposals.publish_due_feedback(utcnow())
            db.session.commit()
            return published

    assert sum(all_at_once(8, work)) == 1
    mails = feedback_mails(app, "samtidig")
    assert len(mails) == PROPOSERS and set(mails.values()) == {1}


def test_an_organiser_cancelling_as_the_workers_publish_leaves_either_all_mails_or_none(app, wide_app):
    outcomes = Counter()
    for round_number in range(ROUNDS):
        slug = f"kapplopning{round_number}"
        moment = utcnow() + timedelta(seconds=1)
        process_id = answered_process(app, slug, moment)

        def work(i, start, process_id=process_id, moment=moment, round_number=round_number):
            with wide_app.app_context():
                process = db.session.get(Process, process_id)
                start()
                if i % 2:  # a worker whose clock has reached the moment
                    proposals.publish_due_feedback(moment + timedelta(seconds=1))
                    db.session.commit()
                    return "worker"
                time.sleep(0.005 * round_number)  # later rounds give the workers a head start
                try:  # an organiser whose page was loaded just before it
                    proposals.cancel_publication(process, now=moment - timedelta(seconds=1), user_id=None)
                except proposals.ProposalError as refusal:
                    db.session.rollback()
                    return refusal.code
                db.session.commit()
                return "cancelled"

        results = all_at_once(8, work)
        mails = feedback_mails(app, slug)
        with app.app_context():
            process = db.session.get(Process, process_id)
            if process.feedback_mailed_at is not None:
                outcomes["mailed"] += 1
                assert process.feedback_publish_at == moment
                assert len(mails) == PROPOSERS and set(mails.values()) == {1}
                assert "cancelled" not in results and set(results) <= {"worker", "mailed"}
            else:
                outcomes["cancelled"] += 1
                assert process.feedback_publish_at is None and not mails
                assert "cancelled" in results
    assert sum(outcomes.values()) == ROUNDS


def test_six_organisers_publishing_the_summary_at_once_mail_each_participant_once(app, wide_app):
    from conference.registration import services as registrations
    from tests import factories as f

    with app.test_request_context():
        meeting = f.event("samrad-samtidigt", title="Samråd", starts_at=utcnow() - timedelta(days=3), hours=2)
        for n in range(PROPOSERS):
            registrations.register(meeting, registrations.Applicant(name=f"D {n}", email=f"deltagare-{n}@example.org"),
                                   now=utcnow() - timedelta(days=10), consent_version="t", email_confirmed=True,
                                   check_window=False)
        window, _created = comments.save_window(meeting, closes_at=utcnow() - timedelta(days=1),
                                                audience=FeedbackAudience.PARTICIPANTS, instructions="", user_id=None)
        db.session.commit()
        window_id = window.id

    def publish(i, start):
        with wide_app.test_request_context():
            window = db.session.get(FeedbackWindow, window_id)
            start()
            outcome, mailed = comments.save_summary(window, f"Sammanfattning {i}.", publish=True, now=utcnow(),
                                                    user_id=None)
            db.session.commit()
            return outcome, mailed

    results = all_at_once(6, publish)
    assert sorted(outcome for outcome, _mailed in results) == ["corrected"] * 5 + ["published"]
    assert [mailed for outcome, mailed in results if outcome == "published"] == [PROPOSERS]
    with app.app_context():
        recipients = Counter(db.session.scalars(select(OutboxMessage.recipient).where(
            OutboxMessage.kind == "consultation.summary")))
    assert len(recipients) == PROPOSERS and set(recipients.values()) == {1}
