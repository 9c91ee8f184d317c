"""Registrations, invitations, waiting list, tickets and check-in."""
