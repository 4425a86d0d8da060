"""Printing for the CLI: JSON and CSV with the API's field names, aligned text tables.

Everything that came from the server passes through `safe` before it reaches a terminal:
escape sequences and bidi overrides in an email subject must not paint the screen. JSON
output is ASCII-escaped, so it carries no raw control character either.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from outreach_tui.core.sanitize import sanitize_line


def safe(value: Any, width: int = 200) -> str:
    """One printable line for a value from outside."""
    return sanitize_line("" if value is None else str(value), max_chars=width)


def print_json(value: Any) -> None:
    """Print JSON (ASCII-escaped, so no raw control character reaches the terminal)."""
    print(json.dumps(value, indent=2, ensure_ascii=True))


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"stats": {"sent": 1}}` -> `{"stats.sent": 1}` (lists become JSON text)."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            flat[name] = json.dumps(value, ensure_ascii=True)
        else:
            flat[name] = value
    return flat


def print_csv(records: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> None:
    """Print records as CSV with dotted column names; text cells are made safe."""
    rows = [flatten(r) for r in records]
    if columns is None:
        columns = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                safe(row.get(c), 10_000) if isinstance(row.get(c), str) else row.get(c)
                for c in columns
            ]
        )


def print_table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> None:
    """Print an aligned table; the last column takes what is left of the line."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    for line in [headers, *rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(line[:-1])]
        print("  ".join([*cells, line[-1]]).rstrip())
