"""The rules of meeting photos: re-encoded uploads, caption and credit, takedown requests."""
