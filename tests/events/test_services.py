from datetime import date, timedelta

import pytest

from conference.core.timeutil import utcnow
from conference.events import services
from conference.events.models import RegistrationPolicy, SpeakerRole
from conference.extensions import db
from tests import factories as f


def test_a_speaker_is_shown_with_the_title_held_on_the_events_date(ctx):
    ministry = f.organisation("ministry", "Arbetsmarknadsdepartementet")
    minister = f.person("Anders Holm",
                        ("Migrationsminister", ministry, date(2019, 1, 21), date(2021, 11, 29)),
                        ("Statsråd med ansvar för integration", ministry, date(2021, 11, 30), None))
    forum_2020 = f.event("forum-2020", starts_at=f.local(2020, 11, 26))
    forum_2022 = f.event("forum-2022", starts_at=f.local(2022, 11, 24))
    talk_2020 = f.session(forum_2020, "Framåt", f.local(2020, 11, 26, 10), speakers=[(minister, SpeakerRole.SPEAKER)])
    talk_2022 = f.session(forum_2022, "Framåt", f.local(2022, 11, 24, 10), speakers=[(minister, SpeakerRole.SPEAKER)])

    assert services.speakers_of(talk_2020)[0].appointment.title == "Migrationsminister"
    assert services.speakers_of(talk_2022)[0].appointment.title == "Statsråd med ansvar för integration"


def test_an_appointment_counts_on_its_first_and_last_day_but_not_after(ctx):
    p = f.person("Eva", ("Utredare", None, date(2020, 1, 1), date(2020, 12, 31)))
    assert services.appointment_on(p, date(2020, 1, 1)).title == "Utredare"
    assert services.appointment_on(p, date(2020, 12, 31)).title == "Utredare"
    assert services.appointment_on(p, date(2021, 1, 1)) is None
    assert services.appointment_on(p, date(2019, 12, 31)) is None


def test_the_most_recently_started_of_overlapping_appointments_wins(ctx):
    p = f.person("Eva", ("Utredare", None, date(2018, 1, 1), None), ("Enhetschef", None, date(2021, 6, 1), None))
    assert services.appointment_on(p, date(2022, 1, 1)).title == "Enhetschef"
    assert services.appointment_on(p, date(2020, 1, 1)).title == "Utredare"


def test_the_events_date_is_read_in_its_own_timezone(ctx):
    # 23:30 in Stockholm on 31 December is still 2020 there, though 2020-12-31T22:30Z
    p = f.person("Eva", ("Gammal titel", None, date(2019, 1, 1), date(2020, 12, 31)),
                 ("Ny titel", None, date(2021, 1, 1), None))
    e = f.event("nyar", starts_at=f.local(2020, 12, 31, 23, 0), hours=2)
    s = f.session(e, "Nyårstal", f.local(2020, 12, 31, 23, 30), speakers=[(p, SpeakerRole.SPEAKER)])
    assert services.speakers_of(s)[0].appointment.title == "Gammal titel"


def test_the_programme_is_grouped_by_local_day_then_by_stage_in_order(ctx):
    e = f.event("two-days", starts_at=f.local(2030, 5, 6, 9), hours=32)
    hall = f.stage(e, "Stora salen", 0)
    room = f.stage(e, "Sal B", 1)
    f.session(e, "B1", f.local(2030, 5, 6, 10), stage=room)
    f.session(e, "A1", f.local(2030, 5, 6, 9), stage=hall)
    f.session(e, "Fri", f.local(2030, 5, 6, 12))
    f.session(e, "A2", f.local(2030, 5, 7, 9), stage=hall)
    db.session.refresh(e)

    days = services.programme_by_day_and_stage(e)

    assert [d.day for d in days] == [date(2030, 5, 6), date(2030, 5, 7)]
    assert [(slot.stage.name if slot.stage else None, [s.title for s in slot.sessions])
            for slot in days[0].stages] == [("Stora salen", ["A1"]), ("Sal B", ["B1"]), (None, ["Fri"])]
    assert [s.title for s in days[1].stages[0].sessions] == ["A2"]


