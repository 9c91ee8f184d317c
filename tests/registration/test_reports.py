"""The organiser's reports: a CSV a spreadsheet opens safely, and charts with tables of the same numbers."""

import csv
import io
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from conference.core.models import AuditEntry
from conference.core.spreadsheet import neutralise
from conference.events.models import OrganisationKind
from conference.extensions import db
from conference.registration import reports, services
from conference.registration.manage import registrations as registration_pages
from conference.registration.models import CheckIn, Registration
from tests import factories as f
from tests.conftest import log_in

UTC = timezone.utc
HEADER = ["Name", "E-mail address", "Organisation", "Kind of organisation", "Stakeholder group", "Status",
          "Place in line", "Registered at", "Checked in at", "Accessibility needs"]


def utc(day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A moment in March 2030, a few days before the forum."""
    return datetime(2030, 3, day, hour, minute, tzinfo=UTC)


# ---------------------------------------------------------------- helpers

@pytest.fixture
def forum(app):
    """A Stockholm event starting on 5 March 2030, and an organiser of only this event."""
    with app.app_context():
        event = f.event("forum", starts_at=f.local(2030, 3, 5, 9))
        f.user("organiser@example.org", organiser_of=[event])
        db.session.commit()
    return "forum"


def register(app, name, email, *, now, kind=None, slug="forum", **fields) -> int:
    with app.test_request_context():
        event = db.session.scalar(select(f.Event).where(f.Event.slug == slug))
        registration, _ = services.register(
            event, services.Applicant(name=name, email=email, organisation_kind=kind, **fields),
            now=now, consent_version="test", email_confirmed=True)
        db.session.commit()
        return registration.id


def cancel(app, email, *, now):
    with app.test_request_context():
        registration = db.session.scalar(select(Registration).where(Registration.email_normalised == email))
        services.cancel(registration, now, by="self")
        db.session.commit()


def as_organiser(client, email="organiser@example.org"):
    log_in(client, email)
    client.get("/language/en")
    return client


def download(client, query=""):
    response = client.get(f"/manage/events/forum/registrations.csv{query}")
    assert response.status_code == 200
    return response


def rows_of(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), "no byte order mark: Excel would not read the file as UTF-8"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8")), delimiter=";"))


def table(response, table_id) -> list[list[str]]:
    """The rows of one table on the page, each as the text of its cells."""
    html = response.get_data(as_text=True)
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, flags=re.S)
    assert found, f"no table {table_id}"
    body = found.group(0).split("<tbody>")[1]
    return [[re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


def statistics(client):
    response = client.get("/manage/events/forum/registrations/statistics")
    assert response.status_code == 200
    return response


# ---------------------------------------------------------------- the CSV export

def test_the_export_is_a_semicolon_csv_with_the_header_in_the_organisers_language(app, client, forum):
    register(app, "Anna Lind", "anna@example.org", now=utc(1, 23, 30), kind=OrganisationKind.AUTHORITY,
             organisation_name="Migrationsverket", stakeholder_group="Myndigheter",
             accessibility_needs="Skrivtolkning")
    register(app, "Ville Virtanen", "ville@example.org", now=utc(2))

    response = download(as_organiser(client))

    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="forum-registrations.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    header, *rows = rows_of(response)
    assert header == HEADER
    assert rows == [
        # 23:30 UTC on 1 March is 00:30 on 2 March in Stockholm
        ["Anna Lind", "anna@example.org", "Migrationsverket", "Government agency", "Myndigheter", "Confirmed", "",
         "2030-03-02 00:30", "", "Skrivtolkning"],
        ["Ville Virtanen", "ville@example.org", "", "", "", "Confirmed", "", "2030-03-02 13:00", "", ""],
    ]


def test_the_export_shows_when_a_person_was_checked_in(app, client, forum):
    registration_id = register(app, "Anna Lind", "anna@example.org", now=utc(1))
    with app.app_context():
        db.session.add(CheckIn(registration_id=registration_id, at=datetime(2030, 3, 5, 7, 55, tzinfo=UTC),
                               scan_nonce="n1"))
        db.session.commit()

    _header, row = rows_of(download(as_organiser(client)))

    assert row[HEADER.index("Checked in at")] == "2030-03-05 08:55"


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","x")', "+1", "-2", "@SUM(A1)"])
def test_a_name_a_spreadsheet_would_run_as_a_formula_comes_out_as_text(app, client, forum, name):
    register(app, name, "mallory@example.org", now=utc(1), organisation_name="=1+1")

    _header, row = rows_of(download(as_organiser(client)))

    assert row[0] == "'" + name
    assert row[2] == "'=1+1"


@pytest.mark.parametrize("cell, safe", [
    ("=1+1", "'=1+1"), ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"), ("  =1+1", "'  =1+1"), ("-", "'-"),
    ("Anna-Karin", "Anna-Karin"), ("1+1", "1+1"), ("info@example.org", "info@example.org"), ("", ""),
])
def test_only_cells_that_begin_like_a_formula_are_changed(cell, safe):
    assert neutralise(cell) == safe


def test_the_state_filter_exports_only_that_state_with_each_persons_place_in_line(app, client):
    with app.app_context():
        f.user("organiser@example.org", organiser_of=[f.event("forum", starts_at=f.local(2030, 3, 5, 9), capacity=1)])
        db.session.commit()
    register(app, "Has a place", "seat@example.org", now=utc(1, 8))
    register(app, "Gave up", "gone@example.org", now=utc(1, 9))
    register(app, "Second", "second@example.org", now=utc(1, 10))
    register(app, "Third", "third@example.org", now=utc(1, 11))
    cancel(app, "gone@example.org", now=utc(2))

    response = download(as_organiser(client), "?state=waitlisted")

    _header, *rows = rows_of(response)
    assert [(r[0], r[HEADER.index("Status")], r[HEADER.index("Place in line")]) for r in rows] == [
        ("Second", "Waiting", "1"), ("Third", "Waiting", "2")]


def test_an_unknown_state_exports_every_registration(app, client, forum):
    register(app, "Anna Lind", "anna@example.org", now=utc(1))
    register(app, "Bo Ek", "bo@example.org", now=utc(1))
    cancel(app, "bo@example.org", now=utc(2))

    _header, *rows = rows_of(download(as_organiser(client), "?state=nonsense"))

    assert [r[0] for r in rows] == ["Anna Lind", "Bo Ek"]


def test_each_export_is_on_record_with_who_took_it(app, client, forum):
    register(app, "Anna Lind", "anna@example.org", now=utc(1))

    download(as_organiser(client), "?state=confirmed")

    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "registrations.exported"))
        assert entry.user_id is not None and entry.detail["rows"] == 1 and entry.detail["state"] == "confirmed"


# ---------------------------------------------------------------- the statistics page

@pytest.fixture
def spread_over_days(app, forum):
    """Registrations on 1, 2 and 3 March; one of them cancelled on the 3rd."""
    register(app, "Anna", "anna@example.org", now=utc(1, 10), kind=OrganisationKind.AUTHORITY)
    register(app, "Bo", "bo@example.org", now=utc(1, 23, 30), kind=OrganisationKind.AUTHORITY)  # 2 March in Sweden
    register(app, "Cecilia", "cecilia@example.org", now=utc(3, 8), kind=OrganisationKind.NGO)
    register(app, "David", "david@example.org", now=utc(3, 9))
    register(app, "Eva", "eva@example.org", now=utc(3, 10), kind=OrganisationKind.MUNICIPALITY)
    cancel(app, "eva@example.org", now=utc(3, 12))
    return forum


def test_the_table_counts_registrations_per_day_in_the_events_time(client, spread_over_days, monkeypatch):
    monkeypatch.setattr(registration_pages, "utcnow", lambda: utc(4, 12))

    response = statistics(as_organiser(client))

    assert table(response, "over-time-table") == [
        ["Mar 1, 2030", "1", "1"],
        ["Mar 2, 2030", "2", "2"],
        ["Mar 3, 2030", "5", "4"],
        ["Mar 4, 2030", "5", "4"],
    ]


def test_the_days_end_with_the_events_start_once_it_has_begun(client, spread_over_days, monkeypatch):
    monkeypatch.setattr(registration_pages, "utcnow", lambda: datetime(2030, 4, 20, tzinfo=UTC))

    days = table(statistics(as_organiser(client)), "over-time-table")

    assert days[-1] == ["Mar 5, 2030", "5", "4"] and len(days) == 5


def test_the_chart_is_an_image_with_a_title_and_a_description(client, spread_over_days):
    html = statistics(as_organiser(client)).get_data(as_text=True)

    charts = re.findall(r'<svg class="chart-image" viewBox="[^"]+" role="img" '
                        r'aria-labelledby="([\w-]+) ([\w-]+)"', html)
    assert len(charts) == 2
    for title, desc in charts:
        assert f'<title id="{title}">' in html and f'<desc id="{desc}">' in html
    assert html.count('<polyline class="series-') == 2 and '<rect class="bar"' in html
    assert "<script" not in html
    assert "5 registrations in all, 4 of them not cancelled or expired" in html


def test_the_days_on_the_axis_are_written_the_readers_way(client, spread_over_days):
    as_organiser(client).get("/language/fi")

    html = statistics(client).get_data(as_text=True)

    assert 'text-anchor="middle">1.3.</text>' in html


def test_the_breakdown_counts_registrations_still_standing_per_kind_of_organisation(client, spread_over_days):
    rows = table(statistics(as_organiser(client)), "by-kind-table")

    assert rows == [["Government agency", "2"], ["Region", "0"], ["Municipality", "0"],
                    ["Civil-society organisation", "1"], ["Research", "0"], ["Education", "0"], ["Media", "0"],
                    ["Other", "0"], ["Not stated", "1"]]


def test_an_event_without_registrations_says_so(client, forum):
    response = statistics(as_organiser(client))

    assert "Nobody has registered yet." in response.get_data(as_text=True)
    assert table(response, "by-kind-table")[0] == ["Government agency", "0"]


def test_a_cancelled_registration_counts_as_registered_until_the_day_it_was_cancelled(app):
    with app.test_request_context():
        event = f.event("forum", starts_at=f.local(2030, 3, 5, 9))
        registration, _ = services.register(event, services.Applicant(name="Eva", email="eva@example.org"),
                                            now=utc(1), consent_version="test", email_confirmed=True)
        services.cancel(registration, utc(2, 23, 30), by="self")  # 00:30 on 3 March in Stockholm

        days = reports.registrations_over_time([registration], "Europe/Stockholm", date(2030, 3, 3))

        assert [(d.day.day, d.registered, d.live) for d in days] == [(1, 1, 1), (2, 1, 1), (3, 1, 0)]
        db.session.rollback()


@pytest.mark.parametrize("maximum, steps", [(0, [0, 1]), (3, [0, 1, 2, 3]), (7, [0, 2, 4, 6, 8]),
                                            (48, [0, 10, 20, 30, 40, 50]), (240, [0, 50, 100, 150, 200, 250])])
def test_the_value_axis_ends_on_a_round_number(maximum, steps):
    assert reports.axis_steps(maximum) == steps


def test_a_long_run_of_days_gets_a_few_evenly_spread_labels_including_both_ends():
    assert reports.spread_indices(3, 6) == [0, 1, 2]
    assert reports.spread_indices(101, 6) == [0, 20, 40, 60, 80, 100]


# ---------------------------------------------------------------- access

@pytest.mark.parametrize("path", ["registrations.csv", "registrations/statistics"])
def test_an_organiser_of_another_event_is_refused(app, client, forum, path):
    with app.app_context():
        f.user("other@example.org", organiser_of=[f.event("other")])
        db.session.commit()
    log_in(client, "other@example.org")

    assert client.get(f"/manage/events/forum/{path}").status_code == 403


@pytest.mark.parametrize("path", ["registrations.csv", "registrations/statistics"])
def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client, forum, path):
    response = client.get(f"/manage/events/forum/{path}")

    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", ["registrations.csv", "registrations/statistics"])
def test_an_unknown_event_is_not_found(admin_client, path):
    assert admin_client.get(f"/manage/events/nowhere/{path}").status_code == 404
