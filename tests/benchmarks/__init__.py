"""Benchmarks: scripts that print a table (`make bench`), never tests that fail on a time."""
