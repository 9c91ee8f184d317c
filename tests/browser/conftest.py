"""Real-browser tests: Playwright driving Debian's Chromium against the app on a loopback port."""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from conference.extensions import db
from tests import factories as f

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which our Content-Security-Policy rightly forbids
    return {**browser_context_args, "bypass_csp": True, "locale": "sv-SE"}


@pytest.fixture(scope="session")
def base_url(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def organiser(app):
    with app.app_context():
        f.user("arrangor@example.org", organiser_of_all=True)
        db.session.commit()
    return "arrangor@example.org", f.PASSWORD


def log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def axe_violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
