"""The process page: phases, meetings, documents and news (also as Atom), and next year's cycle."""

from datetime import date, datetime, timedelta, timezone

import feedparser
import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from conference.consultation.comments.models import FeedbackAudience, FeedbackWindow, WrittenComment
from conference.consultation.groups.models import InvitedGroup
from conference.consultation.photos.models import Photo
from conference.consultation.processes import services as processes
from conference.consultation.processes.models import Document, NewsItem, Phase, PhaseKind, Process, ProcessMeeting
from conference.consultation.proposals.models import AgendaProposal, MeetingTopic, ProposalOutcome
from conference.core.timeutil import utcnow
from conference.events.models import Event, RegistrationPolicy
from conference.extensions import db
from conference.registration import invitations, services as registration
from conference.registration.models import Invitation, Registration
from tests import factories as f
from tests.conftest import log_in, post_form
from tests.pages import text_of


@pytest.fixture
def dialogue(app):
    """The yearly dialogue with civil society: proposals, a samråd and a sakråd, news and a report."""
    with app.app_context():
        process = Process(slug="dialog-2031", title="Dialog med civilsamhället 2031", published=True,
                          summary="Regeringens årliga dialog.\n\nOrganisationerna föreslår dagordningen.",
                          topics="Etablering på arbetsmarknaden\nFöreningslivets roll")
        db.session.add(process)
        db.session.flush()
        db.session.add_all([
            Phase(process_id=process.id, kind=PhaseKind.AGENDA_PROPOSALS, title="Förslag till dagordning",
                  starts_on=date(2031, 1, 10), ends_on=date(2031, 2, 10)),
            Phase(process_id=process.id, kind=PhaseKind.CONSULTATION_MEETING, title="Samråd",
                  starts_on=date(2031, 3, 10)),
            Document(process_id=process.id, title="Minnesanteckningar från samrådet", body="Sammanfattning.",
                     published_on=date(2031, 3, 20)),
            NewsItem(process_id=process.id, title="Äldre nyhet", body="Först.",
                     published_at=datetime(2026, 1, 10, 9, tzinfo=timezone.utc)),
            NewsItem(process_id=process.id, title="Nyare nyhet", body="Sedan.",
                     published_at=datetime(2026, 2, 1, 9, tzinfo=timezone.utc)),
            NewsItem(process_id=process.id, title="Framtida nyhet", body="Inte än.",
                     published_at=datetime(2099, 1, 1, 9, tzinfo=timezone.utc)),
        ])
        samrad = f.event("samrad-2031", title="Samråd 2031", starts_at=f.local(2031, 3, 10, 10), hours=3,
                         registration_policy=RegistrationPolicy.INVITATION_ONLY, process_id=process.id)
        f.session(samrad, "Gruppsamtal", samrad.starts_at)
        samrad.invited_groups = [InvitedGroup(name="Civilsamhällets organisationer"),
                                 InvitedGroup(name="Sveriges Kommuner och Regioner",
                                              organisation_id=f.organisation("skr", "Sveriges Kommuner och Regioner").id)]
        f.event("sakrad-2031", title="Sakråd 2031", starts_at=f.local(2031, 5, 19, 14), hours=2,
                process_id=process.id)
        with app.test_request_context():
            registration.register(samrad, registration.Applicant(name="Anna", email="anna@example.org"),
                                  now=utcnow(), consent_version="test", email_confirmed=True, check_window=False)
            invitations.invite(samrad, name="Bo", email="bo@example.org", stakeholder_group="Civilsamhälle")
        samrad.feedback_window = FeedbackWindow(closes_at=f.local(2031, 3, 31, 23, 59),
                                                audience=FeedbackAudience.PARTICIPANTS, instructions="Vad saknades?",
                                                summary="Många lyfte språket.", summary_published_at=utcnow())
        samrad.feedback_window.comments.append(WrittenComment(name="Anna", email="anna@example.org",
                                                              email_normalised="anna@example.org", body="Bra möte."))
        samrad.photos.append(Photo(image=b"jpeg", content_type="image/jpeg", width=1, height=1, alt_text="Salen",
                                   credit="Fotograf"))
        db.session.add(AgendaProposal(process_id=process.id, title="Språkstöd", description="Mer språkstöd.",
                                      organisation_name="Rädda Barnen", proposer_name="Cia", email="cia@example.org",
                                      email_normalised="cia@example.org", nonce="n", token_hash="h",
                                      consent_version="test", confirmed_at=utcnow()))
        db.session.commit()
        return process.id