@pytest.mark.parametrize("policy, opens, closes, expected", [
    (RegistrationPolicy.OPEN, -1, +1, services.RegistrationState.OPEN),
    (RegistrationPolicy.OPEN, +1, +2, services.RegistrationState.NOT_YET_OPEN),
    (RegistrationPolicy.OPEN, -2, -1, services.RegistrationState.CLOSED),
    (RegistrationPolicy.INVITATION_ONLY, -1, +1, services.RegistrationState.INVITATION_ONLY),
    (RegistrationPolicy.CLOSED, -1, +1, services.RegistrationState.NONE),
])
def test_registration_state_follows_policy_and_window(ctx, policy, opens, closes, expected):
    now = f.local(2030, 1, 1, 12)
    e = f.event("e", starts_at=f.local(2030, 6, 1), registration_policy=policy,
                registration_opens_at=now + timedelta(days=opens), registration_closes_at=now + timedelta(days=closes))
    assert services.registration_state(e, now) is expected


def test_registration_closes_when_the_event_starts_if_no_end_is_set(ctx):
    e = f.event("e", starts_at=f.local(2030, 6, 1, 9))
    assert services.registration_state(e, f.local(2030, 6, 1, 8, 59)) is services.RegistrationState.OPEN
    assert services.registration_state(e, f.local(2030, 6, 1, 9)) is services.RegistrationState.CLOSED


def test_a_session_outside_the_event_is_refused(ctx):
    e = f.event("e", starts_at=f.local(2030, 6, 1, 9), hours=3)
    s = services.Session(title="Late", starts_at=f.local(2030, 6, 1, 11), ends_at=f.local(2030, 6, 1, 13))
    with pytest.raises(services.ProgrammeError) as raised:
        services.save_session(s, e, created=True, now=utcnow())
    assert raised.value.code == "session_outside_event"


def test_a_session_that_ends_before_it_starts_is_refused(ctx):
    e = f.event("e", starts_at=f.local(2030, 6, 1, 9), hours=3)
    s = services.Session(title="Backwards", starts_at=f.local(2030, 6, 1, 11), ends_at=f.local(2030, 6, 1, 10))
    with pytest.raises(services.ProgrammeError) as raised:
        services.save_session(s, e, created=True, now=utcnow())
    assert raised.value.field == "ends_at"


def test_moving_an_event_away_from_its_sessions_is_refused(ctx):
    e = f.event("e", starts_at=f.local(2030, 6, 1, 9), hours=3)
    f.session(e, "Morning", f.local(2030, 6, 1, 9))
    db.session.refresh(e)
    e.starts_at += timedelta(days=1)
    e.ends_at += timedelta(days=1)
    with pytest.raises(services.ProgrammeError) as raised:
        services.save_event(e, created=False, now=utcnow())
    assert raised.value.code == "sessions_outside_event"


def test_speakers_keep_the_order_the_organiser_gives_them(ctx):
    e = f.event("e")
    a, b, c = f.person("A"), f.person("B"), f.person("C")
    s = f.session(e, "Panel", e.starts_at)
    for p in (a, b, c):
        services.add_speaker(s, p, SpeakerRole.SPEAKER)
    db.session.flush()
    db.session.refresh(s)
    services.move_speaker(s, s.speaker_links[2].id, -1)
    db.session.flush()
    db.session.refresh(s)
    assert [link.person.name for link in s.speaker_links] == ["A", "C", "B"]


def test_the_same_person_is_not_added_twice_to_a_session(ctx):
    e = f.event("e")
    p = f.person("A")
    s = f.session(e, "Talk", e.starts_at, speakers=[(p, SpeakerRole.SPEAKER)])
    with pytest.raises(services.ProgrammeError):
        services.add_speaker(s, p, SpeakerRole.MODERATOR)


def test_usage_lists_what_refers_to_an_organisation(ctx):
    o = f.organisation()
    e = f.event("e")
    f.link(e, o)
    f.person("Mikael", ("Sektionschef", o, date(2018, 1, 1), None))
    db.session.refresh(o)
    usage = services.organisation_usage(o)
    assert [x.slug for x in usage.events] == ["e"]
    assert [a.title for a in usage.appointments] == ["Sektionschef"]
    assert usage


def test_slugs_are_ascii_and_unique(ctx):
    f.event("integrationsforum-2030")
    assert services.slugify("Samråd med civilsamhället!") == "samrad-med-civilsamhallet"
    assert services.unique_slug(services.Event, "Integrationsforum 2030") == "integrationsforum-2030-2"
