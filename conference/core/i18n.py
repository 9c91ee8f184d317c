"""Language choice: a remembered choice, then the browser's wish, then Swedish."""

from flask import current_app, request

LANGUAGE_COOKIE = "lang"

LANGUAGE_NAMES = {"sv": "Svenska", "en": "English", "fi": "Suomi"}


def select_locale() -> str:
    supported = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in supported:
        return chosen
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]
