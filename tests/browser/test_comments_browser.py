"""A participant sends a written comment with a PDF from the registration link, in a real browser;
the comment form and the published summary have no WCAG 2.1 AA violations."""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from conference.consultation.comments import services as comments
from conference.consultation.comments.models import FeedbackAudience, WrittenComment
from conference.core.timeutil import utcnow
from conference.extensions import db
from conference.registration import services as registrations
from tests import factories as f
from tests.browser.conftest import axe_violations, screenshot

SAMPLE_PDF = Path(__file__).resolve().parents[1] / "consultation" / "files" / "synpunkter.pdf"


@pytest.fixture
def ended_meeting(app):
    """A meeting that ended two days ago, open for comments from participants for another week; Anna took part."""
    with app.test_request_context():
        event = f.event("samrad", title="Samråd om etablering", starts_at=utcnow() - timedelta(days=2), hours=3)
        comments.save_window(event, closes_at=utcnow() + timedelta(days=7), audience=FeedbackAudience.PARTICIPANTS,
                             instructions="Vad tyckte ni om förslaget?", user_id=None)
        anna, _new = registrations.register(
            event, registrations.Applicant(name="Anna Andersson", email="anna@example.org"),
            now=utcnow() - timedelta(days=10), consent_version="test", email_confirmed=True, check_window=False)
        db.session.commit()
        return {"token": registrations.manage_token(anna), "event_id": event.id}


def test_a_participant_sends_a_comment_with_a_pdf_from_the_registration_link(page, app, ended_meeting):
    page.goto(f"/r/{ended_meeting['token']}")
    page.get_by_role("link", name="Skicka skriftliga synpunkter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriftliga synpunkter på Samråd om etablering")
    assert axe_violations(page) == []

    page.get_by_label("Dina synpunkter").fill("Bra möte.\n\nMer tid för frågor nästa gång, tack.")
    page.get_by_label("Bilaga (frivillig)").set_input_files(str(SAMPLE_PDF))
    page.get_by_role("button", name="Skicka synpunkterna").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dina synpunkter har kommit fram")
    expect(page.get_by_text("Ett kvitto är på väg till anna@example.org.")).to_be_visible()
    screenshot(page, "comment-receipt")
    with app.app_context():
        comment = db.session.scalar(select(WrittenComment))
        assert comment.body == "Bra möte.\n\nMer tid för frågor nästa gång, tack."
        assert comment.attachment_type == "application/pdf" and comment.attachment_size == SAMPLE_PDF.stat().st_size


def test_the_comment_form_with_errors_has_no_wcag_violations(page, ended_meeting):
    page.goto(f"/r/{ended_meeting['token']}/feedback")
    page.get_by_role("button", name="Skicka synpunkterna").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#body-error")).to_have_text("Skriv dina synpunkter.")
    screenshot(page, "comment-form-errors")
    assert axe_violations(page) == []


def test_the_event_page_with_a_published_summary_has_no_wcag_violations(page, app, ended_meeting):
    with app.test_request_context():
        window = comments.window_of(db.session.get(f.Event, ended_meeting["event_id"]))
        comments.save_summary(window, "Tre synpunkter kom in.\n\nDe flesta ville ha fler möten.", publish=True,
                              now=utcnow(), user_id=None)
        db.session.commit()
    page.goto("/events/samrad/")
    summary = page.get_by_role("region", name="Skriftliga synpunkter")
    expect(summary.get_by_role("heading", name="Sammanfattning av synpunkterna")).to_be_visible()
    expect(summary.get_by_text("De flesta ville ha fler möten.")).to_be_visible()
    screenshot(page, "event-summary")
    assert axe_violations(page) == []


def test_the_organisers_feedback_page_has_no_wcag_violations(page, app, organiser, ended_meeting):
    from tests.browser.conftest import log_in

    with app.test_request_context():
        window = comments.window_of(db.session.get(f.Event, ended_meeting["event_id"]))
        comments.submit_comment(window, comments.Commenter(name="Karin Ek", email="karin@example.org",
                                                           organisation_name="Föreningen Ek"),
                                body="Första stycket.\n\nAndra stycket.", attachment=None, now=utcnow(),
                                public_form=False)
        db.session.commit()
    log_in(page, *organiser)
    page.goto("/manage/events/samrad/feedback")
    expect(page.get_by_role("heading", name="Karin Ek, Föreningen Ek")).to_be_visible()
    page.get_by_role("button", name="Publicera och skicka till deltagarna").click()
    expect(page.locator("#summary-error")).to_have_text("Skriv sammanfattningen innan du publicerar den.")
    screenshot(page, "organiser-feedback")
    assert axe_violations(page) == []
