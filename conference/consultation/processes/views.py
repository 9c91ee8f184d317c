"""Public pages of a process: the page itself and its news feed."""

from flask import Blueprint, Response, render_template, request, url_for

from conference.consultation.processes import services
from conference.consultation.processes.models import Process
from conference.core.loading import one_or_404
from conference.core.timeutil import utcnow
from conference.events import services as events

bp = Blueprint("processes", __name__)


@bp.route("/processes/")
def index():
    return render_template("consultation/index.html", processes=services.published_processes())


@bp.route("/processes/<slug>")
def process(slug):
    found = one_or_404(services.published_process_query(slug))
    now = utcnow()
    meetings = services.meetings(found)
    return render_template(
        "consultation/process.html", process=found, now=now, news=services.visible_news(found, now),
        coming=[m for m in meetings if m.ends_at >= now], past=[m for m in meetings if m.ends_at < now],
        meetings=meetings,
        registration_state=lambda event: events.registration_state(event, now),
        earlier=services.earlier_cycles(found))


@bp.route("/processes/<slug>/news.atom")
def news_feed(slug):
    found = one_or_404(services.published_process_query(slug))
    items = services.visible_news(found, utcnow())
    updated = max((item.updated_at for item in items), default=found.created_at)
    body = render_template("consultation/news.atom.xml", process=found, items=items, updated=updated,
                           page_url=url_for(".process", slug=slug, _external=True),
                           feed_url=url_for(".news_feed", slug=slug, _external=True))
    response = Response(body, mimetype="application/atom+xml")
    response.set_etag(f"{found.id}-{len(items)}-{updated.timestamp():.0f}")
    response.last_modified = updated
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response.make_conditional(request)


@bp.app_template_global()
def process_of(event) -> Process | None:
    """The process an event is a meeting of, for the event's page."""
    return services.process_of(event)
