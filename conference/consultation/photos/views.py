"""Public pages of photos: the image itself and the takedown request."""

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import get_locale

from conference.consultation.photos import services as photos
from conference.consultation.photos.forms import TakedownRequestForm
from conference.consultation.photos.models import Photo
from conference.core.loading import one_or_404, owned_or_404
from conference.core.timeutil import utcnow
from conference.events.loading import public_event_or_404
from conference.extensions import db, limiter

bp = Blueprint("photos", __name__)


@bp.route("/events/<slug>/photos/<int:photo_id>")
def photo(slug, photo_id):
    """The photo as stored; 404 once taken down (or hidden while a takedown request waits), whoever asks.

    Caches may keep it but must ask again before every use (no-cache): a photo is hidden the moment
    someone asks for it to be taken down, so no browser or shared cache may show it from memory after
    that. Asking again costs little: the ETag answers an unchanged photo with a bodiless 304, and the
    photo's visibility is checked before that answer."""
    found = one_or_404(photos.shown_photo_query(slug, photo_id))
    response = Response(found.image, mimetype=found.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(f"photo-{found.id}-{found.created_at.timestamp():.0f}")
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.route("/events/<slug>/photos/<int:photo_id>/takedown", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per hour", methods=["POST"])
def photo_takedown(slug, photo_id):
    event = public_event_or_404(slug)
    found = owned_or_404(Photo, photo_id, owner_column="event_id", owner_id=event.id)
    if found.taken_down_at is not None:
        return render_template("consultation/photos/no_longer_shown.html", event=event)
    form = TakedownRequestForm()
    if form.validate_on_submit():
        photos.request_takedown(found, photos.Requester(
            name=form.name.data, email=form.email.data, reason=form.reason.data or "", language=str(get_locale())),
            now=utcnow())
        db.session.commit()
        return redirect(url_for(".photo_takedown_sent", slug=slug))
    if form.website.errors:  # the honeypot: answer as if all went well, store nothing
        return redirect(url_for(".photo_takedown_sent", slug=slug))
    return render_template("consultation/photos/takedown.html", event=event, photo=found, form=form), \
        422 if form.errors else 200


@bp.route("/events/<slug>/photos/takedown/sent")
def photo_takedown_sent(slug):
    event = public_event_or_404(slug)
    return render_template("consultation/photos/takedown_sent.html", event=event)
