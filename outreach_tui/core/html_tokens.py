"""A linear-time HTML tokenizer for untrusted markup, and a canonical re-serialization.

Why not feed strangers' HTML straight to ``html.parser``: on the Python of this project
(3.11.7) it is quadratic on unterminated constructs (``'<a b="' * 20000``, 120 KB, took
91 s to parse; ``'<!--' * 20000`` 10 s; CVE-2025-6069 was fixed in later patch releases),
and BeautifulSoup's html.parser builder adds its own quadratic step for void elements written
without a slash (40,000 ``<br><b>x</b>`` took 24 s).

:func:`tokenize` reads the markup once, left to right, the way the HTML tokenizer does in
spirit: every ``find`` either consumes what it scanned or ends the document (a construct
left open at the end swallows the rest, as in a browser), so the work is linear.
:func:`canonical_html` writes the tokens (at most ``MAX_TAGS`` tags) back as markup that
``html.parser`` can only read one way: well-formed tags with double-quoted, escaped
attributes, void elements self-closed, comments / doctypes / processing instructions /
``script`` / ``style`` removed, tags with odd names dropped, end tags that close nothing
dropped, stray ``<`` escaped, and nesting capped at ``MAX_NESTING`` open elements (deeper
start tags are dropped, their content kept), which also keeps markdownify's recursion
shallow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

VOID_ELEMENTS: Final = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
RAW_TEXT_ELEMENTS: Final = frozenset({"script", "style"})
MAX_NESTING: Final = 100
# Parsing and converting cost about 50 µs per tag; dense hostile markup of 512 KB holds
# ~90,000 tags (5 s). A real newsletter holds a few thousand.
MAX_TAGS: Final = 20_000

_TAG_START = re.compile(r"<(/?)([a-zA-Z][^\t\n\f\r />]*)")
_WHITESPACE = re.compile(r"[\t\n\f\r ]*")
_ATTRIBUTE_NAME = re.compile(r"[^\t\n\f\r />][^\t\n\f\r />=]*")
_UNQUOTED_VALUE = re.compile(r"[^\t\n\f\r >]*")
_SAFE_NAME = re.compile(r"[a-z][a-z0-9_:.-]*")


@dataclass(frozen=True, slots=True)
class TextToken:
    """Character data as written (entities not decoded)."""

    text: str
    offset: int


@dataclass(frozen=True, slots=True)
class TagToken:
    """A start or end tag; ``name`` is lowercase, attribute values are raw (entities kept)."""

    name: str
    offset: int
    closing: bool = False
    self_closing: bool = False
    attributes: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class RawTextToken:
    """The content of a ``script`` or ``style`` element, never parsed as markup."""

    text: str
    offset: int


Token = TextToken | TagToken | RawTextToken


class _Unterminated(Exception):
    """The document ends inside a construct."""


def _skip_whitespace(html: str, position: int) -> int:
    return _WHITESPACE.match(html, position).end()  # type: ignore[union-attr]


def _read_tag(html: str, start: int, match: re.Match[str]) -> tuple[TagToken, int]:
    """Read the tag whose name ``match`` matched; return it and the position after ``>``."""
    n = len(html)
    position = match.end()
    attributes: list[tuple[str, str | None]] = []
    self_closing = False
    while True:
        position = _skip_whitespace(html, position)
        if position >= n:
            raise _Unterminated
        char = html[position]
        if char == ">":
            position += 1
            break
        if char == "/":
            if html.startswith("/>", position):
                self_closing = True
                position += 2
                break
            position += 1
            continue
        name_match = _ATTRIBUTE_NAME.match(html, position)
        assert name_match is not None  # any char but whitespace, "/" and ">" starts a name
        name, position = name_match.group().lower(), name_match.end()
        value: str | None = None
        after_name = _skip_whitespace(html, position)
        if after_name < n and html[after_name] == "=":
            position = _skip_whitespace(html, after_name + 1)
            if position >= n:
                raise _Unterminated
            quote = html[position]
            if quote in "\"'":
                end = html.find(quote, position + 1)
                if end == -1:
                    raise _Unterminated
                value, position = html[position + 1 : end], end + 1
            else:
                value_match = _UNQUOTED_VALUE.match(html, position)
                assert value_match is not None  # the pattern matches the empty string
                value, position = value_match.group(), value_match.end()
        attributes.append((name, value))
    token = TagToken(
        match.group(2).lower(), start, match.group(1) == "/", self_closing, tuple(attributes)
    )
    return token, position


def tokenize(html: str) -> Iterator[Token]:
    """Yield the tokens of ``html`` in order; comments, doctypes and PIs yield nothing.

    A construct left open at the end of the document (tag, comment, quoted attribute,
    ``script`` without its end tag) ends the token stream.
    """
    position, n = 0, len(html)
    while position < n:
        lt = html.find("<", position)
        if lt == -1:
            yield TextToken(html[position:], position)
            return
        if lt > position:
            yield TextToken(html[position:lt], position)
        match = _TAG_START.match(html, lt)
        try:
            if match is not None:
                tag, position = _read_tag(html, lt, match)
                yield tag
                if tag.name in RAW_TEXT_ELEMENTS and not tag.closing and not tag.self_closing:
                    end = re.compile(rf"</{tag.name}[\t\n\f\r />]", re.IGNORECASE).search(
                        html, position
                    )
                    if end is None:
                        yield RawTextToken(html[position:], position)
                        return
                    yield RawTextToken(html[position : end.start()], position)
                    position = end.start()
                continue
            if html.startswith("<!--", lt):
                end = html.find("-->", lt + 2)  # "<!-->" is an empty comment
                if end == -1:
                    raise _Unterminated
                position = end + 3
                continue
            if html.startswith(("<!", "<?", "</"), lt):  # bogus comment up to the next ">"
                end = html.find(">", lt + 2)
                if end == -1:
                    raise _Unterminated
                position = end + 1
                continue
        except _Unterminated:
            return
        yield TextToken("<", lt)
        position = lt + 1


def _escape_text(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    # "&" is kept: entities in values stay entities (html.parser decodes them).
    return value.replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _start_tag(tag: TagToken, self_close: bool) -> str:
    parts = [tag.name]
    for name, value in tag.attributes:
        if not _SAFE_NAME.fullmatch(name):
            continue
        parts.append(name if value is None else f'{name}="{_escape_attribute(value)}"')
    return f"<{' '.join(parts)}{' /' if self_close else ''}>"


def canonical_html(html: str, *, max_tags: int = MAX_TAGS) -> tuple[str, bool]:
    """Return ``html`` re-serialized so ``html.parser`` reads it in linear time.

    Stops after ``max_tags`` tags (stray ``<`` count as tags); the flag says whether it
    stopped early.
    """
    out: list[str] = []
    open_elements: list[str] = []
    tags = 0
    for token in tokenize(html):
        # A stray "<" costs as much downstream as a tag (html.parser sees "&lt;").
        if isinstance(token, TagToken) or (isinstance(token, TextToken) and token.text == "<"):
            tags += 1
            if tags > max_tags:
                return "".join(out), True
        if isinstance(token, TextToken):
            out.append(_escape_text(token.text))
        elif isinstance(token, RawTextToken):
            continue
        elif not _SAFE_NAME.fullmatch(token.name):
            continue  # "<a<b>" and the like: drop the tag, keep what follows
        elif token.name in RAW_TEXT_ELEMENTS:
            continue  # their content came as a RawTextToken, skipped above
        elif token.closing:
            if token.name in open_elements:
                while open_elements and open_elements.pop() != token.name:
                    pass
                out.append(f"</{token.name}>")
        elif token.name in VOID_ELEMENTS:
            out.append(_start_tag(token, self_close=True))
        elif token.self_closing:  # "<div/>": an empty element
            out.append(f"{_start_tag(token, self_close=False)}</{token.name}>")
        elif len(open_elements) < MAX_NESTING:
            open_elements.append(token.name)
            out.append(_start_tag(token, self_close=False))
    return "".join(out), False
