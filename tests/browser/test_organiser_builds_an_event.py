import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot


def test_an_organiser_creates_an_event_with_two_sessions_and_a_speaker_that_the_public_page_shows(page, organiser):
    log_in(page, *organiser)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dina evenemang")

    # a speaker for the register, with the title held on the day
    page.get_by_role("navigation", name="Arrangörsmeny").get_by_role("link", name="Personer").click()
    page.get_by_role("link", name="Ny person").click()
    page.get_by_label("Namn").fill("Karin Ekholm")
    page.get_by_role("button", name="Spara").click()
    page.get_by_label("Titel eller befattning").fill("Utrikeskorrespondent")
    page.get_by_label("Från").fill("2015-01-01")
    page.get_by_role("button", name="Lägg till befattningen").click()
    expect(page.get_by_role("cell", name="Utrikeskorrespondent", exact=True)).to_be_visible()

    # the event
    page.get_by_role("navigation", name="Arrangörsmeny").get_by_role("link", name="Evenemang").click()
    page.get_by_role("link", name="Nytt evenemang").click()
    page.get_by_label("Titel").fill("Integrationsforum 2031")
    page.get_by_label("Typ av evenemang").select_option("conference")
    page.get_by_label("Mötesform").select_option("digital")
    page.get_by_label("Börjar").fill("2031-11-27T09:00")
    page.get_by_label("Slutar").fill("2031-11-27T16:00")
    page.get_by_label("Målgrupp").fill("Politiker och tjänstepersoner")
    page.get_by_label("Synlighet").select_option("1")
    page.get_by_role("button", name="Skapa evenemang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Integrationsforum 2031")

    # two sessions, the first with the speaker
    page.get_by_role("link", name="Ny programpunkt").click()
    page.get_by_label("Titel").fill("Global migration i coronatider")
    page.get_by_label("Börjar").fill("2031-11-27T09:15")
    page.get_by_label("Slutar").fill("2031-11-27T10:00")
    page.get_by_role("button", name="Skapa programpunkten").click()
    page.get_by_label("Person").select_option(label="Karin Ekholm")
    page.get_by_role("button", name="Lägg till i programpunkten").click()
    expect(page.locator("#speakers")).to_contain_text("Karin Ekholm")

    page.get_by_role("link", name="Integrationsforum 2031").first.click()
    page.get_by_role("link", name="Ny programpunkt").click()
    page.get_by_label("Titel").fill("Bosättning i annan kommun")
    page.get_by_label("Börjar").fill("2031-11-27T10:15")
    page.get_by_label("Slutar").fill("2031-11-27T11:00")
    page.get_by_role("button", name="Skapa programpunkten").click()

    # the public page
    page.goto("/events/integrationsforum-2031/")
    programme = page.locator("section", has=page.get_by_role("heading", name="Program", exact=True))
    expect(programme).to_contain_text("09:15–10:00")
    expect(programme).to_contain_text("Global migration i coronatider")
    expect(programme).to_contain_text("Karin Ekholm, Utrikeskorrespondent")
    expect(programme).to_contain_text("10:15–11:00")
    expect(programme).to_contain_text("Bosättning i annan kommun")
    screenshot(page, "public-event-page")

    page.get_by_role("link", name="Global migration i coronatider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Global migration i coronatider")
    expect(page).to_have_url(re.compile(r"/events/integrationsforum-2031/sessions/\d+$"))


def test_a_form_error_is_announced_and_the_typed_values_stay(page, organiser):
    log_in(page, *organiser)
    page.goto("/manage/events/new")
    page.get_by_label("Titel").fill("Forum")
    page.get_by_label("Börjar").fill("2031-11-27T16:00")
    page.get_by_label("Slutar").fill("2031-11-27T09:00")
    page.get_by_role("button", name="Skapa evenemang").click()
    expect(page.get_by_role("alert")).to_contain_text("Sluttiden måste vara efter starttiden.")
    expect(page.get_by_label("Titel")).to_have_value("Forum")
    expect(page.get_by_label("Slutar")).to_have_attribute("aria-invalid", "true")
