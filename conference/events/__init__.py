"""The programme: series, events, stages, sessions, people, organisations."""
