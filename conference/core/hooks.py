"""Reactions of one feature to another's change, inside the same transaction.

The owner of a change declares a `Hook` beside its service and runs it before the caller
commits; features above it subscribe with the hook as a decorator. A receiver never commits,
flashes or calls the network: it changes rows (and queues mail or jobs) in the caller's
transaction and returns what the user should be told, which the view flashes after its one
commit. If a receiver raises, the whole request rolls back: nothing is saved half-way.
"""

from collections.abc import Callable, Iterable
from typing import Any

from flask import flash

Receiver = Callable[..., Iterable[Any] | None]


class Hook:
    """A change that other features may react to, named for the change (`event_saved`)."""

    def __init__(self, name: str):
        self.name = name
        self.receivers: list[Receiver] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self.receivers)} receivers>"

    def __call__(self, receiver: Receiver) -> Receiver:
        if receiver not in self.receivers:  # a module imported twice must not react twice
            self.receivers.append(receiver)
        return receiver

    def run(self, **change) -> list[Any]:
        """Run every receiver in the order they subscribed; what they return, in one list.

        For most hooks that is notices (translated strings) for the view to flash; a hook that
        asks features for a contribution (a link for a mail, say) documents what it collects.
        """
        return [item for receiver in self.receivers for item in (receiver(**change) or ())]


def flash_notices(notices: Iterable[str], category: str = "info") -> None:
    """After the commit: tell the user what the reactions did."""
    for notice in notices:
        flash(notice, category)
