"""Email bodies as readable, inert markdown for the thread view.

:func:`readable_body` takes a message's ``html_body`` and ``text_body`` and returns markdown
meant for Textual's ``Markdown`` widget:

- HTML goes through markdownify with ``script``/``style``/``head`` (and other non-content
  elements) removed; only the first ``MAX_HTML_CHARS`` characters and 20,000 tags are
  parsed (through the linear tokenizer of :mod:`outreach_tui.core.html_parse`), and a
  longer body says it was truncated;
- every text of the email is markdown-escaped (``escape_misc``): a stranger cannot make a
  link, an image, raw HTML or a heading out of what they wrote;
- links are written ``text <href>``: the real target is always visible, and only http(s) and
  mailto targets become clickable autolinks (others are shown as escaped text);
- images become ``[image: alt]`` (escaped, so they never turn into a link);
- layout tables become plain blocks (cold-email HTML uses them for layout, not data);
- every text node and attribute is sanitized (:mod:`outreach_tui.core.sanitize`) *before*
  it is escaped: HTML entities such as ``&#27;`` decode to real control characters, and
  removing an ``ESC`` after escaping could eat the backslash of an escape (``ESC \\[`` is a
  complete sequence) and bring a live ``[link](target)`` back;
- quoted history is split off (the HTML quote container when there is one, otherwise the
  text rules of :mod:`outreach_tui.core.quoted`);
- an empty HTML body (or one with no text at all) falls back to ``text_body``.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any, Final

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction
from markdownify import ATX, MarkdownConverter

from outreach_tui.core.html_parse import parse_html
from outreach_tui.core.links import Link, extract_links
from outreach_tui.core.quoted import is_quote_element, split_quoted
from outreach_tui.core.sanitize import sanitize_line, sanitize_text

__all__ = ["Link", "ReadableBody", "extract_links", "html_to_markdown", "readable_body"]
__all__ += ["escape_markdown", "split_quoted"]

MAX_HTML_CHARS: Final = 512 * 1024
MAX_OUTPUT_CHARS: Final = 512 * 1024
TRUNCATION_NOTE: Final = "(message truncated: too long to show in full)"

# Elements whose content is never shown as text.
_DROPPED_ELEMENTS: Final = (
    "script",
    "style",
    "head",
    "title",
    "meta",
    "link",
    "base",
    "template",
    "noscript",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "canvas",
    "audio",
    "video",
)
_CLICKABLE_SCHEMES: Final = ("http://", "https://", "mailto:")
_HREF_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f<>\u202a-\u202e\u2066-\u2069\u200e\u200f]")
_BACKSLASH_ESCAPE = re.compile(r"\\(.)")
_BLANK_RUNS = re.compile(r"\n{3,}")


class _EmailConverter(MarkdownConverter):
    """markdownify, with targets always visible and tables treated as layout."""

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        href = _HREF_UNSAFE.sub(_percent_encode, str(el.get("href") or ""))
        shown = text.strip()
        if not href or href.startswith("#"):
            return text
        plain = _BACKSLASH_ESCAPE.sub(r"\1", shown)
        if plain in (href, href.removeprefix("mailto:")):
            return text
        if href.lower().startswith(_CLICKABLE_SCHEMES):
            target = f"<{href}>"
        else:
            target = self.escape(f"<{href}>", parent_tags)
        if not shown:
            return f" {target} "
        return f"{text.rstrip()} {target}{' ' if text.endswith(' ') else ''}"

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        alt = sanitize_line(str(el.get("alt") or ""), 200)
        label = f"image: {alt}" if alt else "image"
        return f"\\[{self.escape(label, parent_tags)}\\]"

    def convert_table(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f"\n\n{text.strip()}\n\n"

    def convert_tr(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f"{text.strip()}\n\n" if text.strip() else ""

    def convert_td(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f" {text.strip()} " if text.strip() else ""

    convert_th = convert_td

    def convert_thead(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return text

    convert_tbody = convert_tfoot = convert_thead


def _percent_encode(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f":
        return ""
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "replace"))


_CONVERTER_OPTIONS: Final[dict[str, Any]] = {
    "escape_misc": True,
    "heading_style": ATX,
    "bullets": "-",
}


def escape_markdown(text: str) -> str:
    """Escape ``text`` so markdown shows it literally (line breaks kept as hard breaks)."""
    escaped = _EmailConverter(**_CONVERTER_OPTIONS).escape(text, set())
    return "\n".join(f"{line}  " if line.strip() else "" for line in escaped.split("\n"))


@dataclass(frozen=True, slots=True)
class ConvertedHtml:
    """Markdown made from an HTML body: the new part, the quoted part, and whether it was cut."""

    markdown: str
    quoted: str
    truncated: bool
    had_controls: bool = False
    had_bidi: bool = False


_NOT_TEXT: Final = (Comment, Declaration, Doctype, ProcessingInstruction)
# markdownify recurses about three frames per level of nesting; deeper bodies are shown as
# plain text instead of risking RecursionError (hostile mail nests thousands deep).
MAX_DEPTH: Final = 120


@dataclass(slots=True)
class _Walk:
    max_depth: int = 0
    had_controls: bool = False
    had_bidi: bool = False
    quote: Tag | None = None


def _prepare(soup: BeautifulSoup) -> _Walk:
    """One pass over the tree: drop non-content elements, sanitize text, find the quote."""
    walk = _Walk()
    drops: list[Tag] = []
    replacements: list[tuple[NavigableString, str]] = []
    stack = [iter(soup.contents)]  # iterative: the tree may be deeper than the recursion limit
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif isinstance(child, Tag):
            if child.name in _DROPPED_ELEMENTS:
                drops.append(child)
                continue
            if walk.quote is None and is_quote_element(child):
                walk.quote = child
            stack.append(iter(child.contents))
            walk.max_depth = max(walk.max_depth, len(stack))
        elif isinstance(child, NavigableString) and not isinstance(child, _NOT_TEXT):
            safe = sanitize_text(str(child), max_chars=MAX_OUTPUT_CHARS)
            if safe.text != child:
                walk.had_controls = walk.had_controls or safe.had_controls
                walk.had_bidi = walk.had_bidi or safe.had_bidi
                replacements.append((child, safe.text))
    for node, text in replacements:
        node.replace_with(NavigableString(text))
    for element in drops:
        element.decompose()
    return walk


def _flat_text(soup: BeautifulSoup) -> str:
    """The text of a tree too deep to convert, escaped so markdown shows it literally."""
    lines = (line.strip() for line in soup.get_text("\n").split("\n"))
    return escape_markdown("\n".join(line for line in lines if line))


def _drop_dangling_quote_markers(markdown: str) -> str:
    """Drop trailing lines made only of blockquote markers (left where the quote split
    cut a blockquote). A `>` ending a line of text is the text's own and stays."""
    lines = markdown.rstrip().split("\n")
    while lines and ">" in lines[-1] and not lines[-1].strip(" \t>"):
        lines.pop()
    return "\n".join(lines).rstrip()


