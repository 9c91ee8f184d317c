"""Agenda proposals of a process: sent by organisations, confirmed by e-mail, answered all at once."""
