"""Plain text typed by the user -> the HTML `content` the API expects for replies."""

from __future__ import annotations

import html


def text_to_html(text: str) -> str:
    """Escape `text` and keep its shape: blank lines separate paragraphs, newlines break.

    Nothing typed is ever interpreted as markup: `<b>` stays the four characters.
    """
    paragraphs = [p for p in text.replace("\r\n", "\n").strip().split("\n\n") if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.strip("\n").split("\n")) + "</p>"
        for p in paragraphs
    )
