"""Organiser accounts: administrators create users and grant roles on events."""
