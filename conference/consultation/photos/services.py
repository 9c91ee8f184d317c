"""The rules of meeting photos: the organiser's photos with caption and credit, takedown requests.

Uploads are re-encoded from their pixels alone (see images.py) before anything is stored.

Someone who asks for a photo to be taken down is heard at once: the photo is hidden from the
public while the request waits, and the organiser either takes it down for good or puts it back
("keep it"). Anyone can send a request, so the honeypot and the rate limit of the form, and the
organiser's "keep it", are the answer to a request sent in bad faith.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select, update

from conference.consultation.photos.images import PhotoError, encode
from conference.consultation.photos.models import Photo, TakedownRequest
from conference.core import audit
from conference.events.models import Event
from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.compose import external_url


@dataclass
class PhotoText:
    """What the organiser writes about a photo: for screen readers, under it, and the photographer."""

    alt_text: str
    credit: str
    caption: str = ""


@dataclass
class Requester:
    """Who asks for a photo to be taken down, and why."""

    name: str
    email: str
    reason: str = ""
    language: str = "sv"


# ---------------------------------------------------------------- the organiser's photos

def add_photo(event: Event, data: bytes, text: PhotoText, *, user_id: int | None, now: datetime) -> Photo:
    encoded = encode(data)
    photo = Photo(event_id=event.id, image=encoded.data, content_type=encoded.content_type, width=encoded.width,
                  height=encoded.height, alt_text=text.alt_text.strip(), caption=text.caption.strip(),
                  credit=text.credit.strip(), created_at=now, uploaded_by_user_id=user_id)
    db.session.add(photo)
    audit.record("photo.uploaded", photo, event_id=event.id, user_id=user_id)
    return photo


def edit_photo(photo: Photo, text: PhotoText, *, user_id: int | None) -> None:
    photo.alt_text = text.alt_text.strip()
    photo.caption = text.caption.strip()
    photo.credit = text.credit.strip()
    audit.record("photo.edited", photo, event_id=photo.event_id, user_id=user_id)


def take_down(photo: Photo, *, user_id: int | None, now: datetime) -> None:
    """Hide the photo from the public; the organiser still sees it and may put it back."""
    if photo.taken_down_at is not None:
        raise PhotoError("already_taken_down")
    photo.taken_down_at = now
    audit.record("photo.taken_down", photo, event_id=photo.event_id, user_id=user_id)


def put_back(photo: Photo, *, user_id: int | None) -> None:
    """Show a taken-down photo again; not while someone's request about it waits for a decision."""
    if pending_requests_of(photo):
        raise PhotoError("request_pending")
    photo.taken_down_at = None
    audit.record("photo.put_back", photo, event_id=photo.event_id, user_id=user_id)


def delete_photo(photo: Photo, *, user_id: int | None, now: datetime) -> None:
    """Delete the photo for good; whoever still waits for an answer about it is told that it was removed."""
    for waiting in pending_requests_of(photo):
        waiting.handled_at, waiting.handled_by_user_id, waiting.photo_removed = now, user_id, True
        mail_decision(waiting, message="")
    audit.record("photo.deleted", photo, event_id=photo.event_id, user_id=user_id)
    db.session.delete(photo)


def shown_photo_query(slug: str, photo_id: int) -> Select:
    """A photo the public may see: of a published event, not taken down (nor hidden while a request waits)."""
    return select(Photo).join(Event, Event.id == Photo.event_id).where(
        Photo.id == photo_id, Event.slug == slug, Event.published.is_(True), Photo.taken_down_at.is_(None))


def photos_of(event: Event) -> list[Photo]:
    return list(db.session.scalars(select(Photo).where(Photo.event_id == event.id)
                                   .order_by(Photo.created_at, Photo.id)))


def pending_requests(event: Event) -> list[TakedownRequest]:
    """Requests that wait for a decision, oldest first."""
    return list(db.session.scalars(
        select(TakedownRequest).join(Photo, Photo.id == TakedownRequest.photo_id)
        .where(Photo.event_id == event.id, TakedownRequest.handled_at.is_(None))
        .order_by(TakedownRequest.created_at, TakedownRequest.id)))


