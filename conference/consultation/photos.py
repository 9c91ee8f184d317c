"""The rules of meeting photos: re-encoded uploads, caption and credit, takedown requests.

An upload is accepted by its content, never by its name: Pillow must recognise a JPEG, PNG or WebP,
verify it, and decode it again within a pixel limit. What is stored is a new file made from the
pixels alone (turned the way the camera said, scaled down, colours in sRGB), so no EXIF, GPS
position, camera serial number, XMP or colour profile of the original survives.

Someone who asks for a photo to be taken down is heard at once: the photo is hidden from the
public while the request waits, and the organiser either takes it down for good or puts it back
("keep it"). Anyone can send a request, so the honeypot and the rate limit of the form, and the
organiser's "keep it", are the answer to a request sent in bad faith.
"""

import io
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale, gettext
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from sqlalchemy import select, update

from conference.consultation.models import Photo, TakedownRequest
from conference.core import audit
from conference.core.errors import RuleError
from conference.events.models import Event
from conference.extensions import db
from conference.outbox import services as outbox
from conference.outbox.compose import Mail, external_url, render

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50-megapixel camera; more is a decompression bomb as far as we are concerned
LONG_SIDE = 2400
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
JPEG_QUALITY = 85


class PhotoError(RuleError):
    """An upload or a change of a photo that the rules refuse; `field` names the form field it concerns."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(code)
        self.field = field


@dataclass
class Encoded:
    data: bytes
    content_type: str
    width: int
    height: int


@dataclass
class PhotoText:
    alt_text: str
    credit: str
    caption: str = ""


@dataclass
class Requester:
    name: str
    email: str
    reason: str = ""
    language: str = "sv"


# ---------------------------------------------------------------- the image itself

def encode(data: bytes, *, max_bytes: int = MAX_BYTES) -> Encoded:
    """A clean copy of an uploaded photo, or PhotoError("too_large" | "not_image" | "too_many_pixels" | "damaged")."""
    if len(data) > max_bytes:
        raise PhotoError("too_large", "photo")
    try:
        with Image.open(io.BytesIO(data)) as probe:  # reads the header only
            check_header(probe)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:  # verify() spends the image: open it again to decode
            check_header(image)
            return clean_copy(image)
    except Image.DecompressionBombError:
        raise PhotoError("too_many_pixels", "photo") from None
    except UnidentifiedImageError:
        raise PhotoError("not_image", "photo") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError):
        raise PhotoError("damaged", "photo") from None


def check_header(image: Image.Image) -> None:
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoError("not_image", "photo")
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise PhotoError("too_many_pixels", "photo")


def clean_copy(image: Image.Image) -> Encoded:
    if image.format == "JPEG":
        # let the decoder scale down by 1/2, 1/4 or 1/8 while reading: a large photo never sits whole in memory
        image.draft(None, target_size(image.size, LONG_SIDE))
    icc_profile = image.info.get("icc_profile")
    turned = ImageOps.exif_transpose(image)  # the camera's orientation tag, applied to the pixels
    turned.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    turned = in_srgb(turned, icc_profile)
    transparent = has_transparency(turned)
    if transparent:
        mode = "RGBA"
    elif turned.mode in ("1", "L"):
        mode = "L"
    else:
        mode = "RGB"
    pixels = turned.convert(mode)
    # a new image from the pixels alone: nothing of the original's info, EXIF or profile comes along
    fresh = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if transparent:
        fresh.save(out, format="PNG", optimize=True)
        content_type = "image/png"
    else:
        fresh.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        content_type = "image/jpeg"
    return Encoded(data=out.getvalue(), content_type=content_type, width=fresh.width, height=fresh.height)


def target_size(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, long_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def has_transparency(image: Image.Image) -> bool:
    """True if some pixel is at least partly see-through (an alpha channel that is all opaque does not count)."""
    if not image.has_transparency_data:
        return False
    alpha = image.convert("RGBA").getchannel("A")
    return alpha.getextrema()[0] < 255


def in_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Colours turned from the photo's own profile into sRGB, which browsers assume when there is none."""
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                         outputMode="RGBA" if image.mode == "RGBA" else "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # an unreadable profile: keep the pixels as they are


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


def photo_of_event(event: Event, photo_id: int) -> Photo | None:
    photo = db.session.get(Photo, photo_id)
    return photo if photo is not None and photo.event_id == event.id else None


def shown_photo(slug: str, photo_id: int) -> Photo | None:
    """A photo the public may see: of a published event, not taken down (nor hidden while a request waits)."""
    return db.session.scalar(select(Photo).join(Event, Event.id == Photo.event_id).where(
        Photo.id == photo_id, Event.slug == slug, Event.published.is_(True), Photo.taken_down_at.is_(None)))


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

def _send(*, to_name: str, to_address: str, language: str, subject, template: str, event: Event, kind: str,
          reply_to: str | None, **context) -> None:
    with force_locale(language):
        subject_text = subject(event.title)
    text, html = render(f"consultation/{template}", language, event=event,
                        event_url=external_url("events.event", slug=event.slug), **context)
    outbox.enqueue(Mail(to_name=to_name, to_address=to_address, subject=subject_text, text=text, html=html,
                        reply_to=reply_to), kind=kind, event_id=event.id)


def mail_contact(takedown: TakedownRequest) -> None:
    event = takedown.photo.event
    if not event.contact_email:
        return  # the request waits on the organiser's page all the same
    _send(to_name=event.contact_name or event.contact_email, to_address=event.contact_email,
          language=current_app.config["BABEL_DEFAULT_LOCALE"],
          subject=lambda title: gettext("Someone asks for a photo of %(title)s to be taken down", title=title),
          template="photo_takedown_requested", event=event, kind="photo.takedown_requested",
          reply_to=takedown.email, takedown=takedown, photo=takedown.photo,
          manage_url=external_url("meeting_manage.photos", slug=event.slug))


def mail_receipt(takedown: TakedownRequest) -> None:
    event = takedown.photo.event
    _send(to_name=takedown.name, to_address=takedown.email, language=takedown.language,
          subject=lambda title: gettext("We have received your request about a photo of %(title)s", title=title),
          template="photo_takedown_received", event=event, kind="photo.takedown_received",
          reply_to=event.contact_email or None, takedown=takedown, photo=takedown.photo)


def mail_decision(takedown: TakedownRequest, *, message: str) -> None:
    event = takedown.photo.event
    _send(to_name=takedown.name, to_address=takedown.email, language=takedown.language,
          subject=lambda title: gettext("Your request about a photo of %(title)s", title=title),
          template="photo_takedown_decided", event=event, kind="photo.takedown_decided",
          reply_to=event.contact_email or None, takedown=takedown, photo=takedown.photo, message=message)
