"""The organiser's shell: the tabs of an event's organiser pages, each brought by the feature that owns the page.

`templates/manage/layout.html` draws the organiser menu on every page behind /manage and, on a
page about one event, that event's tabs. No list names them all: each feature registers its own
tabs in its `tabs.py` (imported by `conference/__init__.py`), and the layout shows those that
`tabs_for(event)` returns. core stands below events, so an event is whatever the features'
`shown` rules read: an `events.models.Event`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString


def always(_event: Any) -> bool:
    return True


@dataclass(frozen=True)
class EventTab:
    """One tab of an event's organiser pages.

    `endpoint` is the page's view, which takes the event's `slug`; `order` places the tab among
    the others (lowest first); `shown(event)` says whether the event has the page at all.
    """

    endpoint: str
    label: LazyString | str
    order: int
    shown: Callable[[Any], bool] = always


_tabs: dict[str, EventTab] = {}


def event_tab(endpoint: str, label: LazyString | str, *, order: int,
              shown: Callable[[Any], bool] = always) -> EventTab:
    """Add a tab to every event's organiser pages (or to those for which `shown` is true).

    A module imported again replaces its tabs rather than doubling them; two tabs of different
    pages may not claim the same place, or their order would depend on the order of imports.
    """
    clash = next((t for t in _tabs.values() if t.order == order and t.endpoint != endpoint), None)
    if clash is not None:
        raise ValueError(f"the tabs {clash.endpoint} and {endpoint} both want place {order}")
    tab = EventTab(endpoint, label, order, shown)
    _tabs[endpoint] = tab
    return tab


def tabs_for(event: Any) -> list[EventTab]:
    """The tabs this event shows, in their order."""
    return [tab for tab in sorted(_tabs.values(), key=lambda t: t.order) if tab.shown(event)]
