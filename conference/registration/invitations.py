"""Invitations to invitation-only events: one by one or from a CSV file, answered from a personal link.

One invitation is mailed at once. The mail of a file's invitees is written by the worker (`mail_next`,
run by `registration.jobs.send_invitations`); each invitation records when its mail was queued.
"""

import csv
import io
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from conference.calendars import itip
from conference.core import audit, tokens
from conference.core.addresses import normalise_email
from conference.core.errors import Refusal
from conference.core.timeutil import utcnow
from conference.events.meetings import follows_rule, meetings_of
from conference.events.models import Event, EventSeries
from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.compose import CalendarPart, external_url
from conference.registration import services
from conference.registration.models import Invitation, InvitationState, SeriesInvitee

INVITE = "invitation"
COLUMN_LIMITS = {"name": 200, "email": 254, "organisation": 200, "group": 100}
MAX_ROWS = 5000
COLUMNS = {
    "name": ("name", "namn", "nimi"),
    "email": ("email", "e-mail", "e-post", "epost", "sähköposti"),
    "organisation": ("organisation", "organization", "organisaatio"),
    "group": ("group", "grupp", "ryhmä", "stakeholder group", "intressentgrupp"),
}


class RowProblem(Refusal):
    """One bad row of an uploaded file: `line` is its line in the file, `value` what it held."""

    messages = {
        "missing_name": lambda p: _l("Row %(line)s: the name is missing.", line=p.line),
        "invalid_email": lambda p: _l("Row %(line)s: “%(value)s” is not an e-mail address.", line=p.line,
                                      value=p.value),
        "duplicate_in_file": lambda p: _l("Row %(line)s: %(value)s is in the file twice.", line=p.line,
                                          value=p.value),
        "too_long": lambda p: _l("Row %(line)s: a value is too long.", line=p.line),
    }

    def __init__(self, line: int, code: str, value: str = ""):
        super().__init__(code)
        self.line = line
        self.value = value


class UploadRefused(Refusal):
    """The file cannot be read as a list of invitees; `code` says why, `problems` lists the bad rows."""

    messages = {
        "not_utf8": _l("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."),
        "empty": _l("The file has no invitees."),
        "missing_columns": _l("The first row must name the columns, with at least name and email."),
        "too_many_rows": _l("The file has too many rows: at most 5,000 at a time."),
        "unreadable": _l("The file cannot be read as CSV. Save it as “CSV UTF-8” and try again."),
        "bad_rows": _l("Nobody was invited: correct the rows below and upload the file again."),
    }

    def __init__(self, code: str, problems: list[RowProblem] | None = None):
        super().__init__(code, field="file")
        self.problems = problems or []


def token_of(invitation: Invitation) -> str:
    return tokens.link_token(INVITE, invitation.nonce)


def by_token(token: str) -> Invitation | None:
    return tokens.by_token(Invitation, Invitation.token_hash, token)


def existing_emails(event: Event) -> set[str]:
    return set(db.session.scalars(select(Invitation.email_normalised).where(Invitation.event_id == event.id)))


def invite(event: Event, *, name: str, email: str, organisation_name: str = "", stakeholder_group: str = "",
           language: str = "sv", user_id: int | None = None, batch: str | None = None,
           now: datetime | None = None) -> Invitation:
    """Invite one person and queue the mail; an address already invited raises."""
    if normalise_email(email) in existing_emails(event):
        raise services.RegistrationError("already_invited")
    now = now or utcnow()
    invitation = new_invitation(event, name=name, email=email, organisation_name=organisation_name,
                                stakeholder_group=stakeholder_group, language=language, user_id=user_id, batch=batch,
                                now=now)
    send_invitation(invitation)
    invitation.mailed_at = now
    return invitation


def new_invitation(event: Event, *, name: str, email: str, organisation_name: str, stakeholder_group: str,
                   language: str, user_id: int | None, batch: str | None, now: datetime | None = None) -> Invitation:
    normalised = normalise_email(email)
    invitation = Invitation(event_id=event.id, event=event, name=name.strip(), email=email.strip(),
                            email_normalised=normalised, organisation_name=organisation_name.strip(),
                            stakeholder_group=stakeholder_group.strip(), language=language,
                            invited_by_user_id=user_id, batch=batch, nonce=tokens.new_nonce(),
                            created_at=now or utcnow())
    invitation.token_hash = tokens.hash_token(token_of(invitation))
    db.session.add(invitation)
    db.session.flush()
    audit.record("invitation.created", invitation, event_id=event.id, user_id=user_id)
    return invitation


def send_invitation(invitation: Invitation) -> None:
    event = invitation.event
    recipient = itip.Recipient(invitation.name, invitation.email, invitation.language, "NEEDS-ACTION")
    outbox.send("registration/invitation", recipient, _l("Invitation: %(title)s", title=event.title),
                kind="invitation", event_id=event.id, batch=invitation.batch, reply_to=event.contact_email,
                calendar=CalendarPart("REQUEST", itip.calendar(event, recipient, itip.REQUEST), filename="event.ics"),
                invitation=invitation, event=event,
                invitation_url=external_url("registration.invitation", token=token_of(invitation)),
                event_url=external_url("events.event", slug=event.slug))


