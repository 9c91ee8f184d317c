"""Invitations from an uploaded file: the rows in the organiser's request, their mail by the worker.

A file of up to 5,000 invitees is checked and stored in the request, all or nothing, so a bad row refuses
the whole file with its line number. Writing a mail with its calendar object for each of them is slow
work: the request queues one job for the upload (`registration.jobs.send_invitations`, its payload the
upload's batch) in the same transaction, so the mail is written only if the rows commit, and the outbox
page follows it going out by the batch.
"""

import secrets
from dataclasses import dataclass, field

from sqlalchemy import select

from conference.core import jobs
from conference.core.addresses import normalise_email
from conference.events.models import Event, EventSeries
from conference.extensions import db
from conference.registration.invitations import add_to_series, checked_rows, existing_emails, new_invitation
from conference.registration.jobs import send_invitations
from conference.registration.models import Invitation, SeriesInvitee


@dataclass
class UploadResult:
    invited: list[Invitation | str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    batch: str | None = None


def import_csv(event: Event, data: bytes, *, language: str, user_id: int | None) -> UploadResult:
    """Invite everyone in the file, or nobody: any bad row refuses the whole file with its line numbers."""
    rows = checked_rows(data)
    result = UploadResult(batch=secrets.token_hex(8))
    already = existing_emails(event)
    for row in rows:
        if normalise_email(row["email"]) in already:
            result.already_invited.append(row["email"])
            continue
        result.invited.append(new_invitation(event, name=row["name"], email=row["email"],
                                             organisation_name=row.get("organisation", ""),
                                             stakeholder_group=row.get("group", ""), language=language,
                                             user_id=user_id, batch=result.batch))
    if result.invited:
        jobs.enqueue(send_invitations, batch=result.batch)
    return result


def import_csv_to_series(series: EventSeries, data: bytes, *, language: str, user_id: int | None) -> UploadResult:
    """Invite everyone in the file to every meeting of the series, or nobody."""
    rows = checked_rows(data)
    already = set(db.session.scalars(select(SeriesInvitee.email_normalised).where(SeriesInvitee.series_id == series.id)))
    result = UploadResult(batch=secrets.token_hex(8))
    invited: dict[int, set[str]] = {}
    for row in rows:
        if normalise_email(row["email"]) in already:
            result.already_invited.append(row["email"])
            continue
        add_to_series(series, name=row["name"], email=row["email"], organisation_name=row.get("organisation", ""),
                      stakeholder_group=row.get("group", ""), language=language, user_id=user_id,
                      batch=result.batch, invited=invited)
        result.invited.append(row["email"])
    if result.invited:
        jobs.enqueue(send_invitations, batch=result.batch)
    return result
