"""Refusals: how a service says no, and what the person is told.

A service refuses a change by raising a `Refusal`. Its `code` names the rule (tests and logs read
it; it is also the exception's text), its `message` is what the person reads, translated into their
language when it is shown, and its `field` names the form field the message belongs beside (None: at
the top of the page). Each feature subclasses `Refusal` beside its rules and lists there the message
of every code it raises; views show any refusal with `core.forms.show_refusal`, usually through
`core.forms.attempt`, which carries out a service's change and commits it or rolls it back.
"""

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from flask_babel import LazyString

# A lazy_gettext text, or a function of the refusal for a text with details ("Row %(line)s: ...").
Message = LazyString | Callable[[Any], str]


class Refusal(Exception):
    """A change the rules refuse; `code` says which rule, `message` tells the person, `field` says where."""

    messages: ClassVar[Mapping[str, Message]] = {}
    # the form field a code is about, where the raise does not say
    fields: ClassVar[Mapping[str, str]] = {}

    def __init__(self, code: str, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.field = field or self.fields.get(code)

    @property
    def message(self) -> LazyString:
        """The text for the person, read in their language when it is shown."""
        told = self.messages[self.code]
        return told if isinstance(told, LazyString) else LazyString(told, self)
