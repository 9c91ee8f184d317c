"""An organisation proposes an agenda item, confirms from the mail; the organiser answers and publishes."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from conference.consultation.processes.models import Phase, PhaseKind, Process
from conference.core.timeutil import local_date, utcnow
from conference.extensions import db
from tests import factories as f
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.registration.conftest import deliver, link_in


@pytest.fixture
def open_dialogue(app):
    """A published process whose proposal phase is open today."""
    with app.app_context():
        today = local_date(utcnow(), "Europe/Stockholm")
        process = Process(slug="dialog", title="Dialog med civilsamhället", published=True,
                          summary="Regeringens årliga dialog med det civila samhället.")
        db.session.add(process)
        db.session.flush()
        db.session.add(Phase(process_id=process.id, kind=PhaseKind.AGENDA_PROPOSALS, title="Förslag till dagordning",
                             starts_on=today - timedelta(days=2), ends_on=today + timedelta(days=10)))
        f.organisation("radda-barnen", "Rädda Barnen", f.OrganisationKind.NGO)
        db.session.commit()
        return process.id


def test_propose_confirm_answer_and_publish(page, browser, base_url, app, smtp, organiser, open_dialogue):
    page.goto("/processes/dialog")
    expect(page.get_by_role("heading", name="Förslag till dagordning", level=2)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Föreslå en punkt till dagordningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Föreslå en punkt till dagordningen")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Skicka förslaget").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#title-error")).to_have_text("Det här fältet är obligatoriskt.")
    screenshot(page, "proposal-form-errors")
    assert axe_violations(page) == []

    page.get_by_label("Ditt namn").fill("Sara Svensson")
    page.get_by_label("E-postadress").fill("sara@example.org")
    page.get_by_label("Organisation", exact=True).select_option(label="Rädda Barnen")
    page.get_by_label("Förslagets rubrik").fill("Barns röst i samrådet")
    page.get_by_label("Beskrivning").fill("Hur hörs barn och unga i integrationsarbetet?")
    page.get_by_label("Jag har läst").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Skicka förslaget").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")

    deliver(app)
    page.goto(link_in(smtp.last("sara@example.org"), r"https?://\S+/processes/proposals/[\w-]+/confirm"))
    page.get_by_role("button", name="Bekräfta mitt förslag").click()
    expect(page.locator("#proposal-state")).to_have_text("Bekräftat: arrangörerna har fått ditt förslag")
    assert axe_violations(page) == []

    organiser_page = browser.new_context(base_url=base_url, locale="sv-SE", bypass_csp=True).new_page()
    log_in(organiser_page, *organiser)
    organiser_page.goto("/manage/processes/")
    organiser_page.get_by_role("link", name="Dialog med civilsamhället").click()
    organiser_page.get_by_role("link", name="Förslag till dagordning, återkoppling och sakrådens ämnen").click()
    expect(organiser_page.get_by_role("heading", name="Barns röst i samrådet")).to_be_visible()
    assert axe_violations(organiser_page) == []
    organiser_page.get_by_label("Utfall").select_option(label="Tas upp vid samrådet")
    organiser_page.get_by_label("Orsak").fill("Barnets perspektiv blir en egen punkt på samrådet.")
    organiser_page.get_by_role("button", name="Spara återkopplingen").click()
    expect(organiser_page.get_by_role("status")).to_contain_text(
        "Återkopplingen på ”Barns röst i samrådet” sparades")
    screenshot(organiser_page, "proposals-organiser")
    assert axe_violations(organiser_page) == []
    organiser_page.get_by_role("button", name="Publicera all återkoppling nu").click()
    expect(organiser_page.get_by_role("status")).to_contain_text("All återkoppling är publicerad")

    page.goto("/processes/dialog")
    proposal = page.get_by_role("article", name="Barns röst i samrådet")
    expect(proposal).to_contain_text("Rädda Barnen")
    expect(proposal).to_contain_text("Tas upp vid samrådet")
    expect(proposal).to_contain_text("Barnets perspektiv blir en egen punkt på samrådet.")
    expect(page.get_by_text("Sara Svensson")).to_have_count(0)
    screenshot(page, "proposals-published")
    assert axe_violations(page) == []

    deliver(app)
    assert smtp.last("sara@example.org")["Subject"] == (
        "Återkoppling på ditt förslag till dagordning för Dialog med civilsamhället")

    # the proposer's link went astray: the organiser sends a new one, and the old one stops working
    old_link = link_in(smtp.last("sara@example.org"), r"https?://\S+/processes/proposals/[\w-]+")
    organiser_page.get_by_role("button", name=re.compile(r"^Skicka en ny länk\s*: Barns röst i samrådet$")).focus()
    organiser_page.keyboard.press("Enter")
    expect(organiser_page.get_by_role("status")).to_contain_text(
        "En ny länk till ”Barns röst i samrådet” är på väg till sara@example.org.")
    assert axe_violations(organiser_page) == []
    page.goto(old_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Länken gäller inte")
    deliver(app)
    mail = smtp.last("sara@example.org")
    assert mail["Subject"] == "En ny länk till ditt förslag till dagordning för Dialog med civilsamhället"
    page.goto(link_in(mail, r"https?://\S+/processes/proposals/[\w-]+"))
    expect(page.locator("#proposal-outcome")).to_have_text("Tas upp vid samrådet")
    assert axe_violations(page) == []
