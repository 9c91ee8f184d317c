"""Tables of meeting photos and of requests to take one down."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from conference.core.timeutil import utcnow
from conference.core.types import UTCDateTime
from conference.extensions import db


class Photo(db.Model):
    """A photo from a meeting, re-encoded without its metadata, with caption and credit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    image: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int]
    height: Mapped[int]
    alt_text: Mapped[str] = mapped_column(String(300))  # what the photo shows, for screen readers
    caption: Mapped[str] = mapped_column(String(500), default="")
    credit: Mapped[str] = mapped_column(String(200))  # the photographer, as the law on names requires
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    taken_down_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # hidden from the public from then

    event = relationship("Event", backref=backref("photos", order_by="Photo.created_at", passive_deletes=True))
    takedown_requests: Mapped[list["TakedownRequest"]] = relationship(
        back_populates="photo", cascade="all, delete-orphan", order_by="TakedownRequest.created_at")


class TakedownRequest(db.Model):
    """Someone shown in a photo asks for it to be taken down; an organiser decides."""

    __tablename__ = "takedown_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photo.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="sv")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    photo_removed: Mapped[bool | None]  # the organiser's decision once handled

    photo: Mapped[Photo] = relationship(back_populates="takedown_requests")
