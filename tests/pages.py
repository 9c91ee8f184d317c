"""Reading pages as a person does: the visible text, with inline tags removed and blocks separated."""

import re

INLINE_TAGS = re.compile(r"</?(?:a|time|span|strong|em|abbr|code)\b[^>]*>")
OTHER_TAGS = re.compile(r"<[^>]+>")


def text_of(response_or_html) -> str:
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = OTHER_TAGS.sub(" ", INLINE_TAGS.sub("", html))
    return re.sub(r"\s+", " ", html)
