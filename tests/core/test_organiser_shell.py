"""The organiser's shell: one menu on every page behind /manage, and an event's tabs, which each feature brings."""

import io

import pytest
from flask import url_for
from lxml import html
from PIL import Image

from conference.consultation.photos import services as photos
from conference.consultation.processes.models import Process
from conference.core import shell
from conference.core.timeutil import utcnow
from conference.events.models import EventFormat, EventSeries, RegistrationPolicy
from conference.extensions import db
from tests import factories as f
from tests.conftest import log_in

MENU = "Arrangörsmeny"
TABS = "Evenemang"  # the tabs' navigation is named for the event

# an invitation-only event on site shows every tab there is today, in this order
EVERY_TAB = ["Program och uppgifter", "Anmälningar", "Statistik", "Inbjudningar", "Inbjudna grupper",
             "Skriftliga synpunkter", "Foton", "Press", "Sändning", "Utgående e-post", "Incheckning"]
TAB_PAGES = {
    "/manage/events/forum/": "Program och uppgifter",
    "/manage/events/forum/registrations/": "Anmälningar",
    "/manage/events/forum/registrations/statistics": "Statistik",
    "/manage/events/forum/invitations/": "Inbjudningar",
    "/manage/events/forum/groups": "Inbjudna grupper",
    "/manage/events/forum/feedback": "Skriftliga synpunkter",
    "/manage/events/forum/photos": "Foton",
    "/manage/events/forum/press/": "Press",
    "/manage/events/forum/press/stream": "Sändning",
    "/manage/events/forum/outbox/": "Utgående e-post",
    "/manage/events/forum/checkin": "Incheckning",
}


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 0, 0)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def rows(app, admin):
    """An invitation-only event on site with something on each of its pages, and a row for every other page."""
    with app.app_context():
        forum = f.event("forum", title="Forum", format=EventFormat.ON_SITE,
                        registration_policy=RegistrationPolicy.INVITATION_ONLY)
        stage = f.stage(forum)
        session = f.session(forum, "Öppning", f.local(2030, 11, 26, 9, 15), stage=stage)
        organisation = f.organisation()
        person = f.person("Karin Ekholm", ("Chef", organisation, f.date(2015, 1, 1), None))
        process = Process(slug="dialog", title="Dialog", summary="Om dialogen.", published=True)
        series = EventSeries(slug="moten", name="Möten")
        db.session.add_all([process, series])
        db.session.flush()
        f.event("mote-1", title="Möte 1", series_id=series.id, occurrence_start=f.local(2030, 12, 1, 9))
        photo = photos.add_photo(forum, jpeg(), photos.PhotoText(alt_text="Publiken", credit="Kalle"),
                                 user_id=admin, now=utcnow())
        db.session.commit()
        return {"slug": "forum", "session_id": session.id, "stage_id": stage.id, "organisation_id": organisation.id,
                "person_id": person.id, "process_id": process.id, "series_id": series.id, "photo_id": photo.id,
                "user_id": admin}


def links_of(response, name: str) -> list[tuple[str, bool]]:
    """The links of the one navigation called `name`: their text, and whether each is the current page."""
    navs = html.fromstring(response.get_data(as_text=True)).xpath("//nav[@aria-label=$name]", name=name)
    assert len(navs) == 1, f"{len(navs)} navigations called {name}"
    return [(a.text_content().strip(), a.get("aria-current") == "page") for a in navs[0].iter("a")]


def tab_labels(response) -> list[str]:
    return [label for label, _current in links_of(response, TABS)]


@pytest.mark.parametrize("path", TAB_PAGES)
def test_every_tab_page_shows_the_event_tabs_in_their_order_with_itself_current(admin_client, rows, path):
    response = admin_client.get(path)
    assert response.status_code == 200
    assert tab_labels(response) == EVERY_TAB
    assert [label for label, current in links_of(response, TABS) if current] == [TAB_PAGES[path]]


def test_a_tab_a_feature_registers_appears_on_every_tab_page_in_its_place(admin_client, rows, monkeypatch):
    monkeypatch.setattr(shell, "_tabs", dict(shell._tabs))  # the feature is gone again after the test
    shell.event_tab("events.event", "Publik förhandsvisning", order=55)  # between invited groups and comments

    expected = EVERY_TAB[:5] + ["Publik förhandsvisning"] + EVERY_TAB[5:]
    for path in TAB_PAGES:
        response = admin_client.get(path)
        assert tab_labels(response) == expected, path
        assert ("Publik förhandsvisning", False) in links_of(response, TABS)
    assert b'<a href="/events/forum/">Publik f\xc3\xb6rhandsvisning</a>' in admin_client.get("/manage/events/forum/").data


def test_a_tab_whose_rule_says_no_is_not_shown(admin_client, rows, monkeypatch):
    monkeypatch.setattr(shell, "_tabs", dict(shell._tabs))
    shell.event_tab("events.event", "Bara för digitala", order=55,
                    shown=lambda event: event.format is EventFormat.DIGITAL)
    assert tab_labels(admin_client.get("/manage/events/forum/")) == EVERY_TAB


def test_two_tabs_cannot_claim_the_same_place(monkeypatch):
    monkeypatch.setattr(shell, "_tabs", dict(shell._tabs))
    with pytest.raises(ValueError, match="both want place 20"):
        shell.event_tab("events.event", "Krock", order=20)


@pytest.mark.parametrize(("policy", "shown"), [(RegistrationPolicy.INVITATION_ONLY, True),
                                               (RegistrationPolicy.OPEN, False), (RegistrationPolicy.CLOSED, False)])
