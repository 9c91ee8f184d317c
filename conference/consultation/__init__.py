"""Consultation processes and what their meetings add to an event.

processes/  the process page, its phases, documents, news and meetings, and the next cycle
proposals/  agenda proposals and the organisers' answers, published all at once
comments/   written comments on a meeting, their attachments and the published summary
photos/     photos from a meeting and requests to take one down
groups/     the stakeholder groups a meeting is for
"""
