"""Merge tags: validation exactly as the server does it, parsing, and rendering for one lead.

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

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

ESCAPE: Final = "\\{{"
OPEN: Final = "{{"
CLOSE: Final = "}}"
UNSUBSCRIBE_URL: Final = "unsubscribe_url"
BUILT_IN_VARIABLES: Final = (
    "first_name",
    "last_name",
    "email",
    "full_name",
    "contact",
    "company",
    UNSUBSCRIBE_URL,
)


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


def variables_used(text: str) -> list[str]:
    """Return the normalized keys a template reads (variables and LOOM columns), in order."""
    seen: dict[str, None] = {}
    for token in parse(text):
        if isinstance(token, VariableTag | LoomTag):
            seen.setdefault(token.key, None)
    return list(seen)


def spintax_combinations(text: str) -> int:
    """Return how many distinct spintax choices a template allows (1 without spintax)."""
    return math.prod(
        len(set(token.options)) for token in parse(text) if isinstance(token, SpintaxTag)
    )


def choose_option(options: tuple[str, ...], *, seed_key: str, ordinal: int) -> str:
    """Pick one option deterministically from ``seed_key`` (e.g. the lead id).

    ``ordinal`` is the index of the spintax tag among the template's spintax tags, so two
    tags with the same options may choose differently. Uses blake2b: stable across runs,
    unlike Python's salted ``hash()``.
    """
    material = "\x1f".join((seed_key, str(ordinal), *options)).encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(material, digest_size=8).digest()
    return options[int.from_bytes(digest, "big") % len(options)]


@dataclass(frozen=True, slots=True)
class RenderResult:
    """A rendered template and the variables it needed but the lead lacked (no fallback)."""

    text: str
    missing: tuple[str, ...]


def _normalized(variables: Mapping[str, str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, value in variables.items():
        # An exact normalized key wins over a key that only normalizes to it.
        norm = normalize_variable_name(key)
        if norm not in result or key == norm:
            result[norm] = "" if value is None else str(value)
    return result


def render_report(
    template: str,
    variables: Mapping[str, str],
    *,
    seed_key: str,
    unsubscribe_url: str | None = None,
) -> RenderResult:
    """Fill ``template`` for one lead and report the missing variables.

    ``variables`` may use any spelling of the keys (they are normalized). A missing or
    empty value uses the tag's fallback; without one it renders as ``""`` and its key is
    listed in ``missing``. ``unsubscribe_url`` (from the campaign) overrides any variable of
    that name. Values are inserted as they are: they are never parsed as merge tags.
    Raises InvalidTemplate for an invalid template.
    """
    values = _normalized(variables)
    if unsubscribe_url is not None:
        values[UNSUBSCRIBE_URL] = unsubscribe_url
    out: list[str] = []
    missing: dict[str, None] = {}
    ordinal = 0
    for token in parse(template):
        if isinstance(token, LiteralText):
            out.append(token.text)
        elif isinstance(token, SpintaxTag):
            out.append(choose_option(token.options, seed_key=seed_key, ordinal=ordinal))
            ordinal += 1
        else:
            value = values.get(token.key, "")
            if value:
                out.append(value)
            elif token.fallback is not None:
                out.append(token.fallback)
            else:
                missing.setdefault(token.key, None)
    return RenderResult("".join(out), tuple(missing))


def render(
    template: str,
    variables: Mapping[str, str],
    *,
    seed_key: str,
    unsubscribe_url: str | None = None,
) -> str:
    """Return ``template`` filled for one lead (see :func:`render_report`)."""
    return render_report(
        template, variables, seed_key=seed_key, unsubscribe_url=unsubscribe_url
    ).text


def lead_variables(
    *,
    email: str,
    first_name: str | None = None,
    last_name: str | None = None,
    variables: Mapping[str, object] | None = None,
) -> dict[str, str]:
    """Return every variable a lead offers to templates, under normalized keys.

    Built-ins (reference): ``first_name``, ``last_name``, ``email``, ``full_name`` (first
    and last joined by a space) and ``contact`` (not defined by the reference: we use the
    full name, or the email when the lead has no name). Custom ``variables`` (``company``…)
    are added under normalized keys; a non-empty built-in wins over a custom variable with
    the same key. Non-string values are converted with ``str`` (None becomes ``""``).
    """
    result = _normalized(
        {str(k): "" if v is None else str(v) for k, v in (variables or {}).items()}
    )
    first, last = (first_name or "").strip(), (last_name or "").strip()
    full = " ".join(part for part in (first, last) if part)
    built_ins = {
        "first_name": first,
        "last_name": last,
        "email": email,
        "full_name": full,
        "contact": full or email,
    }
    for key, value in built_ins.items():
        if value or key not in result:
            result[key] = value
    return result


def missing_variables_report(
    templates: str | Iterable[str], leads: Iterable[Mapping[str, str]]
) -> dict[str, int]:
    """Count, for each variable used without a fallback, the leads that lack it.

    ``templates`` is one template or several (subject and body); each lead is a mapping of
    its variables (see :func:`lead_variables`). ``unsubscribe_url`` comes from the campaign,
    not the lead, and is never reported. Keys come in order of first use; a key is present
    (possibly with 0) whenever a template uses it without a fallback.
    Raises InvalidTemplate when a template is invalid.
    """
    if isinstance(templates, str):
        templates = [templates]
    needed: dict[str, None] = {}
    for template in templates:
        for token in parse(template):
            if (
                isinstance(token, VariableTag | LoomTag)
                and token.fallback is None
                and token.key != UNSUBSCRIBE_URL
            ):
                needed.setdefault(token.key, None)
    counts = dict.fromkeys(needed, 0)
    if not counts:
        return counts
    for lead in leads:
        values = _normalized(lead)
        for key in counts:
            if not values.get(key):
                counts[key] += 1
    return counts