def handled_requests(event: Event) -> list[TakedownRequest]:
    """Decided requests, newest decision first."""
    return list(db.session.scalars(
        select(TakedownRequest).join(Photo, Photo.id == TakedownRequest.photo_id)
        .where(Photo.event_id == event.id, TakedownRequest.handled_at.is_not(None))
        .order_by(TakedownRequest.handled_at.desc(), TakedownRequest.id.desc())))


def pending_requests_of(photo: Photo) -> list[TakedownRequest]:
    return [r for r in photo.takedown_requests if r.handled_at is None]


# ---------------------------------------------------------------- takedown requests

def request_takedown(photo: Photo, requester: Requester, *, now: datetime) -> TakedownRequest:
    """Store the request and hide the photo at once; tell the event's contact and send the requester a receipt."""
    if photo.taken_down_at is not None:
        raise PhotoError("already_taken_down")
    takedown = TakedownRequest(photo=photo, name=requester.name.strip(), email=requester.email.strip(),
                               reason=requester.reason.strip(), language=requester.language, created_at=now)
    db.session.add(takedown)
    photo.taken_down_at = now
    audit.record("photo.takedown_requested", takedown, event_id=photo.event_id, photo_id=photo.id, user_id=None)
    mail_contact(takedown)
    mail_receipt(takedown)
    return takedown


def decide(takedown: TakedownRequest, *, remove: bool, message: str, user_id: int | None, now: datetime) -> None:
    """The organiser's answer, given once: take the photo down, or keep it (shown again once nobody else waits).

    Taking the photo down answers every request about it that still waits.
    """
    decided = db.session.execute(
        update(TakedownRequest).where(TakedownRequest.id == takedown.id, TakedownRequest.handled_at.is_(None))
        .values(handled_at=now, handled_by_user_id=user_id, photo_removed=remove)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not decided:  # someone else was quicker
        raise PhotoError("already_decided")
    db.session.refresh(takedown)
    photo = takedown.photo
    db.session.refresh(photo, ["takedown_requests"])
    others = [r for r in pending_requests_of(photo) if r.id != takedown.id]
    if remove:
        photo.taken_down_at = photo.taken_down_at or now
        for other in others:
            other.handled_at, other.handled_by_user_id, other.photo_removed = now, user_id, True
    elif not others:
        photo.taken_down_at = None
    audit.record("photo.takedown_decided", takedown, event_id=photo.event_id, photo_id=photo.id,
                 photo_removed=remove, user_id=user_id)
    for answered in [takedown, *(others if remove else [])]:
        mail_decision(answered, message=message.strip())


# ---------------------------------------------------------------- mails

def mail(template: str, to: outbox.Addressee, subject, *, event: Event, kind: str, reply_to: str | None,
         **context) -> None:
    """Queue emails/consultation/<template> about a photo of the meeting."""
    outbox.send(f"consultation/{template}", to, subject, kind=kind, event_id=event.id, reply_to=reply_to,
                event=event, event_url=external_url("events.event", slug=event.slug), **context)


def mail_contact(takedown: TakedownRequest) -> None:
    event = takedown.photo.event
    if not event.contact_email:
        return  # the request waits on the organiser's page all the same
    to = outbox.Addressee(event.contact_name or event.contact_email, event.contact_email,
                          current_app.config["BABEL_DEFAULT_LOCALE"])
    mail("photo_takedown_requested", to,
         _l("Someone asks for a photo of %(title)s to be taken down", title=event.title), event=event,
         kind="photo.takedown_requested", reply_to=takedown.email, takedown=takedown, photo=takedown.photo,
         manage_url=external_url("photos_manage.photos", slug=event.slug))


def mail_receipt(takedown: TakedownRequest) -> None:
    event = takedown.photo.event
    mail("photo_takedown_received", outbox.Addressee(takedown.name, takedown.email, takedown.language),
         _l("We have received your request about a photo of %(title)s", title=event.title), event=event,
         kind="photo.takedown_received", reply_to=event.contact_email or None, takedown=takedown, photo=takedown.photo)


def mail_decision(takedown: TakedownRequest, *, message: str) -> None:
    event = takedown.photo.event
    mail("photo_takedown_decided", outbox.Addressee(takedown.name, takedown.email, takedown.language),
         _l("Your request about a photo of %(title)s", title=event.title), event=event,
         kind="photo.takedown_decided", reply_to=event.contact_email or None, takedown=takedown,
         photo=takedown.photo, message=message)