def test_the_process_page_shows_phases_meetings_documents_and_news_newest_first(client, dialogue):
    page = text_of(client.get("/processes/dialog-2031"))
    assert "Regeringens årliga dialog." in page and "Organisationerna föreslår dagordningen." in page
    assert "Förslag till dagordning" in page and "Samråd 2031" in page and "Sakråd 2031" in page
    assert "Minnesanteckningar från samrådet" in page
    assert page.index("Nyare nyhet") < page.index("Äldre nyhet")
    assert "Framtida nyhet" not in page


def test_the_news_feed_parses_with_the_newest_first(client, dialogue):
    response = client.get("/processes/dialog-2031/news.atom")
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Dialog med civilsamhället 2031"
    assert [e.title for e in feed.entries] == ["Nyare nyhet", "Äldre nyhet"]
    assert feed.entries[0].link.endswith("/processes/dialog-2031#news-%s" % feed.entries[0].id.rsplit("-", 1)[1])
    again = client.get("/processes/dialog-2031/news.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_draft_process_is_not_public(client, app, dialogue):
    with app.app_context():
        db.session.get(Process, dialogue).published = False
        db.session.commit()
    assert client.get("/processes/dialog-2031").status_code == 404
    assert client.get("/processes/dialog-2031/news.atom").status_code == 404


def test_a_meeting_links_back_to_its_process(client, dialogue):
    page = text_of(client.get("/events/sakrad-2031/"))
    assert "Dialog med civilsamhället 2031" in page


def test_next_years_cycle_moves_every_date_and_copies_no_personal_data(admin_client, app, dialogue):
    response = post_form(admin_client, f"/manage/processes/{dialogue}/copy",
                         {"copy-title": "Dialog med civilsamhället 2032", "copy-offset_days": "364"})
    assert response.status_code == 302
    with app.app_context():
        copy = db.session.scalar(select(Process).where(Process.title == "Dialog med civilsamhället 2032"))
        assert copy.previous_id == dialogue and not copy.published
        assert [(p.title, p.starts_on) for p in copy.phases] == [
            ("Förslag till dagordning", date(2032, 1, 9)), ("Samråd", date(2032, 3, 8))]
        meetings = db.session.scalars(select(Event).join(ProcessMeeting).where(ProcessMeeting.process_id == copy.id)
                                      .order_by(Event.starts_at)).all()
        assert [m.starts_at for m in meetings] == [f.local(2031, 3, 10, 10) + timedelta(days=364),
                                                    f.local(2031, 5, 19, 14) + timedelta(days=364)]
        assert all(not m.published for m in meetings)
        assert [s.title for s in meetings[0].sessions] == ["Gruppsamtal"]
        assert [(g.name, g.organisation.name if g.organisation else None) for g in meetings[0].invited_groups] == [
            ("Civilsamhällets organisationer", None), ("Sveriges Kommuner och Regioner", "Sveriges Kommuner och Regioner")]
        original = db.session.scalar(select(Event).where(Event.slug == "samrad-2031"))
        assert len(original.invited_groups) == 2  # moved along, not away
        window = meetings[0].feedback_window
        assert (window.closes_at, window.audience, window.instructions) == (
            f.local(2031, 3, 31, 23, 59) + timedelta(days=364), FeedbackAudience.PARTICIPANTS, "Vad saknades?")
        assert window.summary == "" and window.summary_published_at is None and window.comments == []
        assert meetings[0].photos == [] and meetings[1].feedback_window is None
        assert db.session.scalar(select(func.count(AgendaProposal.id))
                                 .where(AgendaProposal.process_id == copy.id)) == 0
        new_ids = [m.id for m in meetings]
        assert db.session.scalar(select(func.count(Registration.id)).where(Registration.event_id.in_(new_ids))) == 0
        assert db.session.scalar(select(func.count(Invitation.id)).where(Invitation.event_id.in_(new_ids))) == 0
        assert db.session.scalar(select(func.count(NewsItem.id)).where(NewsItem.process_id == copy.id)) == 0
        copy.published = True
        db.session.commit()
    page = text_of(admin_client.get("/processes/dialog-med-civilsamhallet-2032"))
    assert "Tidigare omgångar" in page and "Etablering på arbetsmarknaden" in page


def test_a_next_cycle_must_move_the_dates_forward(app, dialogue):
    with app.test_request_context(), force_locale("sv"):
        process = db.session.get(Process, dialogue)
        with pytest.raises(processes.ProcessError) as refused:
            processes.copy_cycle(process, title="Nästa", offset=timedelta(0), user_id=None)
        assert (refused.value.code, refused.value.field) == ("offset_not_forward", "offset_days")
        assert str(refused.value.message) == "Flytta datumen framåt minst en dag."
        db.session.rollback()
        assert db.session.scalar(select(func.count(Process.id))) == 1


def test_organisers_write_news_that_appears_on_the_page_and_in_the_feed(admin_client, client, app, dialogue):
    response = post_form(admin_client, f"/manage/processes/{dialogue}/news",
                         {"news-title": "Inbjudan till sakråd", "news-body": "Välkomna.",
                          "news-published_at": "2026-04-01T09:00"})
    assert response.status_code == 302
    titles = [e.title for e in feedparser.parse(client.get("/processes/dialog-2031/news.atom").data).entries]
    assert titles[0] == "Inbjudan till sakråd"
    with app.app_context():
        published = db.session.scalar(select(NewsItem.published_at).where(NewsItem.title == "Inbjudan till sakråd"))
    assert published == datetime(2026, 4, 1, 7, tzinfo=timezone.utc)  # 09:00 Swedish summer time


@pytest.mark.parametrize("url, data, field_id", [
    ("phases", {"phase-kind": "other_dialogue", "phase-title": "Dialog", "phase-starts_on": "2031-06-10",
                "phase-ends_on": "2031-06-01"}, "phase-ends_on"),
    ("news", {"news-title": "", "news-body": "Text", "news-published_at": "2031-04-01T09:00"}, "news-title"),
    ("documents", {"document-title": "Rapport", "document-url": "ftp://x", "document-published_on": "2031-04-01"},
     "document-url"),
    ("copy", {"copy-title": "Nästa", "copy-offset_days": "0"}, "copy-offset_days"),
])
def test_bad_input_is_explained_and_changes_nothing(admin_client, app, dialogue, url, data, field_id):
    with app.app_context():
        before = (db.session.scalar(select(func.count(Phase.id))), db.session.scalar(select(func.count(NewsItem.id))),
                  db.session.scalar(select(func.count(Document.id))), db.session.scalar(select(func.count(Process.id))))
    response = post_form(admin_client, f"/manage/processes/{dialogue}/{url}", data)
    assert response.status_code == 422
    assert f'id="{field_id}-error"' in response.get_data(as_text=True)
    with app.app_context():
        after = (db.session.scalar(select(func.count(Phase.id))), db.session.scalar(select(func.count(NewsItem.id))),
                 db.session.scalar(select(func.count(Document.id))), db.session.scalar(select(func.count(Process.id))))
    assert after == before


def test_an_organiser_of_single_events_cannot_change_a_process(app, dialogue):
    with app.app_context():
        samrad = db.session.scalar(select(Event).where(Event.slug == "samrad-2031"))
        f.user("one@example.org", organiser_of=[samrad])
        db.session.commit()
    client = app.test_client()
    log_in(client, "one@example.org")
    assert client.get("/manage/processes/").status_code == 403
    assert post_form(client, f"/manage/processes/{dialogue}/news",
                     {"news-title": "X", "news-body": "Y", "news-published_at": "2031-04-01T09:00"},
                     token_page="/manage/").status_code == 403


def test_a_copied_meeting_keeps_its_wall_clock_time_across_a_dst_change(admin_client, app, dialogue):
    with app.app_context():
        autumn = f.event("host-2031", title="Höstdialog 2031", starts_at=f.local(2031, 10, 28, 10), hours=2,
                         process_id=dialogue)  # winter time; 364 days later is still summer time
        autumn.registration_opens_at = f.local(2031, 9, 1, 8)
        autumn.registration_closes_at = f.local(2031, 10, 27, 12)
        f.link(autumn, f.organisation("ku", "Kulturdepartementet"))
        room = f.stage(autumn, "Sal B")
        f.session(autumn, "Samtal", autumn.starts_at, minutes=60, stage=room)
        db.session.get(Process, dialogue).timezone = "Europe/Helsinki"
        autumn.feedback_window = FeedbackWindow(closes_at=f.local(2031, 11, 4, 23, 59),
                                                audience=FeedbackAudience.ANYONE)
        db.session.commit()
        original_start, room_id = autumn.starts_at, room.id
    post_form(admin_client, f"/manage/processes/{dialogue}/copy",
              {"copy-title": "Dialog med civilsamhället 2032", "copy-offset_days": "364"})
    with app.app_context():
        copy = db.session.scalar(select(Event).where(Event.title == "Höstdialog 2031", Event.slug != "host-2031"))
        assert copy.starts_at == f.local(2032, 10, 26, 10) and copy.ends_at == f.local(2032, 10, 26, 12)
        assert copy.starts_at - original_start == timedelta(days=364, hours=-1)  # the clock, not the hours
        assert copy.sessions[0].starts_at == f.local(2032, 10, 26, 10)
        assert (copy.registration_opens_at, copy.registration_closes_at) == (f.local(2032, 8, 30, 8),
                                                                             f.local(2032, 10, 25, 12))
        assert [(link.organisation.name, link.role.value) for link in copy.organisation_links] == [
            ("Kulturdepartementet", "host")]
        assert [s.name for s in copy.stages] == ["Sal B"] and copy.sessions[0].stage is copy.stages[0]
        assert copy.stages[0].id != room_id
        assert copy.process_meeting.process.timezone == "Europe/Helsinki"
        assert copy.feedback_window.closes_at == f.local(2032, 11, 2, 23, 59)


def statements_for(app, client, path: str) -> int:
    from sqlalchemy import event as sql_event

    with app.app_context():
        engine = db.engine
    seen = []

    def count(*_args):
        seen.append(1)

    sql_event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        sql_event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_the_process_page_reads_the_same_number_of_rows_sets_however_many_meetings_it_lists(app, client, dialogue):
    with app.app_context():
        process = db.session.get(Process, dialogue)
        process.feedback_publish_at = process.feedback_mailed_at = utcnow() - timedelta(days=1)
        proposal = AgendaProposal(process_id=dialogue, title="Språkstöd", description="Mer.", organisation_name="F",
                                  proposer_name="Cia", email="cia@example.org", email_normalised="cia@example.org",
                                  nonce="n1", token_hash="h1", consent_version="t", confirmed_at=utcnow(),
                                  outcome=ProposalOutcome.TAKEN_UP, feedback="Tas upp.")
        db.session.add(proposal)
        db.session.flush()
        db.session.add(MeetingTopic(event_id=db.session.scalar(select(Event.id).where(Event.slug == "sakrad-2031")),
                                    proposal_id=proposal.id))
        db.session.commit()
        proposal_id = proposal.id
    before = statements_for(app, client, "/processes/dialog-2031")
    with app.app_context():
        for n in range(6):
            meeting = f.event(f"extra-{n}", title=f"Extra {n}", starts_at=f.local(2031, 6, 1 + n, 10),
                              process_id=dialogue, topic_proposal_id=proposal_id)
            meeting.feedback_window = FeedbackWindow(closes_at=f.local(2031, 6, 20), audience=FeedbackAudience.ANYONE)
        db.session.commit()
    page = client.get("/processes/dialog-2031")
    assert text_of(page).count("Fördjupar: Språkstöd") == 7
    assert statements_for(app, client, "/processes/dialog-2031") == before
