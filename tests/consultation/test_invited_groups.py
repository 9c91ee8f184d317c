"""Invited groups of a meeting: kept by its organisers, shown on its page, checked on the way in."""

import pytest
from sqlalchemy import func, select

from conference.consultation.groups.models import InvitedGroup
from conference.extensions import db
from tests import factories as f
from tests.conftest import log_in, post_form
from tests.pages import text_of


@pytest.fixture
def meeting(app):
    with app.app_context():
        event = f.event("sakrad", title="Sakråd om etablering", published=True)
        organisation = f.organisation("forum", "Forum – idéburna organisationer med social inriktning")
        db.session.commit()
        return {"slug": event.slug, "organisation_id": organisation.id}


def group_names(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(InvitedGroup.name).order_by(InvitedGroup.id)))


def test_organisers_add_groups_that_the_public_page_lists(admin_client, client, app, meeting):
    response = post_form(admin_client, "/manage/events/sakrad/groups",
                         {"group-organisation_id": str(meeting["organisation_id"]), "group-name": ""})
    assert response.status_code == 302
    post_form(admin_client, "/manage/events/sakrad/groups",
              {"group-organisation_id": "0", "group-name": "  Kommunernas   integrationssamordnare "})
    assert group_names(app) == ["Forum – idéburna organisationer med social inriktning",
                                "Kommunernas integrationssamordnare"]
    page = client.get("/events/sakrad/")
    invited = text_of(page).split("Inbjudna", 1)[1]
    assert "Forum – idéburna organisationer" in invited and "Kommunernas integrationssamordnare" in invited
    assert 'href="/organisations/forum"' in page.get_data(as_text=True)


def test_removing_a_group_takes_it_off_the_page(admin_client, client, app, meeting):
    post_form(admin_client, "/manage/events/sakrad/groups", {"group-organisation_id": "0", "group-name": "Forskare"})
    with app.app_context():
        group_id = db.session.scalar(select(InvitedGroup.id))
    response = post_form(admin_client, f"/manage/events/sakrad/groups/{group_id}/remove", {})
    assert response.status_code == 302
    assert group_names(app) == []
    assert 'id="invited-groups-heading"' not in client.get("/events/sakrad/").get_data(as_text=True)


@pytest.mark.parametrize("data, field_id, message", [
    ({"group-organisation_id": "0", "group-name": ""}, "group-name", "Välj en organisation eller skriv namnet på en grupp."),
    ({"group-organisation_id": "0", "group-name": "x" * 201}, "group-name", "längre än 200 tecken"),
    ({"group-organisation_id": "0", "group-name": "forskare"}, "group-name", "Mötet har redan den här gruppen."),
])
def test_bad_input_is_explained_beside_the_field_and_changes_nothing(admin_client, app, meeting, data, field_id,
                                                                     message):
    post_form(admin_client, "/manage/events/sakrad/groups", {"group-organisation_id": "0", "group-name": "Forskare"})
    response = post_form(admin_client, "/manage/events/sakrad/groups", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field_id}-error"' in html and message in html
    assert data["group-name"][:20] in html
    assert group_names(app) == ["Forskare"]


def test_only_the_meetings_organisers_keep_its_groups(app, client, meeting):
    with app.app_context():
        f.user("other@example.org", organiser_of=[f.event("annat", title="Annat möte")])
        db.session.commit()
    log_in(client, "other@example.org")
    assert client.get("/manage/events/sakrad/groups").status_code == 403
    response = post_form(client, "/manage/events/sakrad/groups", {"group-organisation_id": "0", "group-name": "X"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(InvitedGroup.id))) == 0


def test_a_form_without_its_csrf_token_is_refused(admin_client, app, meeting):
    response = admin_client.post("/manage/events/sakrad/groups", data={"group-organisation_id": "0",
                                                                       "group-name": "X"})
    assert response.status_code == 400
    assert group_names(app) == []
