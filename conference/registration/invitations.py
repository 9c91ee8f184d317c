"""Invitations to invitation-only events: one by one or from a CSV file, answered from a personal link."""

import csv
import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from conference.calendars import itip
from conference.core import audit, tokens
from conference.core.addresses import normalise_email
from conference.core.errors import Refusal
from conference.events.meetings import follows_rule, meetings_of
from conference.events.models import Event
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


@dataclass
class UploadResult:
    invited: list[Invitation] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    batch: str | None = None


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
           language: str = "sv", user_id: int | None = None, batch: str | None = None) -> Invitation:
    """Invite one person and queue the mail; an address already invited raises."""
    if normalise_email(email) in existing_emails(event):
        raise services.RegistrationError("already_invited")
    invitation = new_invitation(event, name=name, email=email, organisation_name=organisation_name,
                                stakeholder_group=stakeholder_group, language=language, user_id=user_id, batch=batch)
    send_invitation(invitation)
    return invitation


def new_invitation(event: Event, *, name: str, email: str, organisation_name: str, stakeholder_group: str,
                   language: str, user_id: int | None, batch: str | None) -> Invitation:
    normalised = normalise_email(email)
    invitation = Invitation(event_id=event.id, event=event, name=name.strip(), email=email.strip(),
                            email_normalised=normalised, organisation_name=organisation_name.strip(),
                            stakeholder_group=stakeholder_group.strip(), language=language,
                            invited_by_user_id=user_id, batch=batch, nonce=tokens.new_nonce())
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


def import_csv(event: Event, data: bytes, *, language: str, user_id: int | None) -> UploadResult:
    """Invite everyone in the file, or nobody: any bad row refuses the whole file with its line numbers."""
    rows = checked_rows(data)
    result = UploadResult(batch=secrets.token_hex(8))
    already = existing_emails(event)
    for row in rows:
        if normalise_email(row["email"]) in already:
            result.already_invited.append(row["email"])
            continue
        result.invited.append(invite(event, name=row["name"], email=row["email"],
                                     organisation_name=row.get("organisation", ""),
                                     stakeholder_group=row.get("group", ""), language=language,
                                     user_id=user_id, batch=result.batch))
    return result


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
                     language: str = "sv", user_id: int | None = None, batch: str | None = None):
    """Invite a person to every meeting of a series at once.

    A weekly series goes out as one invitation whose RRULE holds every meeting; meetings on
    dates of their own go out as one invitation each. Either way each meeting keeps its own
    answer (and place), through its own link.
    """
    normalised = normalise_email(email)
    if db.session.scalar(select(SeriesInvitee.id).where(SeriesInvitee.series_id == series.id,
                                                        SeriesInvitee.email_normalised == normalised)):
        raise services.RegistrationError("already_invited")
    invitee = SeriesInvitee(series_id=series.id, name=name.strip(), email=email.strip(), email_normalised=normalised,
                            organisation_name=organisation_name.strip(), stakeholder_group=stakeholder_group.strip(),
                            language=language)
    db.session.add(invitee)
    db.session.flush()
    meetings = [m for m in meetings_of(series) if m.cancelled_at is None]
    weekly = follows_rule(series)
    per_meeting = []
    for meeting in meetings:
        if normalised in existing_emails(meeting):
            continue
        invitation = new_invitation(meeting, name=name, email=email, organisation_name=organisation_name,
                                    stakeholder_group=stakeholder_group, language=language, user_id=user_id,
                                    batch=batch)
        invitation.series_invitee_id = invitee.id
        per_meeting.append(invitation)
        if not weekly:
            send_invitation(invitation)
    if weekly:
        send_series_invitation(series, invitee, per_meeting)
    audit.record("series.invited", series, email=normalised, user_id=user_id)
    return invitee


def import_csv_to_series(series, data: bytes, *, language: str, user_id: int | None) -> UploadResult:
    """Invite everyone in the file to every meeting of the series, or nobody."""
    rows = checked_rows(data)
    already = set(db.session.scalars(select(SeriesInvitee.email_normalised).where(SeriesInvitee.series_id == series.id)))
    result = UploadResult(batch=secrets.token_hex(8))
    for row in rows:
        if normalise_email(row["email"]) in already:
            result.already_invited.append(row["email"])
            continue
        invite_to_series(series, name=row["name"], email=row["email"], organisation_name=row.get("organisation", ""),
                         stakeholder_group=row.get("group", ""), language=language, user_id=user_id,
                         batch=result.batch)
        result.invited.append(row["email"])
    return result


def send_series_invitation(series, invitee, per_meeting: list[Invitation]) -> None:
    recipient = itip.Recipient(invitee.name, invitee.email, invitee.language, "NEEDS-ACTION")
    meetings = [(invitation.event, external_url("registration.invitation", token=token_of(invitation)))
                for invitation in per_meeting]
    first = per_meeting[0] if per_meeting else None
    outbox.send("registration/series_invitation", recipient, _l("Invitation: %(title)s", title=series.name),
                kind="invitation.series", event_id=first.event_id if first else None,
                batch=first.batch if first else None, reply_to=first.event.contact_email if first else None,
                calendar=CalendarPart("REQUEST", itip.series_calendar(series, recipient), filename="series.ics"),
                invitee=invitee, series=series, meetings=meetings)
