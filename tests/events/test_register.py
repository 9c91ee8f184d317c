"""The rules of the shared register, called directly: organisations, series, people, meeting days."""

from datetime import date, datetime, timezone
from io import BytesIO

import pytest
from PIL import Image

from conference.events import meetings, register, services
from conference.events.models import Organisation, OrganisationKind
from conference.events.registry_numbers import parse
from conference.extensions import db
from tests import factories as f

NOW = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)


def save_organisation(organisation=None, **fields):
    values = dict(name="Migrationsverket", short_name="", slug="", kind=OrganisationKind.AUTHORITY,
                  registry_number=None, website="", logo=None, max_logo_bytes=100_000, now=NOW)
    return register.save_organisation(organisation, **{**values, **fields})


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (8, 4), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_organisation_without_a_slug_gets_one_from_its_name(ctx):
    f.organisation("migrationsverket", "Migrationsverket")
    saved = save_organisation(name="  Migrationsverket ")
    assert (saved.name, saved.slug) == ("Migrationsverket", "migrationsverket-2")


def test_an_organisation_cannot_take_the_address_of_another(ctx):
    f.organisation("migrationsverket", "Migrationsverket")
    with pytest.raises(services.ProgrammeError) as raised:
        save_organisation(slug="migrationsverket")
    assert (raised.value.code, raised.value.field) == ("organisation_slug_taken", "slug")


def test_an_organisation_cannot_take_the_number_of_another_but_keeps_its_own(ctx):
    own = f.organisation("af", "Arbetsförmedlingen", registry_number="202100-2114", country="SE")
    with pytest.raises(services.ProgrammeError) as raised:
        save_organisation(registry_number=parse("2021002114"))
    assert (raised.value.code, raised.value.field) == ("registry_number_taken", "registry_number")

    saved = save_organisation(own, name="Arbetsförmedlingen", slug="af", registry_number=parse("202100-2114"))
    assert (saved.registry_number, saved.country) == ("202100-2114", "SE")


def test_a_new_organisation_with_a_refused_logo_is_not_stored(ctx):
    with pytest.raises(services.ProgrammeError) as raised:
        save_organisation(logo=b"GIF89a not really")
    assert raised.value.field == "logo"
    db.session.flush()
    assert db.session.query(Organisation).count() == 0


def test_a_logo_is_stored_re_encoded_with_its_type_and_time(ctx):
    saved = save_organisation(logo=png())
    assert (saved.logo_content_type, saved.logo_updated_at) == ("image/png", NOW)
    with Image.open(BytesIO(saved.logo)) as stored:
        assert stored.size == (8, 4)


def test_a_series_cannot_take_the_address_of_another(ctx):
    register.save_series(None, name="Integrationsforum", slug="", description="")
    with pytest.raises(services.ProgrammeError) as raised:
        register.save_series(None, name="Something else", slug="integrationsforum", description="")
    assert (raised.value.code, raised.value.field) == ("series_slug_taken", "slug")


def test_a_series_keeps_its_own_address_when_renamed(ctx):
    series = register.save_series(None, name="Integrationsforum", slug="", description="")
    renamed = register.save_series(series, name="Integrationsforum Nord", slug="integrationsforum",
                                   description="Varje höst.")
    assert (renamed.name, renamed.slug, renamed.description) == (
        "Integrationsforum Nord", "integrationsforum", "Varje höst.")


def test_a_person_is_saved_with_a_trimmed_name(ctx):
    person = register.save_person(None, name=" Karin Ekholm ", bio="Korrespondent.")
    changed = register.save_person(person, name="Karin Ekholm-Berg", bio="")
    assert changed is person
    assert (person.name, person.bio) == ("Karin Ekholm-Berg", "")


def test_an_appointment_that_ends_before_it_starts_is_refused(ctx):
    person = f.person("Jonas")
    with pytest.raises(services.ProgrammeError) as raised:
        register.add_appointment(person, title="Utredare", organisation_id=None,
                                 valid_from=date(2022, 9, 1), valid_to=date(2022, 8, 31))
    assert raised.value.field == "valid_to"
    assert person.appointments == []


def test_an_appointment_without_an_organisation_belongs_to_none(ctx):
    person = f.person("Jonas")
    appointment = register.add_appointment(person, title=" Enhetschef ", organisation_id=0,
                                           valid_from=date(2022, 9, 1), valid_to=None)
    assert (appointment.title, appointment.organisation_id, appointment.person) == ("Enhetschef", None, person)


def test_dates_listed_one_by_one_win_over_a_rule():
    listed = [date(2030, 3, 5), date(2030, 4, 9)]
    assert meetings.meeting_days(listed, date(2030, 1, 1), 2, 4) == (listed, None)


def test_a_rule_gives_the_dates_and_its_weeks_apart():
    assert meetings.meeting_days([], date(2030, 1, 1), 2, 3) == (
        [date(2030, 1, 1), date(2030, 1, 15), date(2030, 1, 29)], 2)


def test_a_rule_missing_a_part_gives_no_dates():
    assert meetings.meeting_days([], date(2030, 1, 1), 2, None) == ([], None)


def test_an_organiser_sees_only_their_own_events_on_the_dashboard(ctx):
    mine, other = f.event("mine"), f.event("other")
    organiser = f.user("organiser@example.org", organiser_of=[mine])
    admin = f.user("admin@example.org", admin=True)
    db.session.flush()
    assert services.events_managed_by(organiser) == [mine]
    assert set(services.events_managed_by(admin)) == {mine, other}
