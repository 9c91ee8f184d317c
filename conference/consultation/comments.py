"""The rules of written feedback on a meeting: who may comment, until when, attachments, the summary."""
