"""The rules of a meeting's invited groups: named once each, and copied with the cycle."""

from flask_babel import lazy_gettext as _l

from conference.consultation.groups.models import InvitedGroup
from conference.core import audit
from conference.core.errors import Refusal
from conference.events.models import Event, Organisation


class GroupError(Refusal):
    """An invited group the meeting cannot take: "group_missing" or "group_twice"."""

    messages = {
        "group_missing": _l("Choose an organisation or type the name of a group."),
        "group_twice": _l("The meeting already has this group."),
    }


def add_invited_group(event: Event, *, name: str, organisation: Organisation | None) -> InvitedGroup:
    """A group by name, or an organisation of the register (its name unless another is typed)."""
    name = name.strip() or (organisation.name if organisation else "")
    if not name:
        raise GroupError("group_missing", "organisation_id" if organisation else "name")
    if any(g.name.casefold() == name.casefold() for g in event.invited_groups):
        raise GroupError("group_twice", "name")
    group = InvitedGroup(name=name, organisation_id=organisation.id if organisation else None)
    event.invited_groups.append(group)
    audit.record("event.invited_group_added", event, name=name)
    return group


def remove_invited_group(group: InvitedGroup) -> None:
    audit.record("event.invited_group_removed", group.event, name=group.name)
    group.event.invited_groups.remove(group)
