"""Outgoing e-mail: queued in the caller's transaction, delivered by a worker after the commit."""
