"""The merge-tag grammar: tokens, the scanner, ``validate`` and ``parse`` (the server's rules).

Grammar (the server's 422 rule; the simulator implements it independently):

- Offsets are 0-based indexes into the submitted ``str`` (code points), before any HTML
  normalization.
- ``\\{{`` is an escape: it yields a literal ``{{`` and scanning resumes after those three
  characters. The rule holds inside a tag as well, so ``{{a\\{{b}}`` is one tag.
- Any other ``{{`` opens a tag, closed by the first following ``}}``. The template is
  invalid, with the offset of that opening ``{{``, when no ``}}`` follows; when another
  unescaped ``{{`` comes before the ``}}`` (the error is on the outer ``{{``); when the
  content is empty or whitespace; or when a keyword tag is malformed.
- A ``}}`` that closes nothing, and single braces, are literal text.
- The first error from the left is the one reported.
- Content is split on ``|`` and each part trimmed (``str.strip``). The keywords ``SPINTAX``
  and ``LOOM`` match case-insensitively (``str.lower``, which only folds ASCII onto them):
  ``SPINTAX|opt|…`` needs at least one option (options may be empty); ``LOOM|column[|fallback]``
  needs a non-empty column; anything else is ``name[|fallback]`` with a non-empty name, the
  fallback being everything after the first ``|``, trimmed.

Variable names are normalized before lookup (:func:`normalize_variable_name`), so
``{{First Name}}``, ``{{first_name}}`` and ``{{firstName}}`` all read ``first_name``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

ESCAPE: Final = "\\{{"
OPEN: Final = "{{"
CLOSE: Final = "}}"


@dataclass(frozen=True, slots=True)
class MergeTagError:
    """Why a template is invalid; ``offset`` is the index of the offending ``{{``."""

    offset: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} at offset {self.offset}"


class InvalidTemplate(ValueError):
    """Raised by the functions that need a valid template; carries the MergeTagError."""

    def __init__(self, error: MergeTagError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True, slots=True)
class LiteralText:
    """Plain text, escapes already resolved; ``offset``/``end`` span the source text."""

    text: str
    offset: int
    end: int


@dataclass(frozen=True, slots=True)
class VariableTag:
    """``{{name}}`` or ``{{name|fallback}}``; ``key`` is the normalized name."""

    name: str
    key: str
    fallback: str | None
    offset: int
    end: int


@dataclass(frozen=True, slots=True)
class LoomTag:
    """``{{LOOM|column}}`` or ``{{LOOM|column|fallback}}``; ``key`` is the normalized column."""

    column: str
    key: str
    fallback: str | None
    offset: int
    end: int


@dataclass(frozen=True, slots=True)
class SpintaxTag:
    """``{{SPINTAX|opt1|opt2|…}}``: one option is chosen per lead."""

    options: tuple[str, ...]
    offset: int
    end: int


Token = LiteralText | VariableTag | LoomTag | SpintaxTag

_CAMEL_BOUNDARY = re.compile(r"([a-z0-9])([A-Z])")
_NON_ALNUM_RUN = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=4096)  # the same few keys recur on every lead
def normalize_variable_name(name: str) -> str:
    """Return the lookup key of a variable name: ``"First Name"`` -> ``"first_name"``.

    Inserts ``_`` between a lowercase ASCII letter or digit and a following uppercase ASCII
    letter, lowercases, turns each run of characters outside ``[a-z0-9]`` into one ``_`` and
    strips ``_`` at both ends. Names with no letter or digit normalize to ``""``.
    """
    name = _CAMEL_BOUNDARY.sub(r"\1_\2", name).lower()
    return _NON_ALNUM_RUN.sub("_", name).strip("_")


def _unescape(text: str) -> str:
    return text.replace(ESCAPE, OPEN)


def _tag_from_content(content: str, offset: int, end: int) -> Token | MergeTagError:
    """Interpret the text between ``{{`` and ``}}`` (escapes not yet resolved)."""
    if not content.strip():
        return MergeTagError(offset, "empty_tag", "empty merge tag")
    parts = [part.strip() for part in content.split("|")]
    keyword = parts[0].lower()
    if keyword == "spintax":
        if len(parts) < 2:
            return MergeTagError(offset, "invalid_spintax", "SPINTAX needs at least one option")
        return SpintaxTag(tuple(_unescape(p) for p in parts[1:]), offset, end)
    if keyword == "loom":
        if len(parts) < 2 or not parts[1]:
            return MergeTagError(offset, "invalid_loom", "LOOM needs a column name")
        fallback = _fallback_after(content, 2)
        return LoomTag(parts[1], normalize_variable_name(parts[1]), fallback, offset, end)
    if not parts[0]:
        return MergeTagError(offset, "empty_variable_name", "merge tag without a variable name")
    fallback = _fallback_after(content, 1)
    return VariableTag(parts[0], normalize_variable_name(parts[0]), fallback, offset, end)


def _fallback_after(content: str, separators: int) -> str | None:
    """Everything after the ``separators``-th ``|`` (trimmed), or None when absent."""
    pieces = content.split("|", separators)
    return _unescape(pieces[separators].strip()) if len(pieces) > separators else None


def _scan(text: str) -> tuple[list[Token], MergeTagError | None]:
    """Tokenize ``text`` left to right; stop at the first error."""
    tokens: list[Token] = []
    literal: list[str] = []
    literal_start = 0
    i, n = 0, len(text)

    def flush(upto: int) -> None:
        if literal:
            tokens.append(LiteralText("".join(literal), literal_start, upto))
            literal.clear()

    while i < n:
        # Fast path: copy plain text up to the next character that can matter.
        nxt = _next_special(text, i)
        if nxt > i:
            if not literal:
                literal_start = i
            literal.append(text[i:nxt])
            i = nxt
            continue
        if text.startswith(ESCAPE, i):
            if not literal:
                literal_start = i
            literal.append(OPEN)
            i += 3
            continue
        if text.startswith(OPEN, i):
            found = _find_close(text, i)
            if isinstance(found, MergeTagError):
                return tokens, found
            end = found + 2
            tag = _tag_from_content(text[i + 2 : found], i, end)
            if isinstance(tag, MergeTagError):
                return tokens, tag
            flush(i)
            tokens.append(tag)
            i = end
            continue
        # A lone "{" or "\" that starts nothing.
        if not literal:
            literal_start = i
        literal.append(text[i])
        i += 1
    flush(n)
    return tokens, None


def _next_special(text: str, start: int) -> int:
    """Index of the next ``{`` or ``\\`` at or after ``start`` (len(text) when none)."""
    brace = text.find("{", start)
    backslash = text.find("\\", start)
    candidates = [c for c in (brace, backslash) if c != -1]
    return min(candidates) if candidates else len(text)


def _find_close(text: str, open_at: int) -> int | MergeTagError:
    """Return the index of the ``}}`` closing the tag opened at ``open_at``, or the error."""
    close = text.find(CLOSE, open_at + 2)
    if close == -1:
        return MergeTagError(open_at, "unclosed_tag", "merge tag opened with {{ is never closed")
    j = open_at + 2
    while (k := text.find(OPEN, j, close)) != -1:
        # A backslash right before it makes it an escape; the braces open nothing and the
        # search resumes after them (as left-to-right scanning would).
        if text[k - 1] != "\\":
            return MergeTagError(open_at, "nested_tag", "{{ opened again before the tag closed")
        j = k + 2
    return close


def validate(text: str) -> MergeTagError | None:
    """Return None for a valid template, else the first error (its ``.offset`` is the server's)."""
    return _scan(text)[1]


def parse(text: str) -> list[Token]:
    """Return the tokens of a valid template. Raises InvalidTemplate on the first error."""
    tokens, error = _scan(text)
    if error is not None:
        raise InvalidTemplate(error)
    return tokens
