"""Room for an upload above the app's request limit, on the few forms that take one.

The app refuses any request larger than MAX_CONTENT_LENGTH with a bare 413 page, and a person who
chose a file a little too large would lose everything typed in the form. A form that takes a file
raises the limit for its own POSTs, well above the largest file it keeps, so that a file somewhat
over that size still reaches the form: the form then says why beside the file field and keeps the
text. A request above the raised limit still gets the 413 page.

The limit must be raised before anything reads the body: the CSRF check and the NUL-byte guard
read the form ahead of the view. URL value preprocessors run before those, so that is where it is.
"""

from flask import Blueprint, current_app, request


def allow_larger_posts(blueprint: Blueprint, limits: dict[str, int]) -> None:
    """Let a POST to each endpoint (its full name, "blueprint.view") be as large as the bytes given."""

    @blueprint.url_value_preprocessor
    def raise_request_limit(endpoint, values):
        allowed = limits.get(endpoint or "")
        if allowed is None or request.method != "POST":
            return
        configured = current_app.config.get("MAX_CONTENT_LENGTH")
        if configured is not None and configured < allowed:
            request.max_content_length = allowed
