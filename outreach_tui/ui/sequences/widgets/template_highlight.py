"""What to highlight in a variant template: merge tags, unknown variables, the first error,
and (in a body) tags the server would unwrap.

Pure functions over the text (no widgets): `check_template` reads the template once with
`core.mergetags` (the same validator the server's 422 matches) and `core.html_allowlist`;
`spans_by_line` turns offsets into (row, column) ranges for the editor, splitting spans
that cross lines. Offsets are `str` indexes into the text exactly as it will be submitted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from outreach_tui.core import mergetags
from outreach_tui.core.html_allowlist import DisallowedTag, disallowed_tags
from outreach_tui.core.mergetags import (
    ESCAPE,
    LiteralText,
    LoomTag,
    MergeTagError,
    SpintaxTag,
    VariableTag,
)

# Span kinds; the editor has one component class per kind ("template-area--<kind>").
VARIABLE = "variable"
UNKNOWN = "unknown"
SPINTAX = "spintax"
LOOM = "loom"
ESCAPED = "escape"
ERROR = "error"
HTML = "html"
KINDS: tuple[str, ...] = (VARIABLE, UNKNOWN, SPINTAX, LOOM, ESCAPED, ERROR, HTML)


@dataclass(frozen=True, slots=True)
class Span:
    """`text[start:end]` is shown as `kind`."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class TemplateCheck:
    """Everything the editor shows about one template.

    `error` is the first merge-tag error (the one the server reports); `unknown` lists the
    variables no lead of the campaign has (in order of use; empty while that is not known);
    `disallowed` the tags outside the server's allowlist (bodies only).
    """

    spans: tuple[Span, ...]
    error: MergeTagError | None
    unknown: tuple[str, ...]
    disallowed: tuple[DisallowedTag, ...]


EMPTY_CHECK = TemplateCheck((), None, (), ())


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end == -1 else end


def _error_span(text: str, error: MergeTagError) -> Span:
    """The offending `{{` up to its `}}` when that is on the same line, else to the line's end."""
    line_end = _line_end(text, error.offset)
    close = text.find(mergetags.CLOSE, error.offset + 2, line_end)
    return Span(error.offset, close + 2 if close != -1 else line_end, ERROR)


def _escape_spans(text: str, token: LiteralText) -> Iterable[Span]:
    position = text.find(ESCAPE, token.offset, token.end)
    while position != -1:
        yield Span(position, position + len(ESCAPE), ESCAPED)
        position = text.find(ESCAPE, position + len(ESCAPE), token.end)


def check_template(
    text: str, *, known: frozenset[str] | None = None, html: bool = False
) -> TemplateCheck:
    """Read `text` as a variant template.

    `known` holds the normalized variable names the campaign's leads offer (built-ins
    included); None means "not known yet" and marks nothing unknown. A variable or LOOM
    column outside `known` is marked unknown, fallback or not (a typo hides behind one).
    With `html`, tags outside the allowlist are flagged too.
    """
    error = mergetags.validate(text)
    # Everything before the first error is a valid template on its own (the scanner stops
    # there), so the tags the user already finished stay highlighted while they type.
    tokens = mergetags.parse(text if error is None else text[: error.offset])
    spans: list[Span] = []
    unknown: dict[str, None] = {}
    for token in tokens:
        if isinstance(token, LiteralText):
            spans.extend(_escape_spans(text, token))
        elif isinstance(token, SpintaxTag):
            spans.append(Span(token.offset, token.end, SPINTAX))
        else:
            is_unknown = known is not None and token.key not in known
            if is_unknown:
                unknown.setdefault(token.name if isinstance(token, VariableTag) else token.column)
            kind = UNKNOWN if is_unknown else LOOM if isinstance(token, LoomTag) else VARIABLE
            spans.append(Span(token.offset, token.end, kind))
    if error is not None:
        spans.append(_error_span(text, error))
    disallowed = tuple(disallowed_tags(text)) if html else ()
    for tag in disallowed:
        close = text.find(">", tag.offset, _line_end(text, tag.offset))
        spans.append(Span(tag.offset, close + 1 if close != -1 else tag.offset + 1, HTML))
    return TemplateCheck(tuple(spans), error, tuple(unknown), disallowed)


def spans_by_line(
    lines: list[str], spans: Iterable[Span], newline_length: int = 1
) -> dict[int, list[tuple[int, int, str]]]:
    """Map spans onto `(start_column, end_column, kind)` per line of the joined text.

    `lines` are the text split on its newline (of `newline_length` characters); a span that
    crosses a line break is cut into one piece per line. Empty pieces are dropped.
    """
    starts: list[int] = []
    position = 0
    for line in lines:
        starts.append(position)
        position += len(line) + newline_length
    result: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    row = 0
    for span in sorted(spans, key=lambda s: s.start):
        while row + 1 < len(starts) and starts[row + 1] <= span.start:
            row += 1
        current, start = row, span.start
        while current < len(lines) and start < span.end:
            line_start = starts[current]
            line_stop = line_start + len(lines[current])
            end = min(span.end, line_stop)
            if end > start:
                result[current].append((start - line_start, end - line_start, span.kind))
            current += 1
            if current < len(starts):
                start = max(start, starts[current])
    return dict(result)
