"""Photos from a meeting, with caption and credit, and requests to take one down."""
