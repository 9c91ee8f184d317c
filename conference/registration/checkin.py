"""Check-in at the door: the rules of a scan. The desk's pages are in registration.manage.desk.

A scan carries a nonce, one per form shown, as pretix does: the same scan sent twice (a double
tap, a resent form) is recognised and answered as the first time, never as a second entry.
The database has the last word on both rules (one standing check-in per registration, one
check-in per nonce), so two desks scanning the same ticket at once still let one person in once.
"""

import enum
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from conference.core import audit
from conference.core.models import User
from conference.events.models import Event
from conference.extensions import db
from conference.registration import services
from conference.registration.models import CheckIn, Registration, RegistrationState

LATEST = 20  # check-ins listed under the form: enough to find a mistake made a moment ago
SCAN_NONCE = re.compile(r"[0-9a-f]{32}")


class Outcome(enum.Enum):
    CHECKED_IN = "checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    CANCELLED = "cancelled"  # cancelled or expired
    NOT_CONFIRMED = "not_confirmed"  # unconfirmed address or on the waiting list: no place to let in
    WRONG_EVENT = "wrong_event"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ScanResult:
    """The answer shown at the door; `check_in` is the standing one when there is one."""

    outcome: Outcome
    registration: Registration | None = None
    check_in: CheckIn | None = None

    @property
    def admitted(self) -> bool:
        return self.outcome is Outcome.CHECKED_IN


def new_scan_nonce() -> str:
    return secrets.token_hex(16)


def check_in(event: Event, typed_code: str, scan_nonce: str, user: User, now: datetime) -> ScanResult:
    """Let the holder of a ticket in, once, or say why not."""
    registration = services.by_ticket_code(typed_code)
    if registration is None:
        return ScanResult(Outcome.UNKNOWN)
    if registration.event_id != event.id:
        return ScanResult(Outcome.WRONG_EVENT, registration)
    earlier = db.session.scalar(select(CheckIn).where(CheckIn.scan_nonce == scan_nonce))
    if earlier is not None:
        if earlier.registration_id == registration.id and earlier.undone_at is None:
            return ScanResult(Outcome.CHECKED_IN, registration, earlier)  # the same scan, sent again
        # The scan was undone since, or the nonce came with another code: this is a new decision
        # at the door, not a retry, and must not show a green answer for someone not let in.
        scan_nonce = new_scan_nonce()
    refusal = refusal_for(registration)
    if refusal is not None:
        return refusal
    return admit(registration, scan_nonce, user, now)


def refusal_for(registration: Registration) -> ScanResult | None:
    """Why this event's registration gives no entry now, if it gives none."""
    if registration.state in (RegistrationState.CANCELLED, RegistrationState.EXPIRED):
        return ScanResult(Outcome.CANCELLED, registration)
    if registration.state is not RegistrationState.CONFIRMED:
        return ScanResult(Outcome.NOT_CONFIRMED, registration)
    standing = standing_check_in(registration)
    if standing is not None:
        return ScanResult(Outcome.ALREADY_CHECKED_IN, registration, standing)
    return None


def admit(registration: Registration, scan_nonce: str, user: User, now: datetime) -> ScanResult:
    entry = CheckIn(registration_id=registration.id, at=now, by_user_id=user.id, scan_nonce=scan_nonce)
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        return answer_to_lost_race(registration, scan_nonce)
    db.session.expire(registration, ["check_ins"])
    audit.record("registration.checked_in", entry, user_id=user.id, event_id=registration.event_id,
                 registration_id=registration.id)
    return ScanResult(Outcome.CHECKED_IN, registration, entry)


def answer_to_lost_race(registration: Registration, scan_nonce: str) -> ScanResult:
    """Another request wrote the check-in a moment ago: the same scan on a second tap, or another desk."""
    same_scan = db.session.scalar(select(CheckIn).where(CheckIn.scan_nonce == scan_nonce,
                                                        CheckIn.registration_id == registration.id,
                                                        CheckIn.undone_at.is_(None)))
    if same_scan is not None:
        return ScanResult(Outcome.CHECKED_IN, registration, same_scan)
    standing = standing_check_in(registration)
    if standing is None:
        raise RuntimeError("a check-in was refused by the database, but none is standing")
    return ScanResult(Outcome.ALREADY_CHECKED_IN, registration, standing)


def standing_check_in(registration: Registration) -> CheckIn | None:
    return db.session.scalar(select(CheckIn).where(CheckIn.registration_id == registration.id,
                                                   CheckIn.undone_at.is_(None)))


def undo_check_in(entry: CheckIn, user: User, now: datetime) -> bool:
    """Withdraw a check-in, keeping the record; the person can be checked in again.

    Returns False if it was undone already (a second click, or another desk), changing nothing.
    """
    changed = db.session.execute(
        update(CheckIn).where(CheckIn.id == entry.id, CheckIn.undone_at.is_(None))
        .values(undone_at=now, undone_by_user_id=user.id).execution_options(synchronize_session=False)
    ).rowcount == 1
    db.session.refresh(entry)
    if changed:
        db.session.expire(entry.registration, ["check_ins"])
        audit.record("registration.check_in_undone", entry, user_id=user.id,
                     event_id=entry.registration.event_id, registration_id=entry.registration_id)
    return changed


def latest_check_ins(event: Event, limit: int = LATEST) -> list[CheckIn]:
    return list(db.session.scalars(
        select(CheckIn).join(Registration).where(Registration.event_id == event.id)
        .order_by(CheckIn.at.desc(), CheckIn.id.desc()).limit(limit)))


def nonce_of(scan: str | None) -> str:
    """The scan's nonce; one we did not hand out cannot be a retry of one of our forms: a new scan, then."""
    return scan if SCAN_NONCE.fullmatch(scan or "") else new_scan_nonce()


def users_by_id(ids: set[int | None]) -> dict[int, User]:
    """The accounts named in the desk's list (who undid a check-in), by id."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(wanted)))}
