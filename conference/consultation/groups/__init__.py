"""The stakeholder groups and organisations a meeting is for."""
