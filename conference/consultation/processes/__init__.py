"""Consultation processes: the process page, its phases, meetings, documents and news, and the next cycle."""
