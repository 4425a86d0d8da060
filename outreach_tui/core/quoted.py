"""Find where the quoted history of a reply starts, so the thread view can collapse it.

In text (a plain body, or the markdown made from an HTML body) the history starts at the
first of:

- an attribution line: ``On … wrote:`` (also split over two lines, as Gmail wraps it) and
  its French, German, Spanish, Dutch, Portuguese and Italian forms;
- a separator: ``-----Original Message-----``, ``----- Forwarded message -----``, or an
  underscore rule followed by a ``From:`` line (Outlook);
- an Outlook header block: a ``From:`` line followed within three lines by ``Sent:``/``Date:``;
- a trailing run of ``>`` lines: only when every non-blank line from there on is quoted
  (replies written between quoted lines are not hidden).

When nothing new would remain (a forward, a bare quote) the text is not split at all. In
HTML, :func:`find_quote_element` locates the container (Gmail ``gmail_quote``, Apple/
Thunderbird ``blockquote type=cite``, Outlook ``divRplyFwdMsg``, Yahoo ``yahoo_quoted``);
a plain ``<blockquote>`` becomes ``>`` lines and is judged by the text rules.
"""

from __future__ import annotations

import re
from typing import Final

from bs4 import BeautifulSoup, Tag

_ATTRIBUTION_START = re.compile(r"^(on|le|am|el|op|em|il)\s.{0,300}$", re.IGNORECASE)
# German puts the name after the verb: "Am 03.03.2025 schrieb Bob <bob@x.example>:"
_ATTRIBUTION_END = re.compile(
    r"(wrote|a écrit|schrieb|escribió|schreef|escreveu|ha scritto)\b[^:]{0,200}:\s*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(original message|forwarded message|message d'origine|"
    r"ursprüngliche nachricht|mensaje original)\s*-{2,})\s*$",
    re.IGNORECASE,
)
_UNDERSCORE_RULE = re.compile(r"^\s*_{10,}\s*$")
_HEADER_FROM = re.compile(r"^\s*\**(from|von|de)\**\s*:", re.IGNORECASE)
_HEADER_SENT = re.compile(r"^\s*\**(sent|date|gesendet|envoyé|enviado)\**\s*:", re.IGNORECASE)
# Markdown made from HTML escapes a literal ">" as "\>".
_QUOTE_LINE = re.compile(r"^\s*\\?>")

_QUOTE_CLASSES: Final = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote")
_QUOTE_IDS: Final = ("divRplyFwdMsg", "appendonsend", "OLK_SRC_BODY_SECTION")


def _is_attribution(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    if not _ATTRIBUTION_START.match(line):
        return False
    if _ATTRIBUTION_END.search(line):
        return True
    # Gmail wraps long attributions: "On Mon, … <a@b.example>\nwrote:"
    return i + 1 < len(lines) and _ATTRIBUTION_END.match(lines[i + 1].strip()) is not None


def _is_header_block(lines: list[str], i: int) -> bool:
    if not _HEADER_FROM.match(lines[i]):
        return False
    return any(_HEADER_SENT.match(line) for line in lines[i + 1 : i + 4])


def _trailing_quote_start(lines: list[str]) -> int | None:
    start = None
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line.strip():
            continue
        if _QUOTE_LINE.match(line):
            start = i
        else:
            break
    return start


def quote_start_line(lines: list[str]) -> int | None:
    """Return the index of the line where quoted history starts, or None."""
    for i, line in enumerate(lines):
        if (
            _SEPARATOR.match(line)
            or (
                _UNDERSCORE_RULE.match(line)
                and i + 1 < len(lines)
                and _HEADER_FROM.match(lines[i + 1])
            )
            or _is_attribution(lines, i)
            or _is_header_block(lines, i)
        ):
            trailing = _trailing_quote_start(lines[:i])
            return i if trailing is None else trailing
    return _trailing_quote_start(lines)


def split_quoted(text: str) -> tuple[str, str]:
    """Return ``(new, quoted)``: the text written in this message and the history below it.

    ``quoted`` is ``""`` when no history is found or when splitting would leave nothing new.
    """
    lines = text.split("\n")
    start = quote_start_line(lines)
    if start is None:
        return text, ""
    new = "\n".join(lines[:start]).rstrip()
    if not new.strip():
        return text, ""
    return new, "\n".join(lines[start:]).strip("\n")


def is_quote_element(element: Tag) -> bool:
    """True for an HTML element that holds quoted history (by class, id or cite type)."""
    classes = element.get("class") or []
    if any(name in classes for name in _QUOTE_CLASSES) or element.get("id") in _QUOTE_IDS:
        return True
    # Other blockquotes become "> " lines and are judged by the text rules.
    return element.name == "blockquote" and element.get("type") == "cite"


def find_quote_element(soup: BeautifulSoup) -> Tag | None:
    """Return the first element of an HTML body that holds quoted history, or None."""
    for element in soup.find_all(True):
        if is_quote_element(element):
            return element
    return None
