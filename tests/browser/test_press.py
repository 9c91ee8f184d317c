"""A journalist asks for the stream, the press officer approves in the UI, the mailed link opens the watch page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from conference.core.timeutil import utcnow
from conference.extensions import db
from conference.press.models import Broadcast
from tests import factories as f
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.registration.conftest import deliver, link_in


@pytest.fixture
def streamed_event(app):
    with app.app_context():
        start = (utcnow() + timedelta(minutes=20)).replace(second=0, microsecond=0)
        e = f.event("forum", title="Integrationsforum 2031", starts_at=start, hours=4,
                    press_contact_email="press@example.org")
        f.session(e, "Öppning", start)
        f.session(e, "Global migration", start + timedelta(hours=1))
        f.user("pressofficer@example.org", press_officer_of=[e])
        db.session.add(Broadcast(event_id=e.id, youtube_id="abcdefghijk", life_cycle_status="ready"))
        db.session.commit()


def test_ask_approve_and_watch(page, browser, base_url, app, smtp, streamed_event):
    page.goto("/events/forum/")
    page.get_by_role("link", name="För press: be om länken till sändningen").click()
    assert axe_violations(page) == []
    page.get_by_label("Namn").fill("Karin Reporter")
    page.get_by_label("Medium").fill("Sveriges Radio")
    page.get_by_label("E-postadress").fill("karin@example.org")
    page.get_by_label("Jag har läst").check()
    page.get_by_role("button", name="Skicka förfrågan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Din förfrågan har kommit fram")

    officer = browser.new_context(base_url=base_url, locale="sv-SE", bypass_csp=True).new_page()
    log_in(officer, "pressofficer@example.org", f.PASSWORD)
    officer.goto("/manage/events/forum/press/")
    expect(officer.get_by_role("heading", name="Karin Reporter, Sveriges Radio")).to_be_visible()
    assert axe_violations(officer) == []
    screenshot(officer, "press-review-queue")
    officer.get_by_role("button", name="Godkänn Karin Reporter").click()
    expect(officer.get_by_role("status")).to_contain_text("Karin Reporter")

    deliver(app)
    page.goto(link_in(smtp.last("karin@example.org"), r"https?://\S+/watch/[\w-]+"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Integrationsforum 2031")
    expect(page.get_by_text("Öppning")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Visa spelaren").click()
    expect(page.locator("iframe[src*='youtube-nocookie.com/embed/abcdefghijk']")).to_be_attached()
    screenshot(page, "watch-page")


def test_the_press_form_with_errors_has_no_wcag_violations(page, streamed_event):
    page.goto("/events/forum/press")
    page.get_by_role("button", name="Skicka förfrågan").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert axe_violations(page) == []
