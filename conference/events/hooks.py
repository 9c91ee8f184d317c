"""Changes to the programme that other features react to, inside the same transaction.

Each hook is run by the events service that makes the change, before the view commits; its
receivers return notices (translated strings) that the view flashes after the commit.
"""

from conference.core.hooks import Hook

# event=, now=: an organiser saved an event (new or changed; a cancelled one too)
event_saved = Hook("event_saved")
# event=, now=: the event will not take place; cancelled_at is set
event_cancelled = Hook("event_cancelled")
# session=, now=: an organiser saved a programme item
session_saved = Hook("session_saved")
# event=, now=: the organiser asks for a calendar update although the rules call the change minor
calendar_update_requested = Hook("calendar_update_requested")
# event=: asked before a cancellation is confirmed; receivers return sentences saying who will be told
cancellation_consequences = Hook("cancellation_consequences")
# source=, copy=, move=: an event was copied to the next cycle (copy is flushed, with its programme);
# each feature copies what of its own state belongs to the next cycle. `move` maps a moment of the
# source to the same wall-clock time in the copy's cycle.
event_copied = Hook("event_copied")
