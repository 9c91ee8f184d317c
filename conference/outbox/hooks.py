"""What the outbox asks the features above it."""

from conference.core.hooks import Hook

# event_id=, batch=: asked while the progress of a batch is shown; receivers return the number of its
# messages that a job of theirs has yet to write, so that they count as waiting (0: return nothing)
messages_to_come = Hook("messages_to_come")
