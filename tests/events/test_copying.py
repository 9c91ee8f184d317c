"""Copying an event to the next cycle: every column unless named with a reason, and each feature's own state."""

from datetime import timedelta

from sqlalchemy import select

from conference.calendars import itip
from conference.events import copying
from conference.events.models import Event, EventFormat, EventKind, RegistrationPolicy
from conference.extensions import db
from conference.press.models import StreamAudience, StreamSettings
from conference.registration.models import EventPlaces
from tests import factories as f

A_YEAR = timedelta(days=364)


def a_full_event() -> Event:
    """An event where every column an organiser can set differs from a new event's default."""
    e = f.event("forum-2031", title="Forum 2031", starts_at=f.local(2031, 3, 10, 10), hours=5,
                kind=EventKind.WORKSHOP, format=EventFormat.HYBRID, timezone="Europe/Helsinki",
                venue="Göteborg", audience="Kommuner", summary="Om mottagande.", contact_name="Eva",
                contact_email="eva@example.org", contact_phone="+46 31 123", capacity=40,
                registration_policy=RegistrationPolicy.INVITATION_ONLY, attendees_pick_sessions=True,
                registration_opens_at=f.local(2031, 2, 1, 8), registration_closes_at=f.local(2031, 3, 8, 23))
    f.session(e, "Inledning", f.local(2031, 3, 10, 10), stage=f.stage(e, "Sal A"))
    return e


def test_every_column_of_the_event_is_copied_with_its_moments_moved_unless_named_with_a_reason(ctx):
    source = a_full_event()
    copy, _ = copying.copy_event(source, title="Forum 2032", move=lambda moment: moment + A_YEAR)
    for column in Event.__table__.columns:
        if column.key in copying.NOT_COPIED:
            continue
        expected = copying.moved_value(getattr(source, column.key), lambda moment: moment + A_YEAR)
        assert getattr(copy, column.key) == expected, column.key
    assert (copy.title, copy.published) == ("Forum 2032", False)
    assert copy.slug != source.slug
    assert [(s.title, s.starts_at, s.stage.name) for s in copy.sessions] == [
        ("Inledning", f.local(2031, 3, 10, 10) + A_YEAR, "Sal A")]
    assert copy.sessions[0].stage.event_id == copy.id


def test_only_real_columns_are_named_as_not_copied(ctx):
    assert set(copying.NOT_COPIED) <= {column.key for column in Event.__table__.columns}


def test_the_stream_settings_come_along_but_not_the_recording_places_or_calendar_sequence(ctx):
    source = a_full_event()
    f.stream_settings(source, audience=StreamAudience.EVERYONE, opens_minutes=45,
                      press_contact_email="press@example.org", recording_url="https://www.youtube.com/watch?v=x")
    db.session.add(EventPlaces(event_id=source.id, taken=12, waitlist_counter=3))
    itip.state_of(source).sequence = 4
    db.session.flush()

    copy, _ = copying.copy_event(source, title="Forum 2032", move=lambda moment: moment + A_YEAR)

    settings = db.session.get(StreamSettings, copy.id)
    assert (settings.audience, settings.opens_minutes, settings.press_contact_email, settings.recording_url) == (
        StreamAudience.EVERYONE, 45, "press@example.org", "")
    assert db.session.get(EventPlaces, copy.id) is None
    assert itip.sequences_of([copy]) == {}
    assert db.session.scalar(select(StreamSettings.recording_url).where(StreamSettings.event_id == source.id))
