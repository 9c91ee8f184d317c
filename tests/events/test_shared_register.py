"""Organisations, people and series are shared: an organiser changes them only where all the events are theirs."""

from datetime import date

import pytest
from sqlalchemy import func, select

from conference.events.models import EventSeries, Organisation, Person, SpeakerRole
from conference.extensions import db
from tests import factories as f
from tests.conftest import log_in, post_form
from tests.pages import text_of


@pytest.fixture
def two_organisers(app):
    with app.app_context():
        a, b = f.event("event-a", title="Event A"), f.event("event-b", title="Hemligt B", published=False)
        f.user("a@example.org", organiser_of=[a])
        shared_org, own_org = f.organisation("shared", "Delad myndighet"), f.organisation("own", "Egen förening")
        f.link(b, shared_org)
        f.link(a, own_org)
        speaker = f.person("Talare i B", ("Chef", None, date(2020, 1, 1), None))
        f.session(b, "B-pass", b.starts_at, speakers=[(speaker, SpeakerRole.SPEAKER)])
        series = EventSeries(slug="serie", name="Serie")
        db.session.add(series)
        b.series = series
        db.session.commit()
        return {"shared": shared_org.id, "own": own_org.id, "speaker": speaker.id, "series": series.id}


def test_an_organiser_cannot_delete_what_another_organisers_event_uses(client, app, two_organisers):
    log_in(client, "a@example.org")
    for url in (f"/manage/organisations/{two_organisers['shared']}/delete",
                f"/manage/people/{two_organisers['speaker']}/delete",
                f"/manage/series/{two_organisers['series']}/delete"):
        page = client.get(url)
        assert page.status_code == 403, url
        assert "Hemligt B" not in page.get_data(as_text=True)  # another organiser's draft stays unseen
        assert post_form(client, url, {}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 2
        assert db.session.scalar(select(func.count(Person.id))) == 1
        assert db.session.scalar(select(func.count(EventSeries.id))) == 1


def test_an_organiser_cannot_rename_what_another_organisers_event_shows(client, app, two_organisers):
    log_in(client, "a@example.org")
    response = post_form(client, f"/manage/organisations/{two_organisers['shared']}/edit",
                         {"name": "Vandaliserad", "kind": "authority", "slug": "shared"})
    assert response.status_code == 403
    assert "1 evenemang" in text_of(response)
    response = post_form(client, f"/manage/people/{two_organisers['speaker']}/appointments",
                         {"appointment-title": "Falsk titel", "appointment-organisation_id": "0",
                          "appointment-valid_from": "2020-01-01"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Organisation, two_organisers["shared"]).name == "Delad myndighet"


def test_an_organiser_may_change_what_only_their_own_events_use(client, app, two_organisers):
    log_in(client, "a@example.org")
    assert client.get(f"/manage/organisations/{two_organisers['own']}/delete").status_code == 200
    assert post_form(client, f"/manage/organisations/{two_organisers['own']}/delete", {}).status_code == 302


def test_an_administrator_may_change_anything(admin_client, app, two_organisers):
    assert post_form(admin_client, f"/manage/organisations/{two_organisers['shared']}/delete", {}).status_code == 302
