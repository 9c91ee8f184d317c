"""axe-core finds no WCAG 2.1 AA violation; the keyboard reaches what the mouse does."""

import pytest
from playwright.sync_api import expect

from conference.events.models import SpeakerRole
from conference.extensions import db
from tests import factories as f
from tests.browser.conftest import axe_violations, log_in, screenshot


@pytest.fixture
def published_event(app):
    with app.app_context():
        e = f.event("forum", title="Integrationsforum 2031", starts_at=f.local(2031, 11, 27, 9),
                    audience="Politiker", contact_name="Anna", contact_email="press@example.org")
        f.link(e, f.organisation())
        karin = f.person("Karin Ekholm", ("Utrikeskorrespondent", None, f.date(2015, 1, 1), None))
        stage = f.stage(e, "Stora salen")
        s = f.session(e, "Global migration", f.local(2031, 11, 27, 9, 15), stage=stage,
                      speakers=[(karin, SpeakerRole.SPEAKER)], abstract="Om migration.")
        db.session.commit()
        return {"session": s.id, "person": karin.id}


@pytest.mark.parametrize("path", ["/", "/events/forum/", "session", "speaker", "/organisations/arbetsformedlingen",
                                  "/login"])
def test_public_pages_have_no_wcag_violations(page, published_event, path):
    path = {"session": f"/events/forum/sessions/{published_event['session']}",
            "speaker": f"/speakers/{published_event['person']}"}.get(path, path)
    page.goto(path)
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/manage/", "/manage/events/new", "/manage/events/forum/",
                                  "/manage/events/forum/edit", "session", "/manage/organisations/new",
                                  "/manage/people/", "/manage/events/forum/delete",
                                  "/manage/events/forum/registrations/", "/manage/events/forum/outbox/",
                                  "/manage/events/forum/press/stream"])
def test_organiser_pages_have_no_wcag_violations(page, published_event, organiser, path):
    path = {"session": f"/manage/events/forum/sessions/{published_event['session']}/edit"}.get(path, path)
    log_in(page, *organiser)
    page.goto(path)
    assert axe_violations(page) == []


def test_a_form_with_errors_has_no_wcag_violations(page, organiser):
    log_in(page, *organiser)
    page.goto("/manage/events/new")
    page.get_by_role("button", name="Skapa evenemang").click()
    expect(page.get_by_role("alert")).to_be_visible()
    screenshot(page, "event-form-with-errors")
    assert axe_violations(page) == []


def test_the_skip_link_comes_first_and_moves_focus_to_the_content(page, published_event):
    page.goto("/events/forum/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_an_organiser_can_log_in_with_the_keyboard_alone(page, organiser):
    page.goto("/login")
    page.get_by_label("E-postadress").focus()
    page.keyboard.type(organiser[0])
    page.keyboard.press("Tab")
    page.keyboard.type(organiser[1])
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Logga in")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dina evenemang")


def test_focus_is_visible_on_links(page, published_event):
    page.goto("/events/forum/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_the_language_switch_works_without_javascript(browser, base_url, published_event):
    context = browser.new_context(java_script_enabled=False, base_url=base_url, locale="sv-SE")
    page = context.new_page()
    page.goto("/events/forum/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Programme")).to_be_visible()
    context.close()


def test_the_event_page_reads_well_on_a_phone(browser, base_url, published_event):
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=base_url)
    page = context.new_page()
    page.goto("/events/forum/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "event-page-phone")
    context.close()


@pytest.mark.parametrize("path", ["/manage/users/", "/manage/users/new", "own"])
def test_account_pages_have_no_wcag_violations(page, app, admin, path):
    log_in(page, "admin@example.org", f.PASSWORD)
    page.goto(f"/manage/users/{admin}" if path == "own" else path)
    assert axe_violations(page) == []


def test_the_new_calendar_pages_have_no_wcag_violations(page, app, organiser):
    from datetime import timedelta

    from conference.core.timeutil import utcnow

    with app.app_context():
        start = (utcnow() + timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
        e = f.event("picks", title="Forum med val", starts_at=start, hours=6, attendees_pick_sessions=True,
                    registration_opens_at=utcnow() - timedelta(days=1))
        f.session(e, "Bosättning", start)
        f.session(e, "Arbetsmarknad", start + timedelta(hours=1))
        db.session.commit()
    page.goto("/events/picks/register")
    page.get_by_role("button", name="Anmäl", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert axe_violations(page) == []
    page.goto("/events/picks/")
    assert axe_violations(page) == []
    log_in(page, *organiser)
    page.goto("/manage/series/meetings/new")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Skapa mötena").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert axe_violations(page) == []


def test_the_process_pages_have_no_wcag_violations(page, app, admin):
    from conference.consultation.processes.models import NewsItem, Process
    from conference.core.timeutil import utcnow

    with app.app_context():
        process = Process(slug="dialog", title="Dialog med civilsamhället", summary="Om dialogen.", published=True)
        db.session.add(process)
        db.session.flush()
        db.session.add(NewsItem(process_id=process.id, title="Nyhet", body="Text.", published_at=utcnow()))
        f.event("samrad", process_id=process.id)
        db.session.commit()
        process_id = process.id
    page.goto("/processes/dialog")
    assert axe_violations(page) == []
    log_in(page, "admin@example.org", f.PASSWORD)
    page.goto(f"/manage/processes/{process_id}/")
    assert axe_violations(page) == []
    page.goto(f"/manage/processes/{process_id}/proposals")
    assert axe_violations(page) == []


def test_the_organiser_reaches_an_event_tab_with_the_keyboard_and_it_is_marked_current(page, published_event,
                                                                                       organiser):
    log_in(page, *organiser)
    page.goto("/manage/events/forum/")
    tabs = page.get_by_role("navigation", name="Evenemang")
    expect(tabs.get_by_role("link", name="Program och uppgifter")).to_have_attribute("aria-current", "page")
    tabs.get_by_role("link", name="Utgående e-post").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Utgående e-post: Integrationsforum 2031")
    expect(tabs.get_by_role("link", name="Utgående e-post")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("navigation", name="Arrangörsmeny").get_by_role("link", name="Evenemang")) \
        .to_have_attribute("aria-current", "page")
