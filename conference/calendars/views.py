"""Public calendar routes: feeds, single-event files, the frab schedule for conference apps."""

from flask import Blueprint

bp = Blueprint("calendars", __name__)