def html_to_markdown(html: str, *, max_chars: int = MAX_HTML_CHARS) -> ConvertedHtml:
    """Convert an HTML body to markdown, split at its quote container when it has one.

    Only the first ``max_chars`` characters are parsed. Text nodes are sanitized before
    they are escaped; the flags say whether anything was removed. A body nested deeper than
    ``MAX_DEPTH`` elements is rendered as plain (escaped) text.
    """
    soup, truncated = parse_html(html, max_chars=max_chars)
    walk = _prepare(soup)
    # A random marker cannot be forged by the email's own text.
    marker = f"\ue000{secrets.token_hex(8)}\ue000"
    if walk.quote is not None:
        walk.quote.insert_before(marker)
    markdown = None
    if walk.max_depth <= MAX_DEPTH:
        try:
            markdown = _EmailConverter(**_CONVERTER_OPTIONS).convert_soup(soup)
        except RecursionError:
            markdown = None
    if markdown is None:
        markdown = _flat_text(soup)
    markdown = _BLANK_RUNS.sub("\n\n", markdown)
    new, _, quoted = markdown.partition(marker)
    new = _drop_dangling_quote_markers(new)
    return ConvertedHtml(new, quoted.strip("\n"), truncated, walk.had_controls, walk.had_bidi)


@dataclass(frozen=True, slots=True)
class ReadableBody:
    """A message body ready for the thread view (markdown, already sanitized)."""

    markdown: str
    quoted: str = ""
    truncated: bool = False
    from_html: bool = False
    had_controls: bool = False
    had_bidi: bool = False


