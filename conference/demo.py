"""Demo data that explains the product at first sight. Invented people, example.org addresses."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from conference.consultation.comments.models import FeedbackAudience, FeedbackWindow, WrittenComment
from conference.consultation.groups.models import InvitedGroup
from conference.consultation.processes.models import NewsItem, Phase, PhaseKind, Process, ProcessMeeting
from conference.consultation.proposals import links as proposal_links
from conference.consultation.proposals.models import AgendaProposal, MeetingTopic, ProposalOutcome
from conference.core import tokens
from conference.core.models import User
from conference.core.timeutil import utcnow
from conference.events.models import (Appointment, Event, EventFormat, EventKind, EventOrganisation, EventSeries,
                                      Organisation, OrganisationKind, OrganiserRole, Person, RegistrationPolicy,
                                      Session, SessionKind, SessionSpeaker, SpeakerRole, Stage)
from conference.extensions import db
from conference.press import services as press
from conference.press.models import StreamAudience, StreamSettings
from conference.registration import invitations, services

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEMO_LOGIN = ("demo@example.org", "demo-organiser")


def at(day: date, hh_mm: str) -> datetime:
    hours, minutes = map(int, hh_mm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=STOCKHOLM)


def organisation(slug, name, short, kind, number=None, website=""):
    org = Organisation(slug=slug, name=name, short_name=short, kind=kind, registry_number=number,
                       country="SE" if number else None, website=website)
    db.session.add(org)
    return org


def person(name, bio, *appointments):
    p = Person(name=name, bio=bio)
    for title, org, valid_from, valid_to in appointments:
        p.appointments.append(Appointment(title=title, organisation=org, valid_from=valid_from, valid_to=valid_to))
    db.session.add(p)
    return p


def session(event, stage, title, start, end, kind=SessionKind.TALK, abstract="", speakers=()):
    s = Session(stage=stage, title=title, kind=kind, abstract=abstract,
                starts_at=at(event_day(event), start), ends_at=at(event_day(event), end))
    event.sessions.append(s)
    for position, (who, role) in enumerate(speakers):
        s.speaker_links.append(SessionSpeaker(person=who, role=role, position=position))
    return s


def event_day(event) -> date:
    return event.starts_at.astimezone(STOCKHOLM).date()


def link(event, org, role, position):
    event.organisation_links.append(EventOrganisation(organisation=org, role=role, position=position))


def load(today: date | None = None) -> str:
    today = today or utcnow().astimezone(STOCKHOLM).date()
    orgs = _organisations()
    people = _people(orgs)

    series = EventSeries(slug="integrationsforum", name="Integrationsforum",
                         description="Länsstyrelsens årliga konferens om migration och integration, sedan 2013.")
    db.session.add(series)
    _integrationsforum_2020(series, orgs, people)
    coming_forum = _coming_integrationsforum(series, orgs, people, today)
    workshop = _municipal_workshop(orgs, people, today)
    consultation = _consultation_cycle(orgs, people, today)
    _demo_user()
    db.session.flush()
    registered = _demo_registrations(coming_forum, orgs, today)
    _demo_press_requests(coming_forum, today)
    invited = _demo_invitations(workshop)
    _demo_process(consultation, orgs, today)
    db.session.flush()
    events = db.session.scalar(select(func.count(Event.id)))
    return (f"Loaded {events} events, {len(orgs)} organisations, {len(people)} people, "
            f"{registered} registrations and {invited} invitations.\n"
            f"Log in at /login as {DEMO_LOGIN[0]} with the password {DEMO_LOGIN[1]}")


def _organisations() -> dict[str, Organisation]:
    return {
        "lst": organisation("lansstyrelsen-vastra-gotaland", "Länsstyrelsen i Västra Götalands län",
                            "Länsstyrelsen", OrganisationKind.AUTHORITY, "202100-2064",
                            "https://www.lansstyrelsen.se/vastra-gotaland"),
        "af": organisation("arbetsformedlingen", "Arbetsförmedlingen", "AF", OrganisationKind.AUTHORITY,
                           "202100-2114", "https://arbetsformedlingen.se"),
        "mv": organisation("migrationsverket", "Migrationsverket", "MIGR", OrganisationKind.AUTHORITY,
                           "202100-2163", "https://www.migrationsverket.se"),
        "vgr": organisation("vastra-gotalandsregionen", "Västra Götalandsregionen", "VGR",
                            OrganisationKind.REGION, "232100-0131", "https://www.vgregion.se"),
        "sk": organisation("statskontoret", "Statskontoret", "", OrganisationKind.AUTHORITY,
                           website="https://www.statskontoret.se"),
        "sr": organisation("sveriges-radio", "Sveriges Radio", "SR", OrganisationKind.MEDIA,
                           website="https://sverigesradio.se"),
        "ministry": organisation("arbetsmarknadsdepartementet", "Arbetsmarknadsdepartementet", "",
                                 OrganisationKind.AUTHORITY, website="https://www.regeringen.se"),
        "ngo": organisation("foreningen-nya-grannar", "Föreningen Nya grannar", "", OrganisationKind.NGO),
        "skr": organisation("kommunforbundet-vast", "Kommunförbundet Väst", "", OrganisationKind.MUNICIPALITY),
    }


def _people(orgs) -> dict[str, Person]:
    return {
        "correspondent": person("Karin Ekholm", "Bevakar migrations- och flyktingfrågor.",
                                ("Utrikeskorrespondent", orgs["sr"], date(2015, 1, 1), None)),
        "analyst": person("Jonas Lindqvist", "",
                          ("Utredare", orgs["sk"], date(2017, 3, 1), date(2022, 8, 31)),
                          ("Enhetschef", orgs["sk"], date(2022, 9, 1), None)),
        "analyst2": person("Amira Haddad", "",
                           ("Utredare", orgs["sk"], date(2019, 1, 1), None)),
        "moderator": person("Eva Sundberg", "",
                            ("Integrationsstrateg", orgs["lst"], date(2012, 5, 1), None)),
        "af_rep": person("Mikael Öberg", "",
                         ("Sektionschef", orgs["af"], date(2018, 1, 1), None)),
        "mv_rep": person("Sara Nieminen", "",
                         ("Regionchef", orgs["mv"], date(2016, 9, 1), None)),
        # a minister who has since changed portfolio: the title depends on the date
        "minister": person("Anders Holm", "",
                           ("Migrationsminister", orgs["ministry"], date(2019, 1, 21), date(2021, 11, 29)),
                           ("Statsråd med ansvar för integration", orgs["ministry"], date(2021, 11, 30), None)),
        "state_secretary": person("Lena Virtanen", "",
                                  ("Statssekreterare", orgs["ministry"], date(2020, 2, 1), None)),
    }


def _integrationsforum_2020(series, orgs, people) -> Event:
    day = date(2020, 11, 26)
    event = Event(
        slug="integrationsforum-2020", series=series, title="Integrationsforum 2020",
        summary=("Hur har migrationen påverkats av pandemin? Årets digitala konferens tar också upp "
                 "bostadsförsörjning för nyanlända och hur deras kompetens kan tas till vara."),
        kind=EventKind.CONFERENCE, format=EventFormat.DIGITAL, timezone="Europe/Stockholm",
        starts_at=at(day, "09:00"), ends_at=at(day, "15:30"),
        audience="Politiker och de som arbetar med eller är aktiva inom migration och integration.",
        contact_name="Pressansvarig, Länsstyrelsen", contact_email="press@example.org",
        registration_policy=RegistrationPolicy.CLOSED, published=True)
    db.session.add(event)
    for position, (org, role) in enumerate([(orgs["lst"], OrganiserRole.HOST),
                                            (orgs["af"], OrganiserRole.CO_ORGANISER),
                                            (orgs["mv"], OrganiserRole.CO_ORGANISER),
                                            (orgs["vgr"], OrganiserRole.CO_ORGANISER)]):
        link(event, org, role, position)
    stage = Stage(event=event, name="Sändning", position=0)
    event.stages.append(stage)
    session(event, stage, "Välkommen till Integrationsforum", "09:00", "09:15",
            speakers=[(people["moderator"], SpeakerRole.MODERATOR)])
    session(event, stage, "Global migration i coronatider", "09:15", "10:00",
            abstract="Nära 80 miljoner människor var på flykt i världen i slutet av 2019.",
            speakers=[(people["correspondent"], SpeakerRole.SPEAKER)])
    session(event, stage, "Paus", "10:00", "10:15", kind=SessionKind.BREAK)
    session(event, stage, "Aktiv medverkan till bosättning i annan kommun", "10:15", "11:00",
            abstract="Statskontoret presenterar sin kartläggning av bosättningen av nyanlända.",
            speakers=[(people["analyst"], SpeakerRole.SPEAKER), (people["analyst2"], SpeakerRole.SPEAKER)])
    session(event, stage, "Nyanländas kompetens: hur tar vi vara på den?", "11:00", "12:00",
            kind=SessionKind.PANEL,
            speakers=[(people["moderator"], SpeakerRole.MODERATOR), (people["af_rep"], SpeakerRole.SPEAKER),
                      (people["mv_rep"], SpeakerRole.SPEAKER)])
    session(event, stage, "Lunch", "12:00", "13:00", kind=SessionKind.BREAK)
    session(event, stage, "Migrationspolitiken framåt", "13:00", "14:00",
            speakers=[(people["minister"], SpeakerRole.SPEAKER)])
    session(event, stage, "Samtal i grupper: bosättning och mottagande", "14:00", "15:15",
            kind=SessionKind.GROUP_DISCUSSION)
    session(event, stage, "Avslutning", "15:15", "15:30",
            speakers=[(people["moderator"], SpeakerRole.MODERATOR)])
    return event


def _coming_integrationsforum(series, orgs, people, today) -> Event:
    day = today + timedelta(weeks=4)
    event = Event(
        slug=f"integrationsforum-{day.year}", series=series, title=f"Integrationsforum {day.year}",
        summary="Årets Integrationsforum sänds digitalt och hålls på plats i Göteborg.",
        kind=EventKind.CONFERENCE, format=EventFormat.HYBRID, timezone="Europe/Stockholm",
        starts_at=at(day, "09:00"), ends_at=at(day, "16:00"), venue="Stora salen, Exempelgatan 1, Göteborg",
        audience="Politiker och de som arbetar med eller är aktiva inom migration och integration.",
        contact_name="Pressansvarig, Länsstyrelsen", contact_email="press@example.org",
        registration_policy=RegistrationPolicy.OPEN, capacity=300,
        registration_opens_at=datetime.combine(today - timedelta(days=7), time(8), tzinfo=STOCKHOLM),
        registration_closes_at=datetime.combine(day - timedelta(days=2), time(23, 59), tzinfo=STOCKHOLM),
        published=True)
    db.session.add(event)
    for position, (org, role) in enumerate([(orgs["lst"], OrganiserRole.HOST),
                                            (orgs["af"], OrganiserRole.CO_ORGANISER),
                                            (orgs["mv"], OrganiserRole.CO_ORGANISER),
                                            (orgs["vgr"], OrganiserRole.PARTNER)]):
        link(event, org, role, position)
    hall = Stage(event=event, name="Stora salen", position=0)
    room = Stage(event=event, name="Sal B", position=1)
    event.stages.extend([hall, room])
    session(event, hall, "Välkommen", "09:00", "09:20", speakers=[(people["moderator"], SpeakerRole.MODERATOR)])
    session(event, hall, "Integrationspolitiken i dag", "09:20", "10:10",
            speakers=[(people["minister"], SpeakerRole.SPEAKER)])
    session(event, hall, "Bosättning: vad har hänt sedan kartläggningen?", "10:30", "11:30",
            speakers=[(people["analyst"], SpeakerRole.SPEAKER)])
    session(event, room, "Arbetsmarknaden för nyanlända", "10:30", "11:30", kind=SessionKind.PANEL,
            speakers=[(people["af_rep"], SpeakerRole.SPEAKER), (people["mv_rep"], SpeakerRole.SPEAKER),
                      (people["moderator"], SpeakerRole.MODERATOR)])
    session(event, hall, "Lunch", "11:30", "12:30", kind=SessionKind.BREAK)
    session(event, hall, "Migration och omvärld", "12:30", "13:30",
            speakers=[(people["correspondent"], SpeakerRole.SPEAKER)])
    session(event, room, "Samtal i grupper", "13:45", "15:30", kind=SessionKind.GROUP_DISCUSSION)
    db.session.flush()
    db.session.add(StreamSettings(event_id=event.id, audience=StreamAudience.PRESS_AND_REGISTRANTS,
                                  press_contact_email="press@example.org"))
    return event


def _municipal_workshop(orgs, people, today) -> Event:
    day = today + timedelta(weeks=6)
    event = Event(
        slug=f"workshop-kommuner-{day.year}", title="Workshop för kommuner: mottagande av nyanlända",
        summary="En workshop för kommunernas handläggare. Deltagarna bjuds in särskilt.",
        kind=EventKind.WORKSHOP, format=EventFormat.ON_SITE, timezone="Europe/Stockholm",
        starts_at=at(day, "13:00"), ends_at=at(day, "16:00"), venue="Länsstyrelsen, Exempelvägen 2, Göteborg",
        audience="Kommunala handläggare inom mottagande och etablering.",
        contact_name="Eva Sundberg", contact_email="workshop@example.org",
        registration_policy=RegistrationPolicy.INVITATION_ONLY, capacity=40, published=True)
    db.session.add(event)
    link(event, orgs["lst"], OrganiserRole.HOST, 0)
    link(event, orgs["skr"], OrganiserRole.PARTNER, 1)
    session(event, None, "Inledning och erfarenheter", "13:00", "13:45",
            speakers=[(people["moderator"], SpeakerRole.MODERATOR)])
    session(event, None, "Gruppsamtal", "13:45", "15:30", kind=SessionKind.GROUP_DISCUSSION)
    session(event, None, "Sammanfattning", "15:30", "16:00")
    return event


def _consultation_cycle(orgs, people, today) -> list[Event]:
    samrad_day = today + timedelta(weeks=8)
    samrad = Event(
        slug=f"samrad-civilsamhallet-{samrad_day.year}", title="Samråd med civilsamhället om integration",
        summary=("Det årliga samrådet mellan regeringen och det civila samhällets organisationer. "
                 "Dagordningen bygger på organisationernas förslag."),
        kind=EventKind.CONSULTATION, format=EventFormat.HYBRID, timezone="Europe/Stockholm",
        starts_at=at(samrad_day, "10:00"), ends_at=at(samrad_day, "13:00"),
        venue="Rosenbad, Stockholm", audience="Det civila samhällets organisationer.",
        contact_name="Samordnare", contact_email="samrad@example.org",
        registration_policy=RegistrationPolicy.INVITATION_ONLY, capacity=60, published=True)
    db.session.add(samrad)
    link(samrad, orgs["ministry"], OrganiserRole.HOST, 0)
    samrad_stage = Stage(event=samrad, name="Plenum", position=0)
    samrad.stages.append(samrad_stage)
    session(samrad, samrad_stage, "Inledning", "10:00", "10:20", speakers=[(people["minister"], SpeakerRole.SPEAKER)])
    session(samrad, samrad_stage, "Gruppsamtal om fyra teman", "10:20", "12:00", kind=SessionKind.GROUP_DISCUSSION)
    session(samrad, samrad_stage, "Återrapportering och avslutning", "12:00", "13:00",
            speakers=[(people["minister"], SpeakerRole.SPEAKER), (people["state_secretary"], SpeakerRole.MODERATOR)])
    events = [samrad]
    for number, (weeks, topic) in enumerate([(14, "Etablering på arbetsmarknaden"),
                                             (20, "Föreningslivets roll i mottagandet")], start=1):
        day = today + timedelta(weeks=weeks)
        sakrad = Event(
            slug=f"sakrad-{number}-{day.year}", title=f"Sakråd {number}: {topic}",
            summary=f"Fördjupning av en fråga från samrådet: {topic.lower()}.",
            kind=EventKind.FOLLOW_UP_DIALOGUE, format=EventFormat.DIGITAL, timezone="Europe/Stockholm",
            starts_at=at(day, "14:00"), ends_at=at(day, "16:00"),
            audience="Organisationer som deltog i samrådet.", contact_name="Samordnare",
            contact_email="samrad@example.org", registration_policy=RegistrationPolicy.INVITATION_ONLY,
            capacity=30, published=True)
        db.session.add(sakrad)
        link(sakrad, orgs["ministry"], OrganiserRole.HOST, 0)
        link(sakrad, orgs["ngo"], OrganiserRole.PARTNER, 1)
        session(sakrad, None, topic, "14:00", "16:00", kind=SessionKind.GROUP_DISCUSSION,
                speakers=[(people["state_secretary"], SpeakerRole.MODERATOR)])
        events.append(sakrad)
    return events


def _demo_user() -> None:
    email, password = DEMO_LOGIN
    if db.session.scalar(select(User).where(User.email == email)):
        return
    user = User(email=email, name="Demo-arrangör", is_admin=True)
    user.set_password(password)
    db.session.add(user)


DEMO_FIRST_NAMES = ["Anna", "Erik", "Maria", "Johan", "Fatima", "Lars", "Sara", "Ahmed", "Karin", "Mikko",
                    "Elin", "Omar", "Lena", "Per", "Aino", "Hassan", "Ida", "Nils", "Leila", "Jonas"]
DEMO_LAST_NAMES = ["Lund", "Berg", "Holm", "Nyberg", "Ali", "Virtanen", "Sjöberg", "Khalil", "Ek", "Strand"]


def _demo_registrations(event: Event, orgs, today: date) -> int:
    """Registrations spread over the past week, so the lists and charts have something to show."""
    kinds = [OrganisationKind.MUNICIPALITY, OrganisationKind.AUTHORITY, OrganisationKind.NGO,
             OrganisationKind.REGION, OrganisationKind.RESEARCH]
    known = [orgs["af"], orgs["mv"], orgs["vgr"], orgs["ngo"], None]
    start = datetime.combine(today - timedelta(days=7), time(8), tzinfo=STOCKHOLM)
    count = 36
    for n in range(count):
        name = f"{DEMO_FIRST_NAMES[n % len(DEMO_FIRST_NAMES)]} {DEMO_LAST_NAMES[n % len(DEMO_LAST_NAMES)]}"
        organisation = known[n % len(known)]
        applicant = services.Applicant(
            name=name, email=f"deltagare{n + 1}@example.org", organisation=organisation,
            organisation_name="" if organisation else f"Exempelkommun {n % 7 + 1}",
            organisation_kind=None if organisation else kinds[n % len(kinds)],
            stakeholder_group=["Tjänsteperson", "Politiker", "Civilsamhälle", "Forskare"][n % 4],
            accessibility_needs="Teckenspråkstolk" if n % 12 == 5 else None)
        registration, _ = services.register(event, applicant, now=start + timedelta(hours=4.5 * n),
                                            consent_version="demo", email_confirmed=n < count - 2,
                                            check_window=False)
        if n % 15 == 14:
            services.cancel(registration, start + timedelta(hours=4.5 * n + 20), by="self")
    return count


def _demo_invitations(event: Event) -> int:

    people = [("Kerstin Åberg", "Exempelkommun 1"), ("Ali Rahimi", "Exempelkommun 2"),
              ("Tiina Salo", "Exempelkommun 3"), ("Gustav Ek", "Exempelkommun 4")]
    for n, (name, organisation) in enumerate(people, start=1):
        invitations.invite(event, name=name, email=f"inbjuden{n}@example.org", organisation_name=organisation,
                           stakeholder_group="Kommuner")
    return len(people)


def _demo_press_requests(event: Event, today: date) -> None:

    asked = datetime.combine(today - timedelta(days=1), time(10), tzinfo=STOCKHOLM)
    for name, outlet, email in [("Johanna Press", "Göteborgs Tidning", "redaktion@example.org"),
                                ("Pekka Toimittaja", "Uutiset Väst", "uutiset@example.org")]:
        press.request_access(event, press.PressApplicant(name=name, outlet=outlet, email=email,
                                                         note="Presskort finns"),
                             now=asked, consent_version="demo")


def _demo_process(meetings: list[Event], orgs, today: date) -> None:
    """The yearly dialogue with civil society as a process page: phases, its meetings, news."""
    last_year = _demo_last_cycle(orgs, today)
    process = Process(slug=f"dialog-civilsamhallet-{meetings[0].starts_at.year}", previous_id=last_year.id,
                      title="Dialog med civilsamhället om integration", published=True,
                      summary=("Regeringens årliga dialog med det civila samhällets organisationer om integration.\n\n"
                               "Organisationerna föreslår dagordningen, departementet återkopplar på förslagen, och "
                               "samrådet följs av två sakråd som fördjupar var sin fråga."))
    db.session.add(process)
    db.session.flush()
    first = meetings[0].starts_at.astimezone(STOCKHOLM).date()
    db.session.add_all([
        Phase(process_id=process.id, kind=PhaseKind.AGENDA_PROPOSALS, title="Förslag till dagordning",
              starts_on=today - timedelta(days=7), ends_on=first - timedelta(days=21)),
        Phase(process_id=process.id, kind=PhaseKind.CONSULTATION_MEETING, title="Samråd", starts_on=first),
        Phase(process_id=process.id, kind=PhaseKind.FOLLOW_UP_DIALOGUE, title="Två sakråd",
              starts_on=meetings[1].starts_at.astimezone(STOCKHOLM).date(),
              ends_on=meetings[2].starts_at.astimezone(STOCKHOLM).date()),
        NewsItem(process_id=process.id, title="Nu kan organisationerna föreslå dagordningen",
                 body="Förslag tas emot fram till tre veckor före samrådet.",
                 published_at=datetime.combine(today - timedelta(days=7), time(9), tzinfo=STOCKHOLM)),
    ])
    for meeting in meetings:
        meeting.process_meeting = ProcessMeeting(process=process)
        meeting.invited_groups = [InvitedGroup(name=orgs["ngo"].name, organisation_id=orgs["ngo"].id),
                                  InvitedGroup(name="Det civila samhällets organisationer inom integration")]
    samrad = meetings[0]
    samrad.feedback_window = FeedbackWindow(
        closes_at=samrad.ends_at + timedelta(days=14), audience=FeedbackAudience.PARTICIPANTS,
        instructions="Vad vill ni att departementet tar med sig från samrådet? Skicka gärna ett inspel.")


def _demo_last_cycle(orgs, today: date):
    """Last year's cycle, finished: answered proposals, a samråd with a published summary, a sakråd."""
    samrad_day = today - timedelta(weeks=44)
    process = Process(slug=f"dialog-civilsamhallet-{samrad_day.year}-forra", published=True,
                      title="Dialog med civilsamhället om integration, förra omgången",
                      summary="Förra årets dialog: förslagen, återkopplingen och sammanfattningarna.",
                      topics="Etablering på arbetsmarknaden\nSvenska för föräldralediga",
                      feedback_publish_at=at(samrad_day - timedelta(days=14), "09:00"),
                      feedback_mailed_at=at(samrad_day - timedelta(days=14), "09:00"))
    db.session.add(process)
    db.session.flush()
    db.session.add_all([
        Phase(process_id=process.id, kind=PhaseKind.AGENDA_PROPOSALS, title="Förslag till dagordning",
              starts_on=samrad_day - timedelta(days=60), ends_on=samrad_day - timedelta(days=21)),
        Phase(process_id=process.id, kind=PhaseKind.CONSULTATION_MEETING, title="Samråd", starts_on=samrad_day),
    ])
    proposed = {}
    for key, organisation, title, description, outcome, feedback in [
        ("work", orgs["ngo"], "Vägar till första jobbet",
         "Hur kan föreningar och arbetsgivare tillsammans korta tiden till ett första jobb?",
         ProposalOutcome.TAKEN_UP, "Tas upp vid samrådet och fördjupas i ett sakråd."),
        ("mentors", None, "Mentorskap för nyanlända",
         "Mentorprogram som kopplar ihop nyanlända med yrkesverksamma.",
         ProposalOutcome.MERGED, "Ingår i frågan om vägar till första jobbet."),
        ("housing", None, "Bostadsbyggande i glesbygd",
         "Fler hyresrätter på mindre orter.",
         ProposalOutcome.NOT_TAKEN_UP, "Frågan ligger utanför samrådets ram; den hör till bostadspolitiken."),
    ]:
        nonce = tokens.new_nonce()
        proposal = AgendaProposal(
            process_id=process.id, title=title, description=description,
            organisation_id=organisation.id if organisation else None,
            organisation_name=organisation.name if organisation else "Nätverket Språkvänner",
            proposer_name="Exempel Exempelsson", email=f"forslag-{key}@example.org",
            email_normalised=f"forslag-{key}@example.org", nonce=nonce,
            token_hash=tokens.hash_token(tokens.link_token(proposal_links.LINK_PURPOSE, nonce)), consent_version="demo",
            created_at=at(samrad_day - timedelta(days=40), "10:00"),
            confirmed_at=at(samrad_day - timedelta(days=40), "10:05"), outcome=outcome, feedback=feedback,
            feedback_at=at(samrad_day - timedelta(days=20), "15:00"))
        db.session.add(proposal)
        db.session.flush()
        proposed[key] = proposal
    proposed["mentors"].merged_into_id = proposed["work"].id

    samrad = Event(
        slug=f"samrad-civilsamhallet-{samrad_day.year}-forra", title="Samråd med civilsamhället, förra omgången",
        summary="Förra årets samråd.", kind=EventKind.CONSULTATION, format=EventFormat.DIGITAL,
        timezone="Europe/Stockholm", starts_at=at(samrad_day, "10:00"), ends_at=at(samrad_day, "12:00"),
        contact_name="Samordnare", contact_email="samrad@example.org",
        registration_policy=RegistrationPolicy.INVITATION_ONLY, capacity=60, published=True)
    samrad.process_meeting = ProcessMeeting(process=process)
    samrad.invited_groups = [InvitedGroup(name="Det civila samhällets organisationer inom integration")]
    window = FeedbackWindow(closes_at=at(samrad_day + timedelta(days=14), "23:59"),
                            audience=FeedbackAudience.ANYONE,
                            instructions="Skicka gärna synpunkter på samrådets frågor.",
                            summary=("Tolv organisationer skickade synpunkter. De flesta lyfte behovet av fler "
                                     "praktikplatser och av språkstöd på arbetsplatsen.\n\n"
                                     "Departementet tar med synpunkterna i arbetet med nästa års satsningar."),
                            summary_published_at=at(samrad_day + timedelta(days=30), "09:00"))
    window.comments.append(WrittenComment(
        name="Exempel Exempelsson", email="synpunkt@example.org", email_normalised="synpunkt@example.org",
        organisation_name=orgs["ngo"].name, body="Fler praktikplatser inom offentlig sektor, tack.",
        created_at=at(samrad_day + timedelta(days=3), "14:00")))
    samrad.feedback_window = window
    sakrad_day = samrad_day + timedelta(weeks=6)
    sakrad = Event(
        slug=f"sakrad-civilsamhallet-{sakrad_day.year}-forra", title="Sakråd: vägar till första jobbet",
        summary="Fördjupning av en fråga från samrådet.", kind=EventKind.FOLLOW_UP_DIALOGUE,
        format=EventFormat.DIGITAL, timezone="Europe/Stockholm", starts_at=at(sakrad_day, "14:00"),
        ends_at=at(sakrad_day, "16:00"), contact_name="Samordnare", contact_email="samrad@example.org",
        registration_policy=RegistrationPolicy.INVITATION_ONLY, capacity=30, published=True)
    sakrad.process_meeting = ProcessMeeting(process=process)
    sakrad.process_meeting.topic = MeetingTopic(proposal=proposed["work"])
    db.session.add_all([samrad, sakrad])
    link(samrad, orgs["ministry"], OrganiserRole.HOST, 0)
    link(sakrad, orgs["ministry"], OrganiserRole.HOST, 0)
    return process
