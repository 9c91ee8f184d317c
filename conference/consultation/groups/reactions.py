"""Invited groups' reactions to changes of the programme, in the same transaction."""

from conference.consultation.groups.models import InvitedGroup
from conference.events import hooks
from conference.events.models import Event
from conference.extensions import db


@hooks.event_copied
def copy_invited_groups(source: Event, copy: Event, **_) -> list[str]:
    """The groups come along to the next cycle's meeting; the people invited do not."""
    db.session.add_all(InvitedGroup(event_id=copy.id, name=group.name, organisation_id=group.organisation_id)
                       for group in source.invited_groups)
    return []
