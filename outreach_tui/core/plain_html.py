"""Plain text typed by the user <-> the HTML `content` the API expects for replies.

`html_to_text` is the way back for HTML this app wrote (`text_to_html`'s paragraphs and
breaks): a light, fast conversion for snippets, search and previews, not a reader for
the HTML of strangers' emails (that is `html_text`).
"""

from __future__ import annotations

import html
import re

_TAGS = re.compile(r"<[^>]*>")
_BREAKS = re.compile(r"<\s*(br|/p|/div)\s*/?\s*>", re.IGNORECASE)


def text_to_html(text: str) -> str:
    """Escape `text` and keep its shape: blank lines separate paragraphs, newlines break.

    Nothing typed is ever interpreted as markup: `<b>` stays the four characters.
    """
    paragraphs = [p for p in text.replace("\r\n", "\n").strip().split("\n\n") if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.strip("\n").split("\n")) + "</p>"
        for p in paragraphs
    )


def html_to_text(content: str) -> str:
    """The text of reply HTML: breaks and paragraph ends become newlines, tags go,
    entities are decoded."""
    return html.unescape(_TAGS.sub("", _BREAKS.sub("\n", content))).strip()
