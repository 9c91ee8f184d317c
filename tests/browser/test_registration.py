"""An attendee registers in the browser, confirms through the link in the delivered mail and sees the ticket."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from conference.core.timeutil import utcnow
from conference.extensions import db
from tests import factories as f
from tests.browser.conftest import axe_violations, screenshot
from tests.registration.conftest import deliver, link_in


@pytest.fixture
def open_event(app):
    with app.app_context():
        f.event("forum", title="Integrationsforum 2031", starts_at=utcnow() + timedelta(days=30), capacity=100,
                format=f.EventFormat.HYBRID, venue="Göteborg", contact_email="press@example.org")
        f.organisation("kommun", "Exempelkommun", kind=f.OrganisationKind.MUNICIPALITY)
        db.session.commit()


def test_register_confirm_from_the_mail_and_see_the_ticket(page, app, smtp, open_event):
    page.goto("/events/forum/")
    page.get_by_role("link", name="Anmäl", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Integrationsforum 2031")
    assert axe_violations(page) == []

    page.get_by_label("Namn").fill("Anna Andersson")
    page.get_by_label("E-postadress").fill("anna@example.org")
    page.get_by_label("Organisation", exact=True).select_option(label="Exempelkommun")
    page.get_by_label("Jag har läst").check()
    page.get_by_role("button", name="Anmäl", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")

    deliver(app)
    page.goto(link_in(smtp.last("anna@example.org"), r"https?://\S+/confirm"))
    page.get_by_role("button", name="Bekräfta min anmälan").click()
    expect(page.get_by_role("heading", name="Din biljett")).to_be_visible()
    expect(page.get_by_role("img", name="QR-kod för din biljett")).to_be_visible()
    screenshot(page, "ticket-page")
    assert axe_violations(page) == []


def test_a_registration_form_with_errors_has_no_wcag_violations(page, open_event):
    page.goto("/events/forum/register")
    page.get_by_role("button", name="Anmäl", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    screenshot(page, "registration-form-errors")
    assert axe_violations(page) == []


def test_the_organisers_registration_pages_have_no_wcag_violations(page, app, organiser, open_event):
    from conference.registration import services
    from tests.browser.conftest import log_in

    with app.test_request_context():
        event = db.session.scalar(db.select(f.Event))
        services.register(event, services.Applicant(name="Bo", email="bo@example.org", organisation_name="X"),
                          now=utcnow(), consent_version="test", email_confirmed=True)
        db.session.commit()
    log_in(page, *organiser)
    for path in ("/manage/events/forum/registrations/", "/manage/events/forum/registrations/new",
                 "/manage/events/forum/outbox/"):
        page.goto(path)
        assert axe_violations(page) == [], path
