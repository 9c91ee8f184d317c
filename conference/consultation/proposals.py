"""The rules of agenda proposals: sent in the proposal phase, confirmed by e-mail, answered all at once."""

from datetime import datetime


def publish_due_feedback(now: datetime) -> int:
    """Mail proposers of every process whose feedback became public; the number of processes."""
    return 0
