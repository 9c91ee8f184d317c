"""Check-in at the door: the rules of a scan, and the organiser's check-in desk.

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

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from conference.core import audit
from conference.core.access import organiser_required
from conference.core.models import User
from conference.core.timeutil import utcnow
from conference.events.loading import managed_event_or_abort
from conference.events.models import Event
from conference.extensions import db
from conference.registration import forms, services
from conference.registration.manage import bp
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


# ---------------------------------------------------------------- the rules

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


def check_in_of(event: Event, check_in_id: int) -> CheckIn | None:
    entry = db.session.get(CheckIn, check_in_id)
    if entry is None or entry.registration.event_id != event.id:
        return None
    return entry


# ---------------------------------------------------------------- the desk

@bp.route("/checkin", methods=["GET", "POST"])
@organiser_required
def checkin(slug):
    event = managed_event_or_abort(slug)
    form = forms.CheckInForm()
    if not form.validate_on_submit():
        return render_desk(event, form), 422 if form.errors else 200
    # a nonce we did not hand out cannot be a retry of one of our forms: a new scan, then
    nonce = form.scan.data if SCAN_NONCE.fullmatch(form.scan.data or "") else new_scan_nonce()
    result = check_in(event, form.code.data, nonce, current_user, utcnow())
    db.session.commit()
    # No redirect: the answer is needed at once, with the form ready for the next ticket.
    return render_desk(event, forms.CheckInForm(formdata=None), result=result), 200


@bp.route("/checkin/<int:check_in_id>/undo", methods=["POST"])
@organiser_required
def undo_checkin(slug, check_in_id):
    event = managed_event_or_abort(slug)
    entry = check_in_of(event, check_in_id)
    if entry is None:
        abort(404)
    if not forms.FlaskForm().validate_on_submit():
        abort(400)
    if undo_check_in(entry, current_user, utcnow()):
        db.session.commit()
        flash(_("The check-in of %(name)s was undone.", name=entry.registration.name), "success")
    else:
        flash(_("The check-in of %(name)s was undone already.", name=entry.registration.name), "info")
    return redirect(url_for(".checkin", slug=slug))


def render_desk(event: Event, form: forms.CheckInForm, result: ScanResult | None = None) -> str:
    form.scan.data = new_scan_nonce()  # a fresh one for every form shown
    # the desk types or scans one code after another: the field is ready without a click
    form.code.render_kw = {**(form.code.render_kw or {}), "autofocus": True}
    latest = latest_check_ins(event)
    return render_template("registration/manage/checkin.html", event=event, form=form, result=result,
                           outcomes=Outcome, counts=services.counts(event), latest=latest,
                           undone_by=users_by_id({c.undone_by_user_id for c in latest}),
                           confirm=forms.FlaskForm(), now=utcnow())


def users_by_id(ids: set[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(wanted)))}
