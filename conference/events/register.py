"""The shared register: organisations, people and their appointments, series of events.

Every event draws on the same register, so these rules hold whichever event an organiser
works on. Like every service, these never commit: the caller's unit of work does.
"""

import io
from datetime import date, datetime

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from conference.core import audit
from conference.events.models import Appointment, EventSeries, Organisation, OrganisationKind, Person
from conference.events.registry_numbers import RegistryNumber
from conference.events.services import ProgrammeError, slug_taken, unique_slug
from conference.extensions import db

LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
LOGO_MAX_PIXELS = 2000


# ---------------------------------------------------------------- reading

def organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def people(search: str = "") -> list[Person]:
    """Everyone, or those whose name contains the search, by name."""
    query = select(Person).order_by(Person.name)
    if search:
        query = query.where(Person.name.ilike(f"%{search}%"))
    return list(db.session.scalars(query))


def all_series() -> list[EventSeries]:
    return list(db.session.scalars(select(EventSeries).order_by(EventSeries.name)))


# ---------------------------------------------------------------- organisations

def registry_number_taken(number: RegistryNumber, own_id: int | None) -> bool:
    return db.session.scalar(select(Organisation.id).where(
        Organisation.registry_number == number.normalised, Organisation.id != (own_id or 0))) is not None


def save_organisation(organisation: Organisation | None, *, name: str, short_name: str, slug: str,
                      kind: OrganisationKind, registry_number: RegistryNumber | None, website: str,
                      logo: bytes | None, max_logo_bytes: int, now: datetime) -> Organisation:
    """Create an organisation (None) or change one; an empty slug is made from the name."""
    own_id = organisation.id if organisation else None
    slug = slug or unique_slug(Organisation, name, exclude_id=own_id)
    if slug_taken(Organisation, slug, own_id):
        raise ProgrammeError("organisation_slug_taken", "slug")
    if registry_number and registry_number_taken(registry_number, own_id):
        raise ProgrammeError("registry_number_taken", "registry_number")
    target = organisation or Organisation()
    # a new organisation joins the session only once it is whole and its logo accepted
    with db.session.no_autoflush:
        target.name = name.strip()
        target.short_name = short_name.strip()
        target.slug = slug
        target.kind = kind
        target.registry_number = registry_number.normalised if registry_number else None
        target.country = registry_number.country if registry_number else None
        target.website = website.strip()
        if logo:
            set_logo(target, logo, max_bytes=max_logo_bytes, now=now)
    if organisation is None:
        db.session.add(target)
    audit.record("organisation.saved", target)
    return target


def set_logo(organisation: Organisation, data: bytes, *, max_bytes: int, now: datetime) -> None:
    """Accept a logo by its content, not its file name, and store it re-encoded.

    Re-encoding drops metadata and anything hidden behind the image data; the pixel limit
    keeps a small file from unpacking into an enormous picture in visitors' browsers.
    """
    if len(data) > max_bytes:
        raise ProgrammeError("logo_too_large", "logo")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            if image_format not in LOGO_FORMATS:
                raise ProgrammeError("logo_not_image", "logo")
            if max(image.size) > LOGO_MAX_PIXELS:
                raise ProgrammeError("logo_too_many_pixels", "logo")
            image.load()
            cleaned = io.BytesIO()
            save_options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {"optimize": True}
            image.save(cleaned, format=image_format, **save_options)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ProgrammeError("logo_not_image", "logo") from None
    organisation.logo = cleaned.getvalue()
    organisation.logo_content_type = LOGO_FORMATS[image_format]
    organisation.logo_updated_at = now


# ---------------------------------------------------------------- series

def save_series(series: EventSeries | None, *, name: str, slug: str, description: str) -> EventSeries:
    """Create a series (None) or change one; an empty slug is made from the name."""
    own_id = series.id if series else None
    slug = slug or unique_slug(EventSeries, name, exclude_id=own_id)
    if slug_taken(EventSeries, slug, own_id):
        raise ProgrammeError("series_slug_taken", "slug")
    if series is None:
        series = EventSeries()
        db.session.add(series)
    series.name = name.strip()
    series.slug = slug
    series.description = description
    audit.record("series.saved", series)
    return series


# ---------------------------------------------------------------- people and their appointments

def save_person(person: Person | None, *, name: str, bio: str) -> Person:
    """Create a person (None) or change one."""
    if person is None:
        person = Person()
        db.session.add(person)
    person.name = name.strip()
    person.bio = bio
    audit.record("person.saved", person)
    return person


def add_appointment(person: Person, *, title: str, organisation_id: int | None, valid_from: date,
                    valid_to: date | None) -> Appointment:
    """A title the person holds from a day, until a day or for now; with an organisation or none."""
    if valid_to is not None and valid_to < valid_from:
        raise ProgrammeError("valid_to_before_valid_from", "valid_to")
    appointment = Appointment(person=person, title=title.strip(), organisation_id=organisation_id or None,
                              valid_from=valid_from, valid_to=valid_to)
    db.session.add(appointment)
    audit.record("person.appointment_added", person, title=appointment.title)
    return appointment
