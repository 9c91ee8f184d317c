"""Calendar files over HTTP: strong ETags, so subscribed clients poll cheaply."""

import hashlib
from datetime import datetime

from flask import Response, request

from conference.calendars import feeds

MAX_AGE = 300  # seconds a cache may keep a feed; clients poll with If-None-Match after that


def conditional(body: bytes, *, mimetype: str, last_modified: datetime, personal: bool = False,
                filename: str | None = None, vary: str | None = None) -> Response:
    """A response with a strong ETag from its content: 304 to a client that has these bytes."""
    response = Response(body, mimetype=mimetype)
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.last_modified = last_modified
    response.cache_control.max_age = MAX_AGE
    if personal:
        response.cache_control.private = True
        response.headers["X-Robots-Tag"] = "noindex"
    else:
        response.cache_control.public = True
        response.headers["Access-Control-Allow-Origin"] = "*"  # apps and schedule viewers read it from anywhere
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if vary:
        response.vary.update(part.strip() for part in vary.split(","))
    return response.make_conditional(request)


def calendar_response(file: feeds.CalendarFile, filename: str, *, personal: bool = False) -> Response:
    # descriptions carry a few translated words, chosen by the cookie or the client's language
    return conditional(file.body, mimetype="text/calendar", last_modified=file.last_modified, personal=personal,
                       filename=filename, vary="Accept-Language, Cookie")