def read_rows(data: bytes) -> list[dict]:
    """The rows of an uploaded CSV file as dicts with our column names; raises UploadRefused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRefused("not_utf8") from None
    if "\x00" in text:
        raise UploadRefused("not_utf8")
    try:
        return parse_rows(text)
    except csv.Error:  # e.g. a field longer than the csv module takes
        raise UploadRefused("unreadable") from None


def parse_rows(text: str) -> list[dict]:
    if not text.strip():
        raise UploadRefused("empty")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [cell.strip().lower() for cell in next(reader, [])]
    positions = {}
    for column, names in COLUMNS.items():
        position = next((i for i, cell in enumerate(header) if cell in names), None)
        if position is not None:
            positions[column] = position
    if "name" not in positions or "email" not in positions:
        raise UploadRefused("missing_columns")
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append({"line": line, **{column: (" ".join(cells[i].split()) if i < len(cells) else "")
                                      for column, i in positions.items()}})
        if len(rows) > MAX_ROWS:
            raise UploadRefused("too_many_rows")
    if not rows:
        raise UploadRefused("empty")
    return rows


def check_rows(rows: list[dict]) -> list[RowProblem]:
    problems, seen = [], set()
    for row in rows:
        if not row["name"]:
            problems.append(RowProblem(row["line"], "missing_name"))
        if any(len(row.get(column, "")) > limit for column, limit in COLUMN_LIMITS.items()):
            problems.append(RowProblem(row["line"], "too_long"))
        try:
            row["email"] = validate_email(row["email"], check_deliverability=False,
                                          allow_smtputf8=False).ascii_email or row["email"]
        except EmailNotValidError:
            problems.append(RowProblem(row["line"], "invalid_email", row["email"]))
            continue
        normalised = normalise_email(row["email"])
        if normalised in seen:
            problems.append(RowProblem(row["line"], "duplicate_in_file", row["email"]))
        seen.add(normalised)
    return problems


def checked_rows(data: bytes) -> list[dict]:
    """The rows of a file, or UploadRefused naming every bad row: a file is taken whole or not at all."""
    rows = read_rows(data)
    problems = check_rows(rows)
    if problems:
        raise UploadRefused("bad_rows", problems)
    return rows


def accept(invitation: Invitation, applicant: services.Applicant, *, now: datetime, consent_version: str):
    """The invitee says yes: a registration whose address the link has proven."""
    if invitation.state is not InvitationState.INVITED:
        raise services.RegistrationError("already_answered")
    applicant.email = invitation.email
    applicant.language = invitation.language  # the organiser chose it; the browser's guess does not overrule
    registration, _created = services.register(invitation.event, applicant, now=now,
                                               consent_version=consent_version, email_confirmed=True,
                                               invitation_id=invitation.id)
    invitation.state = InvitationState.ACCEPTED
    invitation.answered_at = now
    audit.record("invitation.accepted", invitation, event_id=invitation.event_id)
    return registration


def decline(invitation: Invitation, *, now: datetime) -> None:
    if invitation.state is not InvitationState.INVITED:
        raise services.RegistrationError("already_answered")
    invitation.state = InvitationState.DECLINED
    invitation.answered_at = now
    audit.record("invitation.declined", invitation, event_id=invitation.event_id)


def invite_to_series(series, *, name: str, email: str, organisation_name: str = "", stakeholder_group: str = "",
                     language: str = "sv", user_id: int | None = None, now: datetime | None = None) -> SeriesInvitee:
    """Invite a person to every meeting of a series at once, and queue the mail."""
    now = now or utcnow()
    invitee = add_to_series(series, name=name, email=email, organisation_name=organisation_name,
                            stakeholder_group=stakeholder_group, language=language, user_id=user_id, now=now)
    mail_series_invitee(invitee)
    invitee.mailed_at = now
    for invitation in invitations_of_invitee(invitee):
        invitation.mailed_at = now
    return invitee


def add_to_series(series, *, name: str, email: str, organisation_name: str = "", stakeholder_group: str = "",
                  language: str = "sv", user_id: int | None = None, batch: str | None = None,
                  invited: dict[int, set[str]] | None = None, now: datetime | None = None) -> SeriesInvitee:
    """The invitee of a series and an invitation to each meeting not yet cancelled, each with its own answer
    (and place) through its own link; the mail is the caller's (`mail_series_invitee`).

    `invited` maps each meeting to the addresses invited to it, for a caller adding many invitees at once.
    """
    invited = {} if invited is None else invited
    now = now or utcnow()
    normalised = normalise_email(email)
    if db.session.scalar(select(SeriesInvitee.id).where(SeriesInvitee.series_id == series.id,
                                                        SeriesInvitee.email_normalised == normalised)):
        raise services.RegistrationError("already_invited")
    invitee = SeriesInvitee(series_id=series.id, name=name.strip(), email=email.strip(), email_normalised=normalised,
                            organisation_name=organisation_name.strip(), stakeholder_group=stakeholder_group.strip(),
                            language=language, batch=batch, created_at=now)
    db.session.add(invitee)
    db.session.flush()
    for meeting in meetings_of(series):
        if meeting.id not in invited:
            invited[meeting.id] = existing_emails(meeting)
        if meeting.cancelled_at is not None or normalised in invited[meeting.id]:
            continue
        invited[meeting.id].add(normalised)
        invitation = new_invitation(meeting, name=name, email=email, organisation_name=organisation_name,
                                    stakeholder_group=stakeholder_group, language=language, user_id=user_id,
                                    batch=batch, now=now)
        invitation.series_invitee_id = invitee.id
    audit.record("series.invited", series, email=normalised, user_id=user_id)
    return invitee


def invitations_of_invitee(invitee: SeriesInvitee) -> list[Invitation]:
    """The invitee's invitations to the meetings, in the order the meetings come."""
    return list(db.session.scalars(
        select(Invitation).join(Event, Event.id == Invitation.event_id)
        .where(Invitation.series_invitee_id == invitee.id).order_by(Event.occurrence_start, Event.id)))


