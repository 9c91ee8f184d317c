"""One commit per request: an organiser's save and every feature's reaction to it commit together, or not at all."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from conference.calendars import itip
from conference.core.models import AuditEntry
from conference.core.timeutil import utcnow
from conference.events import hooks
from conference.events.models import Event
from conference.extensions import db
from conference.outbox.models import OutboxMessage
from conference.registration import services
from tests import factories as f
from tests.conftest import post_form
from tests.pages import text_of

FORM = {"title": "Workshop om mottagande", "slug": "workshop", "series_id": "0", "kind": "workshop",
        "format": "on_site", "timezone": "Europe/Stockholm", "summary": "", "venue": "Malmö", "audience": "",
        "contact_name": "Eva", "contact_email": "eva@example.org", "contact_phone": "",
        "registration_policy": "open", "capacity": "", "registration_opens_at": "", "registration_closes_at": "",
        "published": "1", "starts_at": "2031-03-04T13:00", "ends_at": "2031-03-04T16:00"}


class ReactionFailed(Exception):
    pass


@pytest.fixture
def workshop(app):
    """A workshop with two confirmed registrants, whose calendars an edit would update."""
    with app.app_context():
        e = f.event("workshop", title="Workshop om mottagande", starts_at=f.local(2031, 3, 4, 12), hours=3,
                    venue="Göteborg", contact_email="eva@example.org", kind=f.EventKind.WORKSHOP)
        with app.test_request_context():
            for name in ("anna", "bo"):
                services.register(e, services.Applicant(name=name.title(), email=f"{name}@example.org"),
                                  now=utcnow(), consent_version="test", email_confirmed=True)
        db.session.commit()
        return e.id


@pytest.fixture
def failing_reaction():
    """A feature whose reaction breaks after the others have queued their mail."""
    def break_down(**_):
        raise ReactionFailed("a reaction failed")

    hooks.event_saved(break_down)
    yield
    hooks.event_saved.receivers.remove(break_down)


def state(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        return (event.venue, event.starts_at, itip.sequences_of([event]).get(event.id, 0),
                db.session.scalar(select(func.count(OutboxMessage.id))),
                db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "event.updated")))


def test_an_event_save_whose_reaction_fails_leaves_nothing_half_saved(admin_client, app, workshop,
                                                                     failing_reaction):
    before = state(app, workshop)
    with pytest.raises(ReactionFailed):
        post_form(admin_client, "/manage/events/workshop/edit", FORM)
    assert state(app, workshop) == before


def test_an_event_save_and_its_calendar_updates_commit_together(admin_client, app, workshop):
    venue, starts_at, sequence, mails, audits = state(app, workshop)
    response = post_form(admin_client, "/manage/events/workshop/edit", FORM, follow_redirects=True)
    assert "Kalenderuppdateringar har skickats till 2 personer." in text_of(response)
    assert state(app, workshop) == ("Malmö", starts_at + timedelta(hours=1), sequence + 1, mails + 2, audits + 1)


def test_reactions_never_commit_on_their_own(app, ctx, workshop):
    event = db.session.get(Event, workshop)
    event.venue = "Lund"
    with app.test_request_context():
        notices = hooks.event_saved.run(event=event, now=utcnow())
    assert notices  # the calendars were told, in this transaction only
    db.session.rollback()
    assert db.session.get(Event, workshop).venue == "Göteborg"
    assert db.session.scalar(select(func.count(OutboxMessage.kind)).where(
        OutboxMessage.kind == "calendar.request")) == 0
