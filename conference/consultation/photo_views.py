"""Public pages of photos: the image itself and the takedown request."""

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import get_locale

from conference.consultation import photos
from conference.consultation.photo_forms import TakedownRequestForm
from conference.consultation.views import bp
from conference.core.timeutil import utcnow
from conference.events import services as events
from conference.extensions import db, limiter


@bp.route("/events/<slug>/photos/<int:photo_id>")
def photo(slug, photo_id):
    """The photo as stored; 404 once taken down (or hidden while a takedown request waits), whoever asks.

    Caches may keep it but must ask again before every use (no-cache): a photo is hidden the moment
    someone asks for it to be taken down, so no browser or shared cache may show it from memory after
    that. Asking again costs little: the ETag answers an unchanged photo with a bodiless 304, and the
    photo's visibility is checked before that answer."""
    found = photos.shown_photo(slug, photo_id) or abort(404)
    response = Response(found.image, mimetype=found.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(f"photo-{found.id}-{found.created_at.timestamp():.0f}")
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.route("/events/<slug>/photos/<int:photo_id>/takedown", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per hour", methods=["POST"])
def photo_takedown(slug, photo_id):
    event = events.published_event_by_slug(slug) or abort(404)
    found = photos.photo_of_event(event, photo_id) or abort(404)
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
    event = events.published_event_by_slug(slug) or abort(404)
    return render_template("consultation/photos/takedown_sent.html", event=event)
