"""Organiser pages of photos: upload, caption and credit, takedown requests."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from conference.consultation.photos import services as photos
from conference.consultation.photos.forms import DecisionForm, PhotoTextForm, PhotoUploadForm
from conference.consultation.photos.images import MAX_BYTES
from conference.consultation.photos.models import Photo, TakedownRequest
from conference.consultation.uploads import allow_larger_posts
from conference.core.access import organiser_required
from conference.core.forms import REFUSED, ConfirmForm, attempt
from conference.core.loading import get_or_404, owned_or_404
from conference.core.timeutil import utcnow
from conference.events.loading import managed_event_or_abort
from conference.extensions import db

bp = Blueprint("photos_manage", __name__)

# Room for a photo at the limit and the form's text fields: a file somewhat over the limit still reaches
# the form, so the organiser reads why beside the field and keeps what was typed.
UPLOAD_REQUEST_MAX_BYTES = 2 * MAX_BYTES
allow_larger_posts(bp, {"photos_manage.photos": UPLOAD_REQUEST_MAX_BYTES})


def photo_of(event, photo_id: int) -> Photo:
    return owned_or_404(Photo, photo_id, owner_column="event_id", owner_id=event.id)


def decision_form(takedown: TakedownRequest) -> DecisionForm:
    return DecisionForm(prefix=f"request-{takedown.id}")


def text_of(form: PhotoTextForm | PhotoUploadForm) -> photos.PhotoText:
    return photos.PhotoText(alt_text=form.alt_text.data or "", caption=form.caption.data or "",
                            credit=form.credit.data or "")


def render_photos(event, *, upload=None, decisions=None, status=200):
    pending = photos.pending_requests(event)
    forms = {r.id: decision_form(r) for r in pending}
    forms.update(decisions or {})
    return render_template("consultation/photos/manage.html", event=event, photos=photos.photos_of(event),
                           pending=pending, handled=photos.handled_requests(event), decision_forms=forms,
                           upload_form=upload or PhotoUploadForm(prefix="upload"), confirm=ConfirmForm(),
                           max_megabytes=MAX_BYTES // (1024 * 1024)), status


@bp.route("/photos", methods=["GET", "POST"], endpoint="photos")
@organiser_required
def photos_page(slug):
    event = managed_event_or_abort(slug)
    if request.method != "POST":
        return render_photos(event)
    form = PhotoUploadForm(prefix="upload")
    if form.validate_on_submit():
        added = attempt(form, lambda: photos.add_photo(
            event, form.photo.data.stream.read(MAX_BYTES + 1), text_of(form), user_id=current_user.id, now=utcnow()))
        if added is not REFUSED:
            flash(_("The photo was added and is shown on the event's page."), "success")
            return redirect(url_for(".photos", slug=slug))
    return render_photos(event, upload=form, status=422)


@bp.route("/photos/<int:photo_id>/image")
@organiser_required
def photo_image(slug, photo_id):
    """The organiser's view of any photo of the event, taken down or not; never cached."""
    photo = photo_of(managed_event_or_abort(slug), photo_id)
    response = Response(photo.image, mimetype=photo.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/photos/<int:photo_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit_photo(slug, photo_id):
    event = managed_event_or_abort(slug)
    photo = photo_of(event, photo_id)
    form = PhotoTextForm(obj=photo)
    if form.validate_on_submit():
        photos.edit_photo(photo, text_of(form), user_id=current_user.id)
        db.session.commit()
        flash(_("The photo's texts were saved."), "success")
        return redirect(url_for(".photos", slug=slug) + f"#photo-{photo.id}")
    return render_template("consultation/photos/edit.html", event=event, photo=photo, form=form), \
        422 if form.errors else 200


@bp.route("/photos/<int:photo_id>/<any('take-down', 'put-back'):action>", methods=["POST"])
@organiser_required
def change_photo(slug, photo_id, action):
    event = managed_event_or_abort(slug)
    photo = photo_of(event, photo_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if action == "take-down":
        changed = attempt(None, lambda: photos.take_down(photo, user_id=current_user.id, now=utcnow()))
        message = _("The photo was taken down. It is no longer shown on the event's page.")
    else:
        changed = attempt(None, lambda: photos.put_back(photo, user_id=current_user.id))
        message = _("The photo is shown on the event's page again.")
    if changed is not REFUSED:
        flash(message, "success")
    return redirect(url_for(".photos", slug=slug) + f"#photo-{photo.id}")


@bp.route("/photos/<int:photo_id>/delete", methods=["GET", "POST"])
@organiser_required
def delete_photo(slug, photo_id):
    event = managed_event_or_abort(slug)
    photo = photo_of(event, photo_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        photos.delete_photo(photo, user_id=current_user.id, now=utcnow())
        db.session.commit()
        flash(_("The photo was deleted."), "success")
        return redirect(url_for(".photos", slug=slug))
    return render_template("consultation/photos/confirm_delete.html", event=event, photo=photo, form=form,
                           waiting=photos.pending_requests_of(photo)), 422 if form.errors else 200


@bp.route("/photos/requests/<int:request_id>/decision", methods=["POST"])
@organiser_required
def decide_takedown(slug, request_id):
    event = managed_event_or_abort(slug)
    takedown = get_or_404(TakedownRequest, request_id)
    photo_of(event, takedown.photo_id)  # a request about a photo of another event is not found here
    form = decision_form(takedown)
    if not form.validate_on_submit():
        return render_photos(event, decisions={takedown.id: form}, status=422)
    if not (form.remove.data or form.keep.data):
        abort(400)
    decided = attempt(None, lambda: photos.decide(takedown, remove=bool(form.remove.data),
                                                  message=form.message.data or "", user_id=current_user.id,
                                                  now=utcnow()))
    if decided is not REFUSED:
        flash(_("The photo was taken down, and %(name)s is told by e-mail.", name=takedown.name) if form.remove.data
              else _("The photo stays, and %(name)s is told by e-mail.", name=takedown.name), "success")
    return redirect(url_for(".photos", slug=slug))
