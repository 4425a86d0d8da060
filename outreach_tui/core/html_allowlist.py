"""Which tags of a variant body the server will unwrap (it keeps only b, i, u, a and img).

The editor flags them before saving, so nobody is surprised that ``<p>`` or ``<br>`` lines
were merged by the server. Only opening (and self-closing) tags are reported; their end
tags go with them. Offsets are indexes of the tag's ``<`` in the submitted ``str``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Final

from outreach_tui.core.text_position import line_starts

ALLOWED_TAGS: Final[frozenset[str]] = frozenset({"b", "i", "u", "a", "img"})


@dataclass(frozen=True, slots=True)
class DisallowedTag:
    """A tag outside the allowlist: its lowercase name and the offset of its ``<``."""

    tag: str
    offset: int


class _TagCollector(HTMLParser):
    def __init__(self, line_starts: list[int]) -> None:
        super().__init__(convert_charrefs=True)
        self._line_starts = line_starts
        self.found: list[DisallowedTag] = []

    def _offset(self) -> int:
        line, column = self.getpos()  # 1-based line, 0-based column, lines split on "\n"
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.found.append(DisallowedTag(tag, self._offset()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def disallowed_tags(html: str) -> list[DisallowedTag]:
    """Return every opening tag of ``html`` outside the allowlist, in document order."""
    if "<" not in html:
        return []
    collector = _TagCollector(line_starts(html))
    collector.feed(html)
    collector.close()
    return collector.found