# CommonMark lets a backslash escape any ASCII punctuation; markdownify uses many of them.
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MD_EMPHASIS = re.compile(r"(?<![\w*\\])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_MD_CODE = re.compile(r"`([^`]+)`")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(<?([^)>\s]+)>?\)")
_MD_STRONG = re.compile(r"(\*\*|__)(.+?)\1")


def markdown_to_plain(markdown: str) -> str:
    """The markdown this module makes, as plain text for a terminal or a pipe: escapes
    dropped (`\\--` -> `--`), hard-break spaces trimmed, `**bold**` unmarked, links as
    `text <url>` (or the url alone when it is the text)."""

    def link(match: re.Match[str]) -> str:
        text, url = match.group(1), match.group(2)
        return url if text.strip() in ("", url) else f"{text} <{url}>"

    lines = []
    for line in markdown.splitlines():
        line = _MD_LINK.sub(link, line)
        line = _MD_STRONG.sub(r"\2", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        line = _MD_CODE.sub(r"\1", line)
        lines.append(_MD_ESCAPE.sub(r"\1", line).rstrip())
    return "\n".join(lines)


def readable_body(
    html_body: str | None, text_body: str | None, *, max_chars: int = MAX_HTML_CHARS
) -> ReadableBody:
    """Return the body of a message as inert markdown, with its quoted history split off.

    Uses ``html_body`` when it has any text, else ``text_body``. ``markdown`` is what the
    sender wrote in this message; ``quoted`` is the history (``""`` when none was found).
    """
    if html_body and html_body.strip():
        converted = html_to_markdown(html_body, max_chars=max_chars)
        new, quoted = converted.markdown, converted.quoted
        if not quoted:
            new, quoted = split_quoted(new)
        if new.strip() or quoted.strip():
            body = _finish(new, quoted, converted.truncated, from_html=True)
            return ReadableBody(
                body.markdown,
                body.quoted,
                body.truncated,
                from_html=True,
                had_controls=body.had_controls or converted.had_controls,
                had_bidi=body.had_bidi or converted.had_bidi,
            )
    text = text_body or ""
    truncated = len(text) > max_chars
    clean = sanitize_text(text[:max_chars], max_chars=MAX_OUTPUT_CHARS)
    new, quoted = split_quoted(clean.text)
    body = _finish(escape_markdown(new), escape_markdown(quoted), truncated, from_html=False)
    return ReadableBody(
        body.markdown,
        body.quoted,
        body.truncated,
        from_html=False,
        had_controls=body.had_controls or clean.had_controls,
        had_bidi=body.had_bidi or clean.had_bidi,
    )


def _finish(new: str, quoted: str, truncated: bool, *, from_html: bool) -> ReadableBody:
    safe_new = sanitize_text(new.strip("\n").rstrip(), max_chars=MAX_OUTPUT_CHARS)
    safe_quoted = sanitize_text(quoted.strip("\n").rstrip(), max_chars=MAX_OUTPUT_CHARS)
    truncated = truncated or safe_new.truncated or safe_quoted.truncated
    markdown = safe_new.text
    if truncated:
        note = f"\n\n{TRUNCATION_NOTE}"
        if safe_quoted.text:
            return ReadableBody(
                markdown,
                safe_quoted.text + note,
                True,
                from_html,
                safe_new.had_controls or safe_quoted.had_controls,
                safe_new.had_bidi or safe_quoted.had_bidi,
            )
        markdown += note
    return ReadableBody(
        markdown,
        safe_quoted.text,
        truncated,
        from_html,
        safe_new.had_controls or safe_quoted.had_controls,
        safe_new.had_bidi or safe_quoted.had_bidi,
    )
