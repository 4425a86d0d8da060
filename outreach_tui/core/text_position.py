"""Offsets in a string <-> (line, column) places, for markers in editors."""

from __future__ import annotations

import bisect


def line_starts(text: str) -> list[int]:
    """Return the offset at which each line of ``text`` starts (lines end at ``\\n``)."""
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def offset_to_location(text: str, offset: int) -> tuple[int, int]:
    """Return the 0-based (line, column) of ``offset`` in ``text`` (clamped into the text)."""
    offset = max(0, min(offset, len(text)))
    starts = line_starts(text)
    line = bisect.bisect_right(starts, offset) - 1
    return line, offset - starts[line]


def location_to_offset(text: str, line: int, column: int) -> int:
    """Return the offset of a 0-based (line, column) place (clamped into the text)."""
    starts = line_starts(text)
    line = max(0, min(line, len(starts) - 1))
    end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
    return min(starts[line] + max(0, column), end)