def mail_series_invitee(invitee: SeriesInvitee) -> None:
    """A weekly series goes out as one invitation whose RRULE holds every meeting; meetings on dates of their
    own go out as one invitation each. A meeting cancelled before the mail is written is left out."""
    series = db.session.get(EventSeries, invitee.series_id)
    per_meeting = [i for i in invitations_of_invitee(invitee) if i.event.cancelled_at is None]
    if follows_rule(series):
        send_series_invitation(series, invitee, per_meeting)
        return
    for invitation in per_meeting:
        send_invitation(invitation)


def send_series_invitation(series, invitee, per_meeting: list[Invitation]) -> None:
    recipient = itip.Recipient(invitee.name, invitee.email, invitee.language, "NEEDS-ACTION")
    meetings = [(invitation.event, external_url("registration.invitation", token=token_of(invitation)))
                for invitation in per_meeting]
    first = per_meeting[0] if per_meeting else None
    outbox.send("registration/series_invitation", recipient, _l("Invitation: %(title)s", title=series.name),
                kind="invitation.series", event_id=first.event_id if first else None,
                batch=invitee.batch, reply_to=first.event.contact_email if first else None,
                calendar=CalendarPart("REQUEST", itip.series_calendar(series, recipient), filename="series.ics"),
                invitee=invitee, series=series, meetings=meetings)


# ---------------------------------------------------------------- the mail of an upload, written by the worker

def take_for_mailing(model: type[Invitation] | type[SeriesInvitee], row_id: int, now: datetime) -> bool:
    """Mark one invitee's mail as queued, unless a run before (or beside) this one did: the database decides."""
    return db.session.execute(
        update(model).where(model.id == row_id, model.mailed_at.is_(None)).values(mailed_at=now)
        .execution_options(synchronize_session=False)).rowcount == 1


def mail_next(batch: str, *, now: datetime, limit: int) -> int:
    """Queue the mail of up to `limit` invitees of an upload not mailed yet; how many were looked at (0: done).

    Each invitee's `mailed_at` is set with a conditional UPDATE in the transaction that queues their mail,
    so the two commit together or not at all: a job run again, or beside another, mails nobody twice, and a
    chunk rolled back (a crash, an error) is left whole to the next run. A meeting cancelled before its
    invitation was written gets none: its calendar never held the meeting.
    """
    hold_events_of(batch)
    invitees = db.session.scalars(select(SeriesInvitee).where(SeriesInvitee.batch == batch,
                                                              SeriesInvitee.mailed_at.is_(None))
                                  .order_by(SeriesInvitee.id).limit(limit)).all()
    for invitee in invitees:
        if take_for_mailing(SeriesInvitee, invitee.id, now):
            mail_series_invitee(invitee)
            for invitation in invitations_of_invitee(invitee):
                take_for_mailing(Invitation, invitation.id, now)
    if invitees:
        return len(invitees)
    invitations = db.session.scalars(select(Invitation).where(Invitation.batch == batch,
                                                              Invitation.mailed_at.is_(None))
                                     .order_by(Invitation.id).limit(limit)).all()
    for invitation in invitations:
        if take_for_mailing(Invitation, invitation.id, now) and invitation.event.cancelled_at is None:
            send_invitation(invitation)
    return len(invitations)


def hold_events_of(batch: str) -> None:
    """Keep the batch's events as they are while this chunk is written, and wait for an organiser who
    is changing one: the chunk's calendars show the times the update mails will start from, so no
    invitee is left between an update sent before their invitation and an invitation showing old times.
    """
    db.session.execute(select(Event.id).where(Event.id.in_(
        select(Invitation.event_id).where(Invitation.batch == batch))).with_for_update(read=True))


def still_to_mail(event_id: int, batch: str) -> int:
    """The invitations of an upload to this event whose mail the worker has yet to write."""
    return db.session.scalar(select(func.count(Invitation.id)).where(
        Invitation.event_id == event_id, Invitation.batch == batch, Invitation.mailed_at.is_(None),
        Invitation.series_invitee_id.is_(None))) or 0
