"""The check-in desk in a real browser: typing a code, the answers, WCAG 2.1 AA, and the camera."""

import io
from datetime import datetime, timezone

import pytest
from PIL import Image
from playwright.sync_api import expect

from conference.events.models import EventFormat
from conference.extensions import db
from conference.registration import services
from conference.registration.tickets import qr_png
from tests import factories as f
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, axe_violations, log_in, screenshot

DESK = "/manage/events/forum/checkin"


@pytest.fixture
def ticket(app):
    """An on-site event and a confirmed registration; the ticket code as printed on the ticket."""
    with app.test_request_context():
        event = f.event("forum", title="Integrationsforum 2030", format=EventFormat.ON_SITE)
        registration, _ = services.register(
            event, services.Applicant(name="Anna Lindqvist", email="anna@example.org",
                                      organisation_name="Migrationsverket"),
            now=datetime(2030, 1, 10, tzinfo=timezone.utc), consent_version="test", email_confirmed=True)
        db.session.commit()
        return services.ticket_code(registration)


def open_desk_in_english(page, organiser):
    log_in(page, *organiser)
    page.goto("/language/en")
    page.goto(DESK)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in: Integrationsforum 2030")


def test_an_organiser_checks_a_person_in_by_typing_the_code_and_a_second_time_is_refused(page, organiser, ticket):
    open_desk_in_english(page, organiser)
    code = page.get_by_label("Ticket code")
    expect(code).to_be_focused()

    code.fill(ticket.lower())
    page.get_by_role("button", name="Check in", exact=True).click()

    answer = page.get_by_role("status").filter(has=page.get_by_role("heading", name="Checked in"))
    expect(answer).to_contain_text("Anna Lindqvist")
    expect(answer).to_contain_text("Migrationsverket")
    expect(code).to_be_focused()
    expect(code).to_have_value("")
    screenshot(page, "checkin-checked-in")

    code.fill(ticket)
    page.get_by_role("button", name="Check in", exact=True).click()

    refusal = page.get_by_role("alert")
    expect(refusal.get_by_role("heading")).to_have_text("Already checked in")
    expect(refusal).to_contain_text("Anna Lindqvist")
    expect(refusal).to_contain_text("by arrangor")
    expect(page.get_by_role("row", name="Anna Lindqvist")).to_have_count(1)
    screenshot(page, "checkin-already-checked-in")


def test_the_check_in_page_has_no_wcag_violations_before_and_after_a_scan(page, organiser, ticket):
    open_desk_in_english(page, organiser)
    assert axe_violations(page) == []

    page.get_by_label("Ticket code").fill(ticket)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_role("heading", name="Checked in")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Ticket code").fill("NOT A CODE")
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_role("alert").get_by_role("heading")).to_have_text("Unknown code")
    assert axe_violations(page) == []


def test_an_undone_check_in_can_be_done_again(page, organiser, ticket):
    open_desk_in_english(page, organiser)
    page.get_by_label("Ticket code").fill(ticket)
    page.get_by_role("button", name="Check in", exact=True).click()

    page.get_by_role("button", name="Undo the check-in of Anna Lindqvist").click()
    expect(page.get_by_text("The check-in of Anna Lindqvist was undone.")).to_be_visible()
    page.get_by_label("Ticket code").fill(ticket)
    page.get_by_role("button", name="Check in", exact=True).click()

    expect(page.get_by_role("heading", name="Checked in", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Undo the check-in of Anna Lindqvist")).to_have_count(1)


def test_without_javascript_typing_the_code_checks_the_person_in(browser, base_url, organiser, ticket):
    context = browser.new_context(base_url=base_url, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    open_desk_in_english(page, organiser)
    expect(page.get_by_role("button", name="Scan with the camera")).to_be_hidden()

    page.get_by_label("Ticket code").fill(ticket)
    page.get_by_role("button", name="Check in", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Anna Lindqvist")
    context.close()


def test_without_the_qr_decoder_the_camera_is_not_offered_and_typing_works(page, organiser, ticket):
    page.route("**/js/vendor/jsQR.js", lambda route: route.fulfill(status=404))
    open_desk_in_english(page, organiser)
    expect(page.get_by_role("button", name="Scan with the camera")).to_be_hidden()

    page.get_by_label("Ticket code").fill(ticket)
    page.get_by_role("button", name="Check in", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Anna Lindqvist")


# ---------------------------------------------------------------- the camera

def y4m_showing(image, path) -> None:
    """A one-frame raw video of a grey image, for Chromium's fake camera (it plays the file in a loop)."""
    grey = image.convert("L")
    width, height = grey.size
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        video.write(b"FRAME\n" + grey.tobytes() + chroma + chroma)


@pytest.fixture
def camera_page(browser_type, base_url, ticket, tmp_path):
    """A browser whose camera films the ticket's QR code, as a phone held over a ticket would."""
    qr = Image.open(io.BytesIO(qr_png(ticket, box_size=6)))
    frame = Image.new("L", (640, 480), 255)
    frame.paste(qr, ((640 - qr.width) // 2, (480 - qr.height) // 2))
    video = tmp_path / "ticket.y4m"
    y4m_showing(frame, video)
    browser = browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    # a phone's screen, where the desk is used
    context = browser.new_context(base_url=base_url, locale="sv-SE", bypass_csp=True,
                                  viewport={"width": 390, "height": 844})
    context.grant_permissions(["camera"])
    yield context.new_page()
    context.close()
    browser.close()


def test_a_ticket_held_in_front_of_the_camera_checks_the_person_in(camera_page, organiser):
    page = camera_page
    open_desk_in_english(page, organiser)

    page.get_by_role("button", name="Scan with the camera").click()

    answer = page.get_by_role("status").filter(has=page.get_by_role("heading", name="Checked in"))
    expect(answer).to_contain_text("Anna Lindqvist", timeout=15_000)
    # the camera opens again by itself for the next ticket, and stops when asked
    expect(page.locator("#camera-video")).to_be_visible()
    screenshot(page, "checkin-camera")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Stop the camera").click()
    expect(page.get_by_role("button", name="Scan with the camera")).to_be_visible()
    expect(page.get_by_role("row", name="Anna Lindqvist")).to_have_count(1)
