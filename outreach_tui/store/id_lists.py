"""Long lists of ids in SQL: `WHERE x IN (?, ?, …)` one chunk at a time.

SQLite bounds the parameters of one statement (999 before 3.32, 32,766 after), and a
selection or a sync page can name more ids than that; chunks of 500 stay under either.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

CHUNK = 500

T = TypeVar("T")


def in_chunks(values: Sequence[T]) -> Iterator[tuple[list[T], str]]:
    """Each chunk of at most `CHUNK` values, with its placeholders (`?,?,…`) for `IN (…)`."""
    for start in range(0, len(values), CHUNK):
        chunk = list(values[start : start + CHUNK])
        yield chunk, ",".join("?" * len(chunk))
