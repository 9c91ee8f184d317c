"""Written feedback on a meeting: the window that takes comments, the comments and their attachments, the summary."""
