"""Merge-tag grammar of variant subjects and bodies: validation and variable-name matching.

The simulator's own implementation of the grammar (core/mergetags is the client's; the two
are compared by a property test through HTTP, so this module follows the written grammar
to the letter rather than sharing code):

- Offsets are 0-based indexes into the submitted `str` (code points), before any HTML
  normalization.
- A backslash immediately followed by `{{` is an escape: a literal `{{`; scanning resumes
  after those three characters.
- Any other `{{` opens a tag that closes at the first `}}` after it. The template is invalid,
  at the offset of that opening `{{`, when there is no `}}`; when another unescaped `{{`
  opens before that `}}` (the error is on the outer one); when the content is empty or
  whitespace only; or when a keyword tag is malformed.
- A `}}` that closes nothing, and single braces, are literal text.
- Content is split on `|` and each part trimmed (`str.strip`): `SPINTAX|a|b...` (keyword
  matched case-insensitively with `str.lower`, so only ASCII spellings) needs at least one
  `|`; `LOOM|column|fallback` needs a non-empty column (extra `|` parts are accepted as
  part of the fallback); anything else is `name` or `name|fallback` with a non-empty
  trimmed name (the name is not required to survive normalization).
"""

from __future__ import annotations

import re

_ESCAPE = "\\{{"
_OPEN = "{{"
_CLOSE = "}}"


def merge_tag_error_offset(text: str) -> int | None:
    """Return the offset of the first invalid merge tag in `text`, or None when valid."""
    position = 0
    length = len(text)
    while position < length:
        if text.startswith(_ESCAPE, position):
            position += len(_ESCAPE)
            continue
        if not text.startswith(_OPEN, position):
            position += 1
            continue
        close = text.find(_CLOSE, position + 2)
        if close == -1 or _opens_a_tag_between(text, position + 2, close):
            return position
        if not _content_is_valid(text[position + 2 : close]):
            return position
        position = close + len(_CLOSE)
    return None


def _opens_a_tag_between(text: str, start: int, end: int) -> bool:
    """Whether an unescaped `{{` starts in text[start:end], scanning as the main loop does."""
    position = start
    while position < end:
        if text.startswith(_ESCAPE, position):
            position += len(_ESCAPE)
        elif text.startswith(_OPEN, position):
            return True
        else:
            position += 1
    return False


def _content_is_valid(content: str) -> bool:
    if not content.strip():
        return False
    parts = [part.strip() for part in content.split("|")]
    keyword = parts[0].lower()
    if keyword == "spintax":
        return len(parts) >= 2
    if keyword == "loom":
        return len(parts) >= 2 and parts[1] != ""
    return parts[0] != ""


_CAMEL_BOUNDARY = re.compile(r"([a-z0-9])([A-Z])")
_NOT_NAME = re.compile(r"[^a-z0-9]+")


def normalize_variable_name(name: str) -> str:
    """Normalize a variable name so `First Name`, `first_name` and `firstName` match."""
    spaced = _CAMEL_BOUNDARY.sub(r"\1_\2", name).lower()
    return _NOT_NAME.sub("_", spaced).strip("_")
