"""Agenda proposals: sent in the proposal phase, confirmed by mail, answered by the organisers, published at once."""

import csv
import io
import logging
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from conference.consultation.processes import views
from conference.consultation.processes.models import Phase, PhaseKind, Process, ProcessMeeting
from conference.consultation.proposals import links as proposal_links
from conference.consultation.proposals import manage as proposal_manage
from conference.consultation.proposals import services as proposals
from conference.consultation.proposals import views as proposal_views
from conference.consultation.proposals.models import AgendaProposal, MeetingTopic, ProposalOutcome
from conference.core.models import AuditEntry
from conference.events.models import Event, EventKind, Organisation, OrganisationKind
from conference.extensions import db
from conference.outbox.models import OutboxMessage
from tests import factories as f
from tests.conftest import csrf_token, log_in, post_form
from tests.pages import text_of
from tests.registration.conftest import deliver, link_in, text_body

UTC = timezone.utc
SLUG = "dialog-2031"
# the phase ends on the night the clocks go forward: midnight after it is 22:00 UTC, not 23:00
PHASE_FIRST, PHASE_LAST = date(2031, 3, 1), date(2031, 3, 30)
IN_THE_PHASE = f.local(2031, 3, 15, 12)
PUBLISH_AT = f.local(2031, 4, 1, 9)  # what `schedule` asks for
AFTER_THE_CONSULTATION = f.local(2031, 4, 20, 12)

FORM = {"name": "Sara Svensson", "email": "sara@example.org", "organisation_id": "0",
        "organisation_name": "Föreningen Framtid", "title": "Ungas väg till arbete",
        "description": "Hur kan fler unga nyanlända få sitt första jobb?\n\nVi vill diskutera praktikplatser.",
        "consent": "y"}


