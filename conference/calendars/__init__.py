"""iCalendar: invitations (iTIP in iMIP mail), feeds and schedule exports."""
