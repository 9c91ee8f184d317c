"""The shared kernel: model base types, time, tokens, users and roles, audit."""
