"""Translatable names of press access's states and of who gets the stream."""

from flask_babel import lazy_gettext as _l

from conference.press.models import PressRequestState, StreamAccessKind, StreamAudience

STREAM_AUDIENCE = {
    StreamAudience.PRESS: _l("Approved press only"),
    StreamAudience.PRESS_AND_REGISTRANTS: _l("Approved press and confirmed registrants (personal links)"),
    StreamAudience.EVERYONE: _l("Everyone (a public watch page)"),
}

REQUEST_STATE = {
    PressRequestState.PENDING: _l("Waiting for a decision"),
    PressRequestState.APPROVED: _l("Approved"),
    PressRequestState.DENIED: _l("Denied"),
    PressRequestState.REVOKED: _l("Revoked"),
}

ACCESS_KIND = {StreamAccessKind.PRESS: _l("Press"), StreamAccessKind.REGISTRANT: _l("Registrant")}

# YouTube's life-cycle states, in words an organiser knows
BROADCAST_STATE = {
    "created": _l("Created, not ready"),
    "ready": _l("Ready"),
    "testing": _l("Testing"),
    "live": _l("Live"),
    "complete": _l("Ended"),
    "revoked": _l("Removed on YouTube"),
}
