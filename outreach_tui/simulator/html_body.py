"""Variant body HTML: the allowlist normalizer, the derived plain text, the unsubscribe link.

Choices where the reference only says "normalized server-side":
- Allowed tags are `<b> <i> <u> <a> <img>` (lower-cased). Every other tag is unwrapped: its
  tags go, its text stays (even inside `<script>`, where it is harmless plain text once the
  tag is gone). Void tags such as `<br>` therefore vanish. Comments and doctypes go.
- Attributes kept: `href` on `<a>`, `src` and `alt` on `<img>`; every other attribute is
  dropped, and so is an `href`/`src` whose scheme is `javascript:` or `vbscript:` (checked
  after removing whitespace and control characters, as browsers do).
- Output is well formed: text and attribute values are re-escaped, unclosed allowed tags
  are closed at the end, stray end tags are dropped.
- `body_text` is the text content with entities decoded; a link whose target differs from
  its text reads `text (href)`, an image reads as its alt text.
- The unsubscribe block added while a campaign's `unsubscribe_option` is on is
  `<a href="{{unsubscribe_url}}">Unsubscribe</a>`, separated from the body by a blank line.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "b": frozenset(),
    "i": frozenset(),
    "u": frozenset(),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt"}),
}
_VOID_TAGS = frozenset({"img"})
_URL_ATTRIBUTES = frozenset({"href", "src"})
_BAD_SCHEMES = ("javascript:", "vbscript:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def _is_dangerous_url(value: str) -> bool:
    compact = _INVISIBLE.sub("", value).lower()
    return compact.startswith(_BAD_SCHEMES)


class _Normalizer(HTMLParser):
    """Streams allowed markup into `parts`; everything else becomes text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_ATTRIBUTES:
            return
        kept = []
        for name, value in attrs:
            if name not in _ALLOWED_ATTRIBUTES[tag] or value is None:
                continue
            if name in _URL_ATTRIBUTES and _is_dangerous_url(value):
                continue
            if any(existing == name for existing, _ in kept):
                continue  # the first occurrence wins, as in browsers
            kept.append((name, value))
        rendered = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in kept)
        self.parts.append(f"<{tag}{rendered}>")
        if tag not in _VOID_TAGS:
            self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _ALLOWED_ATTRIBUTES and tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.open_tags:
            return
        # close everything opened after it, so the output nests properly
        while self.open_tags:
            current = self.open_tags.pop()
            self.parts.append(f"</{current}>")
            if current == tag:
                break

    def handle_data(self, data: str) -> None:
        self.parts.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        while self.open_tags:
            self.parts.append(f"</{self.open_tags.pop()}>")
        return "".join(self.parts)


def normalize_body_html(body: str) -> str:
    """Return `body` reduced to the allowlist, well formed and re-escaped."""
    normalizer = _Normalizer()
    normalizer.feed(body)
    return normalizer.result()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a":
            self.links.append((values.get("href") or "", len(self.parts)))
        elif tag == "img" and values.get("alt"):
            self.parts.append(values["alt"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href, start = self.links.pop()
            text = "".join(self.parts[start:])
            if href and href != text.strip():
                self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def body_text_from_html(body_html: str) -> str:
    """The plain-text version of a normalized variant body."""
    extractor = _TextExtractor()
    extractor.feed(body_html)
    extractor.close()
    return "".join(extractor.parts)


_BLOCK_BREAK = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h[1-6]|/blockquote)\b[^>]*>", re.IGNORECASE)
_QUOTE_START = re.compile(r"<\s*blockquote\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_BLANK_LINES = re.compile(r"\n{3,}")


def email_text_from_html(body_html: str) -> str:
    """A rough plain-text rendering of an email body (line breaks kept, tags dropped)."""
    text = _BLOCK_BREAK.sub("\n", body_html)
    text = _QUOTE_START.sub("\n> ", text)
    text = _ANY_TAG.sub("", text)
    return _BLANK_LINES.sub("\n\n", html.unescape(text)).strip()


UNSUBSCRIBE_BLOCK = '<a href="{{unsubscribe_url}}">Unsubscribe</a>'
_UNSUBSCRIBE_LINK = re.compile(r'<a href="\{\{\s*unsubscribe_?url\s*\}\}">', re.IGNORECASE)
_UNSUBSCRIBE_ELEMENT = re.compile(
    r'(?:\n\n)?<a href="\{\{\s*unsubscribe_?url\s*\}\}">.*?</a>', re.IGNORECASE | re.DOTALL
)


def has_unsubscribe_link(body_html: str | None) -> bool:
    """Whether a normalized body links to `{{unsubscribe_url}}`."""
    return bool(body_html) and _UNSUBSCRIBE_LINK.search(body_html or "") is not None


def with_unsubscribe_link(body_html: str | None) -> str:
    """The body with the unsubscribe block appended unless it already has the link."""
    if has_unsubscribe_link(body_html):
        return body_html or ""
    if not body_html:
        return UNSUBSCRIBE_BLOCK
    return f"{body_html}\n\n{UNSUBSCRIBE_BLOCK}"


def without_unsubscribe_link(body_html: str | None) -> str | None:
    """The body with every unsubscribe link element removed (None stays None)."""
    if body_html is None:
        return None
    return _UNSUBSCRIBE_ELEMENT.sub("", body_html)
