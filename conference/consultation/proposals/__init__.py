"""Agenda proposals of a process: sent by organisations, confirmed by e-mail, answered all at once.

The outbox worker (`flask outbox work`) publishes the answers whose time has come by this name.
"""

from conference.consultation.proposals.services import publish_due_feedback  # noqa: F401
