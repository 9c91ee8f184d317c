"""The statistics page in a real browser: no WCAG 2.1 AA violation, and charts that read well."""

from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from conference.events.models import OrganisationKind
from conference.extensions import db
from conference.registration import services
from tests import factories as f
from tests.browser.conftest import axe_violations, log_in, screenshot

KINDS = [OrganisationKind.AUTHORITY, OrganisationKind.MUNICIPALITY, OrganisationKind.NGO, None,
         OrganisationKind.AUTHORITY, OrganisationKind.RESEARCH]


@pytest.fixture
def event_with_registrations(app):
    """Forty registrations over three weeks, a few of them cancelled."""
    first = datetime(2030, 2, 10, 9, tzinfo=timezone.utc)
    with app.test_request_context():
        event = f.event("forum", title="Integrationsforum 2030", starts_at=f.local(2030, 3, 5, 9), capacity=30)
        for n in range(40):
            now = first + timedelta(hours=n * 13)
            registration, _ = services.register(
                event, services.Applicant(name=f"Person {n}", email=f"p{n}@example.org",
                                          organisation_kind=KINDS[n % len(KINDS)]),
                now=now, consent_version="test", email_confirmed=True)
            if n % 7 == 3:
                services.cancel(registration, now + timedelta(days=2), by="self")
        db.session.commit()
    return "forum"


def test_the_statistics_page_has_no_wcag_violations(page, organiser, event_with_registrations):
    log_in(page, *organiser)
    page.goto(f"/manage/events/{event_with_registrations}/registrations/statistics")
    expect(page.get_by_role("img", name="Anmälningar över tid")).to_be_visible()
    expect(page.get_by_role("img", name="Anmälningar per typ av organisation")).to_be_visible()
    screenshot(page, "registration-statistics")
    assert axe_violations(page) == []


def test_the_statistics_page_has_no_wcag_violations_on_a_phone(page, organiser, event_with_registrations):
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, *organiser)
    page.goto(f"/manage/events/{event_with_registrations}/registrations/statistics")
    screenshot(page, "registration-statistics-phone")
    assert axe_violations(page) == []