class Clock:
    """The time the pages see; the services are called with it as `now`."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    current = Clock(IN_THE_PHASE)
    for module in (views, proposal_views, proposal_manage):
        monkeypatch.setattr(module, "utcnow", current)
    return current


@pytest.fixture
def dialogue(app):
    """A published process with a proposal phase in March 2031, a register organisation and a follow-up meeting."""
    with app.app_context():
        process = Process(slug=SLUG, title="Dialog med civilsamhället 2031", published=True,
                          summary="Regeringens årliga dialog.")
        db.session.add(process)
        db.session.flush()
        db.session.add_all([
            Phase(process_id=process.id, kind=PhaseKind.AGENDA_PROPOSALS, title="Förslag till dagordning",
                  starts_on=PHASE_FIRST, ends_on=PHASE_LAST),
            Phase(process_id=process.id, kind=PhaseKind.CONSULTATION_MEETING, title="Samråd",
                  starts_on=date(2031, 4, 10)),
        ])
        f.organisation("radda-barnen", "Rädda Barnen", OrganisationKind.NGO)
        f.event("sakrad-2031", title="Sakråd om unga", starts_at=f.local(2031, 5, 19, 14), hours=2,
                kind=EventKind.FOLLOW_UP_DIALOGUE, process_id=process.id)
        db.session.commit()
        return process.id


@pytest.fixture
def organiser_client(app):
    with app.app_context():
        f.user("arrangor@example.org", organiser_of_all=True)
        db.session.commit()
    client = app.test_client()
    log_in(client, "arrangor@example.org")
    return client


# ---------------------------------------------------------------- helpers

def send_proposal(client, **changes):
    page = f"/processes/{SLUG}/proposals/new"
    data = {**FORM, **changes}
    return client.post(page, data={**data, "csrf_token": csrf_token(client, "/login")})


def count(app, model=AgendaProposal, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def proposal_by_title(app, title: str) -> AgendaProposal:
    with app.app_context():
        found = db.session.scalar(select(AgendaProposal).where(AgendaProposal.title == title))
        db.session.expunge_all()
        return found


def make_proposal(app, process_id, title, *, email=None, organisation="Föreningen Framtid", language="sv",
                  confirmed=True, name="Sara Svensson") -> tuple[int, str]:
    """A proposal sent and (by default) confirmed through the services; its id and personal link token."""
    with app.test_request_context():
        process = db.session.get(Process, process_id)
        proposal = proposals.propose(process, proposals.Proposal(
            name=name, email=email or "sara@example.org", title=title,
            description=f"Beskrivning av {title}.", organisation_name=organisation, language=language),
            now=IN_THE_PHASE, consent_version="test")
        if confirmed:
            proposals.confirm(proposal, IN_THE_PHASE + timedelta(minutes=5))
        db.session.commit()
        return proposal.id, proposal_links.token_of(proposal)


def give_feedback(client, process_id, proposal_id, outcome, reason="", merged_into=0):
    return post_form(client, f"/manage/processes/{process_id}/proposals/{proposal_id}/feedback",
                     {f"feedback-{proposal_id}-outcome": outcome,
                      f"feedback-{proposal_id}-merged_into_id": str(merged_into),
                      f"feedback-{proposal_id}-feedback": reason})


def schedule(client, process_id, when="2031-04-01T09:00"):
    return post_form(client, f"/manage/processes/{process_id}/proposals/publication", {"publish-publish_at": when})


def withdraw_through_link(client, token):
    return client.post(f"/processes/proposals/{token}/withdraw", data={"csrf_token": csrf_token(client)})


def set_topic(client, process_id, meeting_id, proposal_id):
    return post_form(client, f"/manage/processes/{process_id}/meetings/{meeting_id}/topic",
                     {f"topic-{meeting_id}-topic_id": str(proposal_id)})


def meeting_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Event.id).where(Event.slug == "sakrad-2031"))


def flash_text(response) -> str:
    return " ".join(text_of(m).strip() for m in re.findall(r'<p class="flash flash-\w+">(.*?)</p>',
                                                            response.get_data(as_text=True), re.S))


def error_text(response, field_id: str) -> str:
    match = re.search(rf'<p class="error-message" id="{re.escape(field_id)}-error">(.*?)</p>',
                      response.get_data(as_text=True), re.S)
    assert match, f"no error beside {field_id}"
    return text_of(match.group(1)).strip()


def snapshot(app, process_id):
    """Everything the forms could change."""
    with app.app_context():
        process = db.session.get(Process, process_id)
        rows = db.session.execute(select(AgendaProposal.id, AgendaProposal.outcome, AgendaProposal.merged_into_id,
                                         AgendaProposal.feedback, AgendaProposal.confirmed_at,
                                         AgendaProposal.withdrawn_at).order_by(AgendaProposal.id)).all()
        topics = db.session.execute(select(MeetingTopic.event_id, MeetingTopic.proposal_id)
                                    .order_by(MeetingTopic.event_id)).all()
        return (process.feedback_publish_at, process.feedback_mailed_at, [tuple(r) for r in rows],
                [tuple(t) for t in topics], db.session.scalar(select(func.count(OutboxMessage.id))))


# ---------------------------------------------------------------- the proposal phase

@pytest.mark.parametrize("moment, accepted", [
    (datetime(2031, 2, 28, 23, 59, tzinfo=f.STOCKHOLM), False),  # the evening before the first day
    (datetime(2031, 3, 1, 0, 0, tzinfo=f.STOCKHOLM), True),  # midnight starting the first day
    (datetime(2031, 3, 30, 23, 59, tzinfo=f.STOCKHOLM), True),  # the last minute of the last day (summer time)
    (datetime(2031, 3, 31, 0, 0, tzinfo=f.STOCKHOLM), False),  # midnight after the last day
])
def test_proposals_are_accepted_only_on_the_phase_days_in_the_process_timezone(client, app, dialogue, clock,
                                                                                moment, accepted):
    clock.now = moment.astimezone(UTC)
    response = send_proposal(client)
    if accepted:
        assert response.status_code == 302
        assert response.headers["Location"] == f"/processes/{SLUG}/proposals/sent"
        assert count(app) == 1
    else:
        assert response.status_code == 409
        assert ("Förslag till dagordning tas bara emot från och med 1 mars 2031 till och med 30 mars 2031."
                in text_of(response))
        assert count(app) == 0
        assert count(app, OutboxMessage) == 0


def test_the_phase_boundaries_are_instants_in_the_process_timezone(app, dialogue):
    with app.app_context():
        process = db.session.get(Process, dialogue)
        [phase] = proposals.agenda_phases(process)
        starts, ends = proposals.phase_bounds(phase, process.timezone)
        assert starts == datetime(2031, 2, 28, 23, 0, tzinfo=UTC)  # winter time, UTC+1
        assert ends == datetime(2031, 3, 30, 22, 0, tzinfo=UTC)  # summer time from that night, UTC+2
        with pytest.raises(proposals.ProposalError) as refused:
            proposals.check_open(process, ends)
        assert refused.value.code == "closed"
        assert proposals.check_open(process, ends - timedelta(seconds=1)) is phase


def test_outside_the_phase_the_form_page_says_when_and_the_process_page_offers_no_link(client, dialogue, clock):
    clock.now = AFTER_THE_CONSULTATION
    form_page = client.get(f"/processes/{SLUG}/proposals/new")
    assert form_page.status_code == 200
    assert "från och med 1 mars 2031 till och med 30 mars 2031" in text_of(form_page)
    assert 'name="title"' not in form_page.get_data(as_text=True)
    process_page = client.get(f"/processes/{SLUG}").get_data(as_text=True)
    assert f"/processes/{SLUG}/proposals/new" not in process_page
    assert "Förslag tas emot från och med 1 mars 2031 till och med 30 mars 2031." in text_of(process_page)


def test_when_the_phase_closes_while_someone_types_they_get_their_text_back_to_copy(client, app, dialogue, clock):
    assert 'name="title"' in client.get(f"/processes/{SLUG}/proposals/new").get_data(as_text=True)
    clock.now = datetime(2031, 3, 31, 0, 0, tzinfo=f.STOCKHOLM).astimezone(UTC)  # midnight after the last day

    response = send_proposal(client)

    assert response.status_code == 409
    page = text_of(response)
    assert "Förslag till dagordning tas bara emot från och med 1 mars 2031 till och med 30 mars 2031." in page
    assert "Det här skrev du Ditt förslag skickades inte. Kopiera det du skrev om du vill spara det." in page
    html = response.get_data(as_text=True)
    assert re.search(r'<label for="typed-title">Din rubrik</label>\s*'
                     r'<input type="text" id="typed-title" value="Ungas väg till arbete" readonly', html)
    description = re.search(r'<label for="typed-description">Din beskrivning</label>\s*'
                            r'<textarea id="typed-description" [^>]*readonly[^>]*>(.*?)</textarea>', html, re.S)
    assert description and description.group(1) == FORM["description"]
    assert 'name="title"' not in html and 'name="description"' not in html  # nothing to send again by mistake
    assert count(app) == 0 and count(app, OutboxMessage) == 0


def test_while_the_phase_is_open_the_process_page_links_to_the_form(client, dialogue, clock):
    page = client.get(f"/processes/{SLUG}")
    assert f'href="/processes/{SLUG}/proposals/new"' in page.get_data(as_text=True)
    assert "Föreslå en punkt till dagordningen" in text_of(page)


# ---------------------------------------------------------------- confirming the address

def test_the_mailed_link_confirms_by_post_and_only_then_organisers_see_the_proposal(
        client, app, smtp, dialogue, clock, organiser_client):
    assert send_proposal(client).status_code == 302
    stored = proposal_by_title(app, "Ungas väg till arbete")
    assert stored.confirmed_at is None and stored.language == "sv"
    manage_page = organiser_client.get(f"/manage/processes/{dialogue}/proposals")
    assert "Ungas väg till arbete" not in text_of(manage_page)
    assert "1 till väntar på att avsändaren bekräftar e-postadressen" in text_of(manage_page)

    assert deliver(app) == 1
    mail = smtp.last("sara@example.org")
    assert mail["Subject"] == "Bekräfta ditt förslag till dagordning för Dialog med civilsamhället 2031"
    assert "Ungas väg till arbete" in text_body(mail)
    path = link_in(mail, r"https?://\S+/processes/proposals/[\w-]+/confirm")

    # a mail scanner opening the link confirms nothing
    assert client.get(path).status_code == 200
    assert proposal_by_title(app, "Ungas väg till arbete").confirmed_at is None

    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    assert proposal_by_title(app, "Ungas väg till arbete").confirmed_at is not None
    personal = client.get(response.headers["Location"])
    assert "Bekräftat: arrangörerna har fått ditt förslag" in text_of(personal)
    assert personal.headers["Cache-Control"] == "no-store"

    manage_page = text_of(organiser_client.get(f"/manage/processes/{dialogue}/proposals"))
    assert "Ungas väg till arbete" in manage_page and "sara@example.org" in manage_page
    assert "1 bekräftat förslag." in manage_page


def test_a_wrong_personal_link_finds_nothing(client, app, dialogue):
    make_proposal(app, dialogue, "Bostäder för nyanlända")
    response = client.get("/processes/proposals/not-a-real-token")
    assert response.status_code == 404
    assert "Länken gäller inte" in text_of(response)


def test_an_organiser_sends_a_new_link_in_the_proposers_language_and_the_old_one_stops_working(
        client, app, smtp, dialogue, clock, organiser_client):
    proposal_id, old_token = make_proposal(app, dialogue, "Suomenkieliset palvelut", email="aino@example.org",
                                           language="fi", organisation="Suomalaisten yhdistys", name="Aino Virtanen")
    assert client.get(f"/processes/proposals/{old_token}").status_code == 200
    deliver(app)  # the confirmation mail
    smtp.messages.clear()
    manage_page = text_of(organiser_client.get(f"/manage/processes/{dialogue}/proposals"))
    assert "Skicka en ny länk: Suomenkieliset palvelut" in manage_page

    response = post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/{proposal_id}/new-link", {})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/processes/{dialogue}/proposals#proposal-{proposal_id}")
    assert flash_text(organiser_client.get(response.headers["Location"])) == (
        "En ny länk till ”Suomenkieliset palvelut” är på väg till aino@example.org. "
        "Den tidigare länken fungerar inte längre.")
    old = client.get(f"/processes/proposals/{old_token}")
    assert old.status_code == 404 and "Länken gäller inte" in text_of(old)
    assert withdraw_through_link(client, old_token).status_code == 404
    with app.app_context():
        organiser = db.session.scalar(select(f.User.id).where(f.User.email == "arrangor@example.org"))
        entries = db.session.execute(select(AuditEntry.object_id, AuditEntry.user_id)
                                     .where(AuditEntry.action == "proposal.link_renewed")).all()
        assert [tuple(e) for e in entries] == [(proposal_id, organiser)]

    assert deliver(app) == 1
    mail = smtp.last("aino@example.org")
    assert mail["Subject"] == "Uusi linkki esityslistaehdotukseesi: Dialog med civilsamhället 2031"
    assert "Aiemmissa sähköposteissa oleva linkki ei enää toimi." in text_body(mail)
    assert "Hei Aino Virtanen," in text_body(mail)
    path = link_in(mail, r"https?://\S+/processes/proposals/[\w-]+")
    assert old_token not in path
    personal = client.get(path)
    assert personal.status_code == 200 and "Suomenkieliset palvelut" in text_of(personal)


# ---------------------------------------------------------------- the organisation

def test_the_organisation_is_picked_from_the_register_or_typed(client, app, dialogue, clock):
    with app.app_context():
        org_id = db.session.scalar(select(Organisation.id).where(Organisation.name == "Rädda Barnen"))

    assert send_proposal(client, organisation_id=str(org_id), organisation_name="",
                         title="Barns röst i samrådet").status_code == 302
    picked = proposal_by_title(app, "Barns röst i samrådet")
    assert (picked.organisation_id, picked.organisation_name) == (org_id, "Rädda Barnen")

    assert send_proposal(client, organisation_id="0", organisation_name="Kvinnojouren Väst",
                         title="Skydd för kvinnor").status_code == 302
    typed = proposal_by_title(app, "Skydd för kvinnor")
    assert (typed.organisation_id, typed.organisation_name) == (None, "Kvinnojouren Väst")

    neither = send_proposal(client, organisation_id="0", organisation_name="", title="Utan organisation")
    assert neither.status_code == 422
    assert error_text(neither, "organisation_name") == "Välj en organisation eller skriv dess namn."
    assert count(app) == 2


# ---------------------------------------------------------------- feedback and its publication

def test_feedback_is_hidden_from_the_public_until_published_and_then_all_of_it_shows_at_once(
        client, app, dialogue, clock, organiser_client):
    first, first_token = make_proposal(app, dialogue, "Ungas väg till arbete")
    second, _ = make_proposal(app, dialogue, "Språkcafé i biblioteken", organisation="Bibliotek för alla")
    assert give_feedback(organiser_client, dialogue, first, "taken_up", "Ett viktigt ämne.").status_code == 302
    assert give_feedback(organiser_client, dialogue, second, "not_taken_up",
                         "Frågan hör till kommunerna.").status_code == 302

    moment = f.local(2031, 4, 1, 9)
    clock.now = f.local(2031, 3, 31, 12)
    response = post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication",
                         {"publish-publish_at": "2031-04-01T09:00"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Process, dialogue).feedback_publish_at == moment

    clock.now = moment - timedelta(seconds=1)
    before = text_of(client.get(f"/processes/{SLUG}"))
    assert "Ungas väg till arbete" not in before and "Frågan hör till kommunerna." not in before
    assert "publiceras 1 april 2031 09:00 CEST" in before
    personal = text_of(client.get(f"/processes/proposals/{first_token}"))
    assert "Ett viktigt ämne." not in personal and "Tas upp vid samrådet" not in personal

    clock.now = moment
    after = text_of(client.get(f"/processes/{SLUG}"))
    assert "Ungas väg till arbete" in after and "Tas upp vid samrådet" in after and "Ett viktigt ämne." in after
    assert "Språkcafé i biblioteken" in after and "Bibliotek för alla" in after
    assert "Tas inte upp" in after and "Frågan hör till kommunerna." in after
    assert "Sara Svensson" not in after and "@example.org" not in after
    personal = text_of(client.get(f"/processes/proposals/{first_token}"))
    assert "Tas upp vid samrådet" in personal and "Ett viktigt ämne." in personal


def test_publishing_is_refused_while_a_proposal_lacks_feedback(app, dialogue, clock, organiser_client):
    answered, _ = make_proposal(app, dialogue, "Ungas väg till arbete")
    make_proposal(app, dialogue, "Språkcafé i biblioteken")
    make_proposal(app, dialogue, "Obekräftat förslag", confirmed=False)  # needs no feedback: organisers never see it
    give_feedback(organiser_client, dialogue, answered, "taken_up")
    before = snapshot(app, dialogue)

    now = post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/now", {})
    assert now.status_code == 409
    assert ("Varje förslag behöver återkoppling före publiceringen. Fortfarande utan återkoppling: "
            "Språkcafé i biblioteken.") in text_of(now)

    later = post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication",
                      {"publish-publish_at": "2031-04-01T09:00"})
    assert later.status_code == 422
    assert "Fortfarande utan återkoppling: Språkcafé i biblioteken." in error_text(later, "publish-publish_at")
    assert 'value="2031-04-01T09:00"' in later.get_data(as_text=True)
    assert snapshot(app, dialogue) == before


def test_a_proposal_merged_into_one_withdrawn_since_needs_new_feedback_before_publication(
        client, app, dialogue, clock, organiser_client):
    target, target_token = make_proposal(app, dialogue, "Ungas väg till arbete")
    merged, _ = make_proposal(app, dialogue, "Praktik för unga")
    give_feedback(organiser_client, dialogue, target, "taken_up")
    give_feedback(organiser_client, dialogue, merged, "merged", "Samma fråga.", merged_into=target)
    page = f"/processes/proposals/{target_token}/withdraw"
    assert client.post(page, data={"csrf_token": csrf_token(client, page)}).status_code == 302

    refused = post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/now", {})
    assert refused.status_code == 409
    assert "Fortfarande utan återkoppling: Praktik för unga." in text_of(refused)
    give_feedback(organiser_client, dialogue, merged, "taken_up", "Tas upp för sig.")
    assert post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/now",
                     {}).status_code == 302


def test_feedback_cannot_be_changed_after_publication(app, dialogue, clock, organiser_client):
    proposal_id, _ = make_proposal(app, dialogue, "Ungas väg till arbete")
    give_feedback(organiser_client, dialogue, proposal_id, "taken_up", "Ett viktigt ämne.")
    assert post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/now",
                     {}).status_code == 302
    before = snapshot(app, dialogue)

    response = give_feedback(organiser_client, dialogue, proposal_id, "not_taken_up", "Ändrade oss.")
    assert response.status_code == 409
    assert "Återkopplingen har publicerats och kan inte längre ändras." in text_of(response)
    cancel = post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/cancel", {})
    assert cancel.status_code == 409
    assert snapshot(app, dialogue) == before
    page = organiser_client.get(f"/manage/processes/{dialogue}/proposals").get_data(as_text=True)
    assert f'name="feedback-{proposal_id}-outcome"' not in page


def test_a_proposal_merges_only_into_another_live_one_that_is_not_merged_itself(
        client, app, dialogue, clock, organiser_client):
    main_id, _ = make_proposal(app, dialogue, "Ungas väg till arbete")
    similar_id, similar_token = make_proposal(app, dialogue, "Praktik för unga", organisation="Ungdomsförbundet")
    third_id, _ = make_proposal(app, dialogue, "Sommarjobb", organisation="Fritidsgården")

    itself = give_feedback(organiser_client, dialogue, main_id, "merged", "Samma fråga.", merged_into=main_id)
    assert itself.status_code == 422
    assert error_text(itself, f"feedback-{main_id}-merged_into_id") == (
        "Välj ett annat förslag: inte det här, och inte ett som självt är sammanslaget.")
    missing_target = give_feedback(organiser_client, dialogue, main_id, "merged", "Samma fråga.")
    assert error_text(missing_target, f"feedback-{main_id}-merged_into_id") == (
        "Välj förslaget som det slogs samman med.")
    no_reason = give_feedback(organiser_client, dialogue, similar_id, "merged", "", merged_into=main_id)
    assert no_reason.status_code == 422
    assert error_text(no_reason, f"feedback-{similar_id}-feedback") == (
        "Skriv skälet: förslagsställaren och allmänheten läser det.")

    assert give_feedback(organiser_client, dialogue, similar_id, "merged", "Tas upp tillsammans med ett liknande.",
                         merged_into=main_id).status_code == 302
    onto_merged = give_feedback(organiser_client, dialogue, third_id, "merged", "Hör ihop.", merged_into=similar_id)
    assert onto_merged.status_code == 422
    main_merged = give_feedback(organiser_client, dialogue, main_id, "merged", "Hör ihop.", merged_into=third_id)
    assert error_text(main_merged, f"feedback-{main_id}-merged_into_id") == (
        "Andra förslag är sammanslagna med det här, så det kan inte självt slås samman.")
    with app.app_context():
        assert db.session.get(AgendaProposal, third_id).outcome is None
        assert db.session.get(AgendaProposal, main_id).outcome is None

    give_feedback(organiser_client, dialogue, main_id, "taken_up", "")
    give_feedback(organiser_client, dialogue, third_id, "not_taken_up", "Utanför samrådets ram.")
    assert post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/now",
                     {}).status_code == 302
    public = text_of(client.get(f"/processes/{SLUG}"))
    assert "Sammanslaget med ”Ungas väg till arbete”" in public
    assert "Tas upp tillsammans med ett liknande." in public


def test_a_scheduled_publication_mails_each_proposer_once_in_their_own_language(
        client, app, smtp, dialogue, clock, organiser_client):
    sv_id, sv_token = make_proposal(app, dialogue, "Ungas väg till arbete", email="sara@example.org")
    fi_id, _ = make_proposal(app, dialogue, "Suomenkieliset palvelut", email="aino@example.org", language="fi",
                             organisation="Suomalaisten yhdistys", name="Aino Virtanen")
    gone_id, gone_token = make_proposal(app, dialogue, "Tillbakadraget", email="gone@example.org")
    make_proposal(app, dialogue, "Aldrig bekräftat", email="never@example.org", confirmed=False)
    give_feedback(organiser_client, dialogue, sv_id, "taken_up", "Ett viktigt ämne.")
    give_feedback(organiser_client, dialogue, fi_id, "not_taken_up", "Frågan hör till kommunerna.")
    page = f"/processes/proposals/{gone_token}/withdraw"
    assert client.post(page, data={"csrf_token": csrf_token(client, page)}).status_code == 302
    deliver(app)  # the confirmation mails
    smtp.messages.clear()

    moment = datetime(2031, 4, 1, 7, 0, tzinfo=UTC)
    assert post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication",
                     {"publish-publish_at": "2031-04-01T09:00"}).status_code == 302
    feedback_mails = (OutboxMessage.kind == "proposal.feedback",)

    with app.test_request_context():
        assert proposals.publish_due_feedback(moment - timedelta(seconds=1)) == 0
        db.session.commit()
    assert count(app, OutboxMessage, *feedback_mails) == 0

    with app.app_context():  # as the outbox worker runs it: no request
        assert proposals.publish_due_feedback(moment) == 1
        db.session.commit()
        assert proposals.publish_due_feedback(moment + timedelta(minutes=1)) == 0
        db.session.commit()
    assert count(app, OutboxMessage, *feedback_mails) == 2

    assert deliver(app) == 2
    assert [m["To"] for m in smtp.messages].count("Sara Svensson <sara@example.org>") == 1
    swedish = smtp.last("sara@example.org")
    assert swedish["Subject"] == "Återkoppling på ditt förslag till dagordning för Dialog med civilsamhället 2031"
    assert "Tas upp vid samrådet" in text_body(swedish) and "Ett viktigt ämne." in text_body(swedish)
    finnish = smtp.last("aino@example.org")
    assert finnish["Subject"] == "Palaute esityslistaehdotuksestasi: Dialog med civilsamhället 2031"
    assert "Ei oteta käsiteltäväksi" in text_body(finnish) and "Frågan hör till kommunerna." in text_body(finnish)
    assert smtp.to("gone@example.org") == [] and smtp.to("never@example.org") == []

    clock.now = moment
    personal = client.get(link_in(swedish, r"https?://\S+/processes/proposals/[\w-]+"))
    assert "Ett viktigt ämne." in text_of(personal)
    assert personal.request.path == f"/processes/proposals/{sv_token}"
    with app.app_context():
        assert db.session.get(AgendaProposal, gone_id).withdrawn_at is not None


def test_a_scheduled_publication_can_be_moved_or_cancelled_before_its_moment(client, app, dialogue, clock,
                                                                              organiser_client):
    proposal_id, _ = make_proposal(app, dialogue, "Ungas väg till arbete")
    give_feedback(organiser_client, dialogue, proposal_id, "taken_up", "Ett viktigt ämne.")
    url = f"/manage/processes/{dialogue}/proposals/publication"
    assert post_form(organiser_client, url, {"publish-publish_at": "2031-04-01T09:00"}).status_code == 302
    assert post_form(organiser_client, url, {"publish-publish_at": "2031-04-03T13:30"}).status_code == 302
    with app.app_context():
        assert db.session.get(Process, dialogue).feedback_publish_at == f.local(2031, 4, 3, 13, 30)
    page = text_of(organiser_client.get(f"/manage/processes/{dialogue}/proposals"))
    assert "Planerad till 3 april 2031 13:30 CEST." in page

    assert post_form(organiser_client, f"{url}/cancel", {}).status_code == 302
    with app.app_context():
        assert db.session.get(Process, dialogue).feedback_publish_at is None
        assert proposals.publish_due_feedback(f.local(2031, 5, 1, 9)) == 0
    clock.now = f.local(2031, 5, 1, 9)
    assert "Ett viktigt ämne." not in text_of(client.get(f"/processes/{SLUG}"))

    past = post_form(organiser_client, url, {"publish-publish_at": "2031-04-01T09:00"})
    assert past.status_code == 422
    assert error_text(past, "publish-publish_at") == "Välj en tidpunkt framåt i tiden, eller publicera nu."


def test_publishing_now_shows_the_feedback_and_queues_the_mails_in_the_same_request(
        client, app, dialogue, clock, organiser_client):
    proposal_id, _ = make_proposal(app, dialogue, "Ungas väg till arbete", email="sara@example.org")
    give_feedback(organiser_client, dialogue, proposal_id, "taken_up", "Ett viktigt ämne.")
    response = post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/now", {})
    assert response.status_code == 302
    with app.app_context():
        process = db.session.get(Process, dialogue)
        assert process.feedback_publish_at == IN_THE_PHASE and process.feedback_mailed_at == IN_THE_PHASE
        assert proposals.publish_due_feedback(IN_THE_PHASE + timedelta(hours=1)) == 0
    assert count(app, OutboxMessage, OutboxMessage.kind == "proposal.feedback",
                 OutboxMessage.recipient == "sara@example.org") == 1
    public = client.get(f"/processes/{SLUG}")
    assert "Ett viktigt ämne." in text_of(public)
    # answered proposals close the form, though the phase's days have not run out
    assert f"/processes/{SLUG}/proposals/new" not in public.get_data(as_text=True)
    late = send_proposal(client, title="För sent")
    assert late.status_code == 409
    assert "Arrangörerna har besvarat förslagen, så inga fler tas emot." in text_of(late)
    assert count(app) == 1


def test_a_proposal_cannot_be_confirmed_once_the_answers_are_scheduled(client, app, dialogue, clock,
                                                                      organiser_client):
    answered, _ = make_proposal(app, dialogue, "Ungas väg till arbete")
    _, late_token = make_proposal(app, dialogue, "Sent bekräftat", confirmed=False)
    give_feedback(organiser_client, dialogue, answered, "taken_up")
    assert post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication",
                     {"publish-publish_at": "2031-04-01T09:00"}).status_code == 302
    path = f"/processes/proposals/{late_token}/confirm"
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    assert ("Arrangörerna har redan besvarat förslagen, så det här förslaget kan inte längre bekräftas."
            in text_of(client.get(response.headers["Location"])))
    assert proposal_by_title(app, "Sent bekräftat").confirmed_at is None


def test_the_proposer_can_withdraw_before_the_answers_and_not_after_publication(client, app, dialogue, clock,
                                                                               organiser_client):
    kept, kept_token = make_proposal(app, dialogue, "Ungas väg till arbete")
    gone, gone_token = make_proposal(app, dialogue, "Tillbakadraget förslag")
    page = f"/processes/proposals/{gone_token}/withdraw"
    assert "Vill du dra tillbaka ditt förslag?" in text_of(client.get(page))
    assert client.post(page, data={"csrf_token": csrf_token(client, page)}).status_code == 302
    assert "Tillbakadraget" in text_of(client.get(f"/processes/proposals/{gone_token}"))
    manage_page = organiser_client.get(f"/manage/processes/{dialogue}/proposals")
    assert "Tillbakadraget förslag (tillbakadraget)" in text_of(manage_page)
    assert f'name="feedback-{gone}-outcome"' not in manage_page.get_data(as_text=True)

    give_feedback(organiser_client, dialogue, kept, "taken_up")
    assert post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/now",
                     {}).status_code == 302
    late = f"/processes/proposals/{kept_token}/withdraw"
    response = client.post(late, data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert ("Återkopplingen har publicerats och kan inte längre ändras."
            in text_of(client.get(response.headers["Location"])))
    with app.app_context():
        assert db.session.get(AgendaProposal, kept).withdrawn_at is None
    public = text_of(client.get(f"/processes/{SLUG}"))
    assert "Ungas väg till arbete" in public and "Tillbakadraget förslag" not in public


def test_once_the_answers_are_scheduled_the_proposer_writes_to_the_contact_instead_of_withdrawing(
        client, app, dialogue, clock, organiser_client):
    with app.app_context():
        db.session.scalar(select(Event).where(Event.slug == "sakrad-2031")).contact_email = "samrad@example.org"
        db.session.commit()
    target, target_token = make_proposal(app, dialogue, "Ungas väg till arbete")
    merged, _ = make_proposal(app, dialogue, "Praktik för unga")
    give_feedback(organiser_client, dialogue, target, "taken_up")
    give_feedback(organiser_client, dialogue, merged, "merged", "Samma fråga.", merged_into=target)
    assert schedule(organiser_client, dialogue).status_code == 302
    before = snapshot(app, dialogue)

    personal = client.get(f"/processes/proposals/{target_token}")
    assert ("Arrangörerna har redan besvarat förslagen, så ditt förslag kan inte längre dras tillbaka här. "
            "Vill du ta tillbaka det, skriv till arrangörerna: samrad@example.org") in text_of(personal)
    assert 'href="mailto:samrad@example.org"' in personal.get_data(as_text=True)
    assert f"/processes/proposals/{target_token}/withdraw" not in personal.get_data(as_text=True)
    assert client.get(f"/processes/proposals/{target_token}/withdraw").status_code == 302

    refused = withdraw_through_link(client, target_token)
    assert refused.status_code == 302
    assert flash_text(client.get(refused.headers["Location"])) == (
        "Arrangörerna har redan besvarat förslagen, så ditt förslag kan inte längre dras tillbaka här.")
    assert snapshot(app, dialogue) == before

    # cancelling the publication opens withdrawal again; what was merged into it then needs a new answer
    assert post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/cancel",
                     {}).status_code == 302
    assert withdraw_through_link(client, target_token).status_code == 302
    assert proposal_by_title(app, "Ungas väg till arbete").withdrawn_at is not None
    again = schedule(organiser_client, dialogue)
    assert again.status_code == 422
    assert "Fortfarande utan återkoppling: Praktik för unga." in error_text(again, "publish-publish_at")


def test_the_worker_publishes_nothing_while_an_answer_points_at_a_withdrawn_proposal(client, app, dialogue, clock,
                                                                                   caplog):
    target, _ = make_proposal(app, dialogue, "Ungas väg till arbete", email="sara@example.org")
    merged, _ = make_proposal(app, dialogue, "Praktik för unga", email="ung@example.org")
    with app.test_request_context():
        process = db.session.get(Process, dialogue)
        a, b = db.session.get(AgendaProposal, target), db.session.get(AgendaProposal, merged)
        proposals.give_feedback(a, ProposalOutcome.TAKEN_UP, "", merged_into=None, now=IN_THE_PHASE, user_id=None)
        proposals.give_feedback(b, ProposalOutcome.MERGED, "Samma fråga.", merged_into=a, now=IN_THE_PHASE,
                                user_id=None)
        proposals.schedule_publication(process, PUBLISH_AT, now=IN_THE_PHASE, user_id=None)
        with pytest.raises(proposals.ProposalError) as refused:
            proposals.withdraw(a, IN_THE_PHASE + timedelta(days=1))
        assert refused.value.code == "answered_withdraw"
        db.session.commit()
    # what the rules no longer let happen: a row from before them, or mended by hand
    with app.app_context():
        db.session.execute(update(AgendaProposal).where(AgendaProposal.id == target)
                           .values(withdrawn_at=IN_THE_PHASE + timedelta(days=1)))
        db.session.commit()

    with app.app_context(), caplog.at_level(logging.WARNING):
        assert proposals.publish_due_feedback(PUBLISH_AT) == 0
        db.session.commit()
        assert db.session.get(Process, dialogue).feedback_mailed_at is None
    assert count(app, OutboxMessage, OutboxMessage.kind == "proposal.feedback") == 0
    assert f"feedback of process {dialogue} ({SLUG}) is due but not published: proposals {merged} " in caplog.text

    clock.now = PUBLISH_AT
    with app.test_request_context():
        assert proposals.outcome_text(db.session.get(AgendaProposal, merged)) == "Sammanslaget med ett annat förslag"
    public = text_of(client.get(f"/processes/{SLUG}"))
    assert "Praktik för unga" in public and "Ungas väg till arbete" not in public


# ---------------------------------------------------------------- the worker and the organisers

@pytest.mark.parametrize("action", ["cancel", "schedule", "publish now"])
def test_once_the_worker_has_mailed_a_late_organiser_click_changes_nothing(app, dialogue, clock, organiser_client,
                                                                          action):
    proposal_id, _ = make_proposal(app, dialogue, "Ungas väg till arbete")
    give_feedback(organiser_client, dialogue, proposal_id, "taken_up", "Ett viktigt ämne.")
    assert schedule(organiser_client, dialogue).status_code == 302
    with app.app_context():  # the worker, on time by its own clock
        assert proposals.publish_due_feedback(PUBLISH_AT) == 1
        db.session.commit()
    before = snapshot(app, dialogue)
    assert before[:2] == (PUBLISH_AT, PUBLISH_AT)

    clock.now = PUBLISH_AT - timedelta(seconds=5)  # the organiser's request, a moment behind
    url = f"/manage/processes/{dialogue}/proposals/publication"
    response = {
        "cancel": lambda: post_form(organiser_client, f"{url}/cancel", {}),
        "schedule": lambda: schedule(organiser_client, dialogue, "2031-04-02T09:00"),
        "publish now": lambda: post_form(organiser_client, f"{url}/now", {}),
    }[action]()

    assert response.status_code == 409
    assert flash_text(response) == ("Återkopplingen publicerades och förslagsställarna fick e-post under tiden, "
                                    "så publiceringen kan inte längre ändras.")
    assert snapshot(app, dialogue) == before
    assert count(app, OutboxMessage, OutboxMessage.kind == "proposal.feedback") == 1
    assert f'name="feedback-{proposal_id}-outcome"' not in response.get_data(as_text=True)


def test_the_publication_time_names_its_timezone_in_words(app, dialogue, clock, organiser_client):
    page = text_of(organiser_client.get(f"/manage/processes/{dialogue}/proposals"))
    assert "Publicera den (obligatoriskt) Tidszon: Svensk tid (Europe/Stockholm)" in page
    assert "Tid i Europe/Stockholm" not in page


# ---------------------------------------------------------------- follow-up topics

def test_a_follow_up_meeting_shows_its_topic_on_its_public_page(client, app, dialogue, clock, organiser_client):
    taken, _ = make_proposal(app, dialogue, "Ungas väg till arbete", name="Sara Svensson", email="sara@example.org")
    declined, _ = make_proposal(app, dialogue, "Språkcafé i biblioteken")
    give_feedback(organiser_client, dialogue, taken, "taken_up", "Ett viktigt ämne.")
    give_feedback(organiser_client, dialogue, declined, "not_taken_up", "Hör till kommunerna.")
    with app.app_context():
        meeting = db.session.scalar(select(Event.id).where(Event.slug == "sakrad-2031"))
    url = f"/manage/processes/{dialogue}/meetings/{meeting}/topic"

    refused = post_form(organiser_client, url, {f"topic-{meeting}-topic_id": str(declined)})
    assert refused.status_code == 422
    assert error_text(refused, f"topic-{meeting}-topic_id") == (
        "Välj ett förslag som togs upp, eller ett som andra slogs samman med.")
    assert post_form(organiser_client, url, {f"topic-{meeting}-topic_id": str(taken)}).status_code == 302
    with app.app_context():
        assert f.topic_id_of(meeting) == taken

    assert "Ungas väg till arbete" not in text_of(client.get("/events/sakrad-2031/"))  # not before publication
    post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/now", {})
    html = client.get("/events/sakrad-2031/").get_data(as_text=True)
    page = text_of(html)
    assert "Ämne Ungas väg till arbete Föreslaget av Föreningen Framtid" in page
    assert "Beskrivning av Ungas väg till arbete." in page
    assert "Sara Svensson" not in page and "sara@example.org" not in page
    headings = re.findall(r"<h([1-6])", html)
    assert all(int(b) - int(a) <= 1 for a, b in zip(headings, headings[1:])), headings

    assert post_form(organiser_client, url, {f"topic-{meeting}-topic_id": "0"}).status_code == 302
    assert "Ungas väg till arbete" not in text_of(client.get("/events/sakrad-2031/"))


def test_a_meeting_that_leaves_the_process_loses_its_topic(client, app, dialogue, clock, organiser_client):
    taken, _ = make_proposal(app, dialogue, "Ungas väg till arbete")
    give_feedback(organiser_client, dialogue, taken, "taken_up", "Ett viktigt ämne.")
    meeting = meeting_id(app)
    assert set_topic(organiser_client, dialogue, meeting, taken).status_code == 302
    post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/now", {})
    assert "Ungas väg till arbete" in text_of(client.get("/events/sakrad-2031/"))

    response = post_form(organiser_client, f"/manage/processes/{dialogue}/meetings/{meeting}/remove", {})

    assert response.status_code == 302
    with app.app_context():
        assert (f.process_id_of(meeting), f.topic_id_of(meeting)) == (None, None)
    assert "Ungas väg till arbete" not in text_of(client.get("/events/sakrad-2031/"))


def test_a_meeting_shows_no_topic_from_another_process(client, app, dialogue, clock, organiser_client):
    taken, _ = make_proposal(app, dialogue, "Ungas väg till arbete")
    give_feedback(organiser_client, dialogue, taken, "taken_up", "Ett viktigt ämne.")
    meeting = meeting_id(app)
    set_topic(organiser_client, dialogue, meeting, taken)
    post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/now", {})
    with app.app_context():  # moved to another process by hand, the topic left behind
        other = Process(slug="dialog-2032", title="Dialog med civilsamhället 2032", published=True)
        db.session.add(other)
        db.session.flush()
        db.session.get(ProcessMeeting, meeting).process_id = other.id
        db.session.commit()

    page = text_of(client.get("/events/sakrad-2031/"))
    assert "Sakråd om unga" in page and "Ungas väg till arbete" not in page


def test_an_answer_that_would_take_away_a_meetings_topic_is_refused_beside_the_outcome(
        app, dialogue, clock, organiser_client):
    topic, _ = make_proposal(app, dialogue, "Ungas väg till arbete")
    other, _ = make_proposal(app, dialogue, "Språkcafé i biblioteken")
    give_feedback(organiser_client, dialogue, topic, "taken_up", "Ett viktigt ämne.")
    give_feedback(organiser_client, dialogue, other, "taken_up", "Också viktigt.")
    meeting = meeting_id(app)
    assert set_topic(organiser_client, dialogue, meeting, topic).status_code == 302
    before = snapshot(app, dialogue)

    for outcome, target in [("not_taken_up", 0), ("merged", other)]:
        response = give_feedback(organiser_client, dialogue, topic, outcome, "Vi ändrade oss.", merged_into=target)
        assert response.status_code == 422
        assert error_text(response, f"feedback-{topic}-outcome") == (
            "Med det här svaret kan ”Ungas väg till arbete” inte längre vara ämne för Sakråd om unga. "
            "Välj först ett annat ämne för mötet under ”Sakrådens ämnen”.")
        assert "Vi ändrade oss." in response.get_data(as_text=True)
    assert snapshot(app, dialogue) == before

    assert set_topic(organiser_client, dialogue, meeting, other).status_code == 302
    assert give_feedback(organiser_client, dialogue, topic, "not_taken_up", "Vi ändrade oss.").status_code == 302


def test_a_topic_that_is_no_longer_taken_up_is_not_shown_on_the_meetings_page(client, app, dialogue, clock,
                                                                              organiser_client):
    main, _ = make_proposal(app, dialogue, "Ungas väg till arbete")
    similar, similar_token = make_proposal(app, dialogue, "Praktik för unga", email="ung@example.org")
    give_feedback(organiser_client, dialogue, main, "not_taken_up", "Tas upp bara tillsammans med ett annat.")
    give_feedback(organiser_client, dialogue, similar, "merged", "Samma fråga.", merged_into=main)
    meeting = meeting_id(app)
    assert set_topic(organiser_client, dialogue, meeting, main).status_code == 302  # others are merged into it

    # the organisers' own change that would leave the meeting without its topic is refused ...
    refused = give_feedback(organiser_client, dialogue, similar, "taken_up", "Egen punkt.")
    assert error_text(refused, f"feedback-{similar}-outcome").startswith(
        "Med det här svaret kan ”Ungas väg till arbete” inte längre vara ämne för Sakråd om unga.")
    # ... the proposer's withdrawal is not theirs to refuse: the page stops showing the topic instead
    assert withdraw_through_link(client, similar_token).status_code == 302
    assert post_form(organiser_client, f"/manage/processes/{dialogue}/proposals/publication/now",
                     {}).status_code == 302

    assert "Ungas väg till arbete" not in text_of(client.get("/events/sakrad-2031/"))
    assert "Fördjupar" not in text_of(client.get(f"/processes/{SLUG}"))


# ---------------------------------------------------------------- bad input, CSRF and roles

def test_bad_input_on_the_proposal_form_is_explained_beside_the_field_and_kept(client, app, dialogue, clock):
    response = send_proposal(client, title="", email="inte-en-adress", consent="")
    assert response.status_code == 422
    assert error_text(response, "title") == "Det här fältet är obligatoriskt."
    assert "Använd en adress där delen före @ bara har bokstäverna a–z." in error_text(response, "email")
    assert error_text(response, "consent") == "Du behöver godkänna för att skicka förslaget."
    html = response.get_data(as_text=True)
    assert 'value="Sara Svensson"' in html and 'value="Föreningen Framtid"' in html
    assert "Vi vill diskutera praktikplatser." in html
    assert count(app) == 0 and count(app, OutboxMessage) == 0


def test_a_bot_filling_the_hidden_field_is_told_all_went_well_and_nothing_is_stored(client, app, dialogue, clock):
    response = send_proposal(client, website="https://spam.example")
    assert response.status_code == 302
    assert count(app) == 0 and count(app, OutboxMessage) == 0


@pytest.mark.parametrize("form, data, field_id, message, kept", [
    ("feedback", {"outcome": "not_taken_up", "merged_into_id": "0", "feedback": ""},
     "feedback-{p}-feedback", "Skriv skälet: förslagsställaren och allmänheten läser det.",
     '<option selected value="not_taken_up">'),
    ("feedback", {"outcome": "", "merged_into_id": "0", "feedback": "Ett skäl som ska finnas kvar."},
     "feedback-{p}-outcome", "Välj utfall.", "Ett skäl som ska finnas kvar."),
    ("publish", {"publish_at": "2031-03-30T02:30"}, "publish-publish_at",
     "Den här tiden finns inte: klockan ställs fram en timme den natten.", 'value="2031-03-30T02:30"'),
    ("publish", {"publish_at": "i morgon"}, "publish-publish_at", "Ange datum och tid.", 'value="i morgon"'),
    ("topic", {"topic_id": "999999"}, "topic-{m}-topic_id",
     "Välj ett förslag som togs upp, eller ett som andra slogs samman med.", None),
])
def test_bad_input_on_the_organiser_forms_is_explained_beside_the_field_and_changes_nothing(
        app, dialogue, clock, organiser_client, form, data, field_id, message, kept):
    proposal_id, _ = make_proposal(app, dialogue, "Ungas väg till arbete")
    give_feedback(organiser_client, dialogue, proposal_id, "taken_up", "Ett viktigt ämne.")
    with app.app_context():
        meeting = db.session.scalar(select(Event.id).where(Event.slug == "sakrad-2031"))
    url, prefix = {
        "feedback": (f"/manage/processes/{dialogue}/proposals/{proposal_id}/feedback", f"feedback-{proposal_id}"),
        "publish": (f"/manage/processes/{dialogue}/proposals/publication", "publish"),
        "topic": (f"/manage/processes/{dialogue}/meetings/{meeting}/topic", f"topic-{meeting}"),
    }[form]
    before = snapshot(app, dialogue)
    response = post_form(organiser_client, url, {f"{prefix}-{name}": value for name, value in data.items()})
    assert response.status_code == 422
    assert error_text(response, field_id.format(p=proposal_id, m=meeting)) == message
    if kept:
        assert kept in response.get_data(as_text=True)
    assert snapshot(app, dialogue) == before


def test_a_post_without_the_csrf_token_is_refused(client, app, dialogue, clock, organiser_client):
    proposal_id, token = make_proposal(app, dialogue, "Ungas väg till arbete", confirmed=False)
    confirmed_id, confirmed_token = make_proposal(app, dialogue, "Bekräftat förslag")
    before = snapshot(app, dialogue)
    assert client.post(f"/processes/{SLUG}/proposals/new", data=FORM).status_code == 400
    assert client.post(f"/processes/proposals/{token}/confirm").status_code == 400
    assert client.post(f"/processes/proposals/{token}/withdraw").status_code == 400
    assert organiser_client.post(f"/manage/processes/{dialogue}/proposals/{confirmed_id}/new-link").status_code == 400
    assert organiser_client.post(f"/manage/processes/{dialogue}/proposals/publication/now").status_code == 400
    assert organiser_client.post(f"/manage/processes/{dialogue}/proposals/publication",
                                 data={"publish-publish_at": "2031-04-01T09:00"}).status_code == 400
    assert snapshot(app, dialogue) == before
    assert count(app) == 2
    assert client.get(f"/processes/proposals/{confirmed_token}").status_code == 200  # the link was not replaced


@pytest.mark.parametrize("method, path", [
    ("get", "/manage/processes/{d}/proposals"),
    ("get", "/manage/processes/{d}/proposals.csv"),
    ("post", "/manage/processes/{d}/proposals/{p}/feedback"),
    ("post", "/manage/processes/{d}/proposals/publication"),
    ("post", "/manage/processes/{d}/proposals/publication/now"),
    ("post", "/manage/processes/{d}/proposals/publication/cancel"),
    ("post", "/manage/processes/{d}/meetings/{m}/topic"),
    ("post", "/manage/processes/{d}/proposals/{p}/new-link"),
])
def test_an_organiser_of_single_events_gets_403_on_the_proposal_pages(app, dialogue, clock, method, path):
    proposal_id, _ = make_proposal(app, dialogue, "Ungas väg till arbete")
    with app.app_context():
        meeting = db.session.get(Event, db.session.scalar(select(Event.id).where(Event.slug == "sakrad-2031")))
        f.user("one@example.org", organiser_of=[meeting])
        db.session.commit()
        meeting_id = meeting.id
    client = app.test_client()
    log_in(client, "one@example.org")
    before = snapshot(app, dialogue)
    url = path.format(d=dialogue, p=proposal_id, m=meeting_id)
    if method == "get":
        response = client.get(url)
    else:
        response = post_form(client, url, {f"feedback-{proposal_id}-outcome": "taken_up",
                                           "publish-publish_at": "2031-04-01T09:00"})
    assert response.status_code == 403
    assert snapshot(app, dialogue) == before


# ---------------------------------------------------------------- the export

def test_the_export_lists_confirmed_proposals_with_feedback_and_neutralises_formulas(
        app, dialogue, clock, organiser_client):
    proposal_id, _ = make_proposal(app, dialogue, "=HYPERLINK(\"http://evil\")", organisation="+Förening")
    make_proposal(app, dialogue, "Obekräftat", confirmed=False)
    give_feedback(organiser_client, dialogue, proposal_id, "not_taken_up", "-Inget för oss.")
    response = organiser_client.get(f"/manage/processes/{dialogue}/proposals.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Titel", "Beskrivning", "Organisation"]
    assert len(rows) == 2
    assert rows[1][0] == "'=HYPERLINK(\"http://evil\")" and rows[1][2] == "'+Förening"
    assert rows[1][7:] == ["Tas inte upp", "'-Inget för oss."]