def test_the_invitations_tab_is_only_for_invitation_only_events(app, admin_client, policy, shown):
    with app.app_context():
        f.event("motet", format=EventFormat.ON_SITE, registration_policy=policy)
        db.session.commit()
    assert ("Inbjudningar" in tab_labels(admin_client.get("/manage/events/motet/registrations/"))) is shown


@pytest.mark.parametrize(("event_format", "shown"), [(EventFormat.ON_SITE, True), (EventFormat.HYBRID, True),
                                                     (EventFormat.DIGITAL, False)])
def test_the_check_in_tab_is_only_for_events_people_come_to(app, admin_client, event_format, shown):
    with app.app_context():
        f.event("motet", format=event_format)
        db.session.commit()
    labels = tab_labels(admin_client.get("/manage/events/motet/"))
    assert ("Incheckning" in labels) is shown
    if shown:
        assert labels[-1] == "Incheckning"


def test_a_digital_open_event_shows_the_other_tabs_in_the_same_order(app, admin_client):
    with app.app_context():
        f.event("webbinarium", format=EventFormat.DIGITAL, registration_policy=RegistrationPolicy.OPEN)
        db.session.commit()
    assert tab_labels(admin_client.get("/manage/events/webbinarium/outbox/")) == [
        label for label in EVERY_TAB if label not in {"Inbjudningar", "Incheckning"}]


def test_pages_that_are_not_tabs_show_no_tabs(admin_client, rows):
    for path in ("/manage/events/forum/edit", "/manage/events/forum/registrations/new",
                 f"/manage/events/forum/sessions/{rows['session_id']}/edit",
                 f"/manage/events/forum/photos/{rows['photo_id']}/edit"):
        page = html.fromstring(admin_client.get(path).get_data(as_text=True))
        assert page.xpath("//nav[@aria-label=$name]", name=TABS) == [], path


# Pages behind /manage that are not HTML, or only answer a round trip from elsewhere.
NOT_PAGES = {"comments_manage.export_comments", "comments_manage.comment_attachment", "photos_manage.photo_image",
             "registration_manage.export", "proposals_manage.proposals_csv", "youtube_admin.callback"}


def test_every_page_behind_manage_draws_the_organiser_menu_once_and_one_heading(app, admin_client, rows):
    checked, skipped = [], set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/manage") or "GET" not in rule.methods:
            continue
        missing = rule.arguments - rows.keys()
        if rule.endpoint in NOT_PAGES and missing:
            skipped.add(rule.endpoint)
            continue
        assert not missing, f"give {rule.endpoint} a {missing} in the rows fixture"
        with app.test_request_context():
            path = url_for(rule.endpoint, **{name: rows[name] for name in rule.arguments})
        response = admin_client.get(path)
        if rule.endpoint in NOT_PAGES:
            assert response.mimetype != "text/html" or response.status_code != 200, rule.endpoint
            skipped.add(rule.endpoint)
            continue
        assert response.status_code == 200 and response.mimetype == "text/html", (path, response.status_code)
        page = html.fromstring(response.get_data(as_text=True))
        assert len(page.xpath("//nav[@aria-label=$name]", name=MENU)) == 1, path
        assert len(page.xpath("//h1")) == 1, path
        checked.append(path)
    assert skipped == NOT_PAGES
    assert len(checked) >= 45


@pytest.mark.parametrize(("path", "section"), [
    ("/manage/", "Evenemang"),
    ("/manage/events/new", "Evenemang"),
    ("/manage/events/forum/registrations/", "Evenemang"),
    ("/manage/series/", "Serier"),
    ("series-invitations", "Serier"),
    ("/manage/people/new", "Personer"),
    ("/manage/organisations/", "Organisationer"),
    ("/manage/processes/", "Processer"),
    ("process", "Processer"),
    ("/manage/users/new", "Konton"),
    ("/manage/youtube/", "YouTube"),
])
def test_the_menu_marks_the_section_the_page_is_in(admin_client, rows, path, section):
    path = {"series-invitations": f"/manage/series/{rows['series_id']}/invitations",
            "process": f"/manage/processes/{rows['process_id']}/proposals"}.get(path, path)
    menu = links_of(admin_client.get(path), MENU)
    assert [label for label, current in menu if current] == [section]
    assert [label for label, _current in menu] == ["Evenemang", "Serier", "Personer", "Organisationer", "Processer",
                                                    "Konton", "YouTube"]


def test_an_organiser_of_one_event_sees_only_the_menu_of_their_role(app, client):
    with app.app_context():
        forum = f.event("forum", format=EventFormat.ON_SITE)
        f.user("arrangor@example.org", organiser_of=[forum])
        db.session.commit()
    log_in(client, "arrangor@example.org")
    assert links_of(client.get("/manage/events/forum/"), MENU) == [
        ("Evenemang", True), ("Serier", False), ("Personer", False), ("Organisationer", False)]


def test_a_press_officer_reviews_requests_without_the_organisers_menu_and_tabs(app, client):
    with app.app_context():
        forum = f.event("forum", format=EventFormat.ON_SITE)
        f.user("press@example.org", press_officer_of=[forum])
        db.session.commit()
    log_in(client, "press@example.org")
    response = client.get("/manage/events/forum/press/")
    assert response.status_code == 200
    page = html.fromstring(response.get_data(as_text=True))
    assert page.xpath("//nav[@aria-label=$a or @aria-label=$b]", a=MENU, b=TABS) == []
    assert [h.text_content() for h in page.xpath("//h1")] == ["Pressförfrågningar: Forum"]
