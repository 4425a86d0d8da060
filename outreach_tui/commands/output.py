"""Printing for the CLI: JSON and CSV with the API's field names, aligned text tables.

Everything that came from the server passes through `safe` before it reaches a terminal:
escape sequences and bidi overrides in an email subject must not paint the screen. JSON
output is ASCII-escaped, so it carries no raw control character either. Every CSV cell
passes through `csv_cell`, which also keeps a spreadsheet from reading a name as a formula.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from outreach_tui.core.sanitize import sanitize_line

CSV_CELL_CHARS = 10_000
# What makes Excel / LibreOffice / Sheets evaluate a cell (OWASP "CSV injection"): = + - @
# start a formula; a leading tab or CR can hide one from a reader and is dropped on import.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number (-12, -3.5, 1e-05) starts with "-" yet is data, not a formula: kept as is
# so the column still sums. ASCII digits only; "-2+3" or "-1)" do not match.
_PLAIN_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII)


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


def csv_cell(value: Any) -> str:
    """One CSV cell: a printable line that no spreadsheet will run as a formula.

    A cell starting with = + - @ TAB or CR that is not a plain number gets a leading "'"
    (the OWASP rule; spreadsheets show the text, not its result). The test looks at the raw
    value and at the cleaned one: `safe` strips leading controls and whitespace, which would
    turn "\\t=1+1" into "=1+1", so only the cleaned text tells what the cell will start with.
    None is an empty cell; numbers keep their usual text ("-12", "0.5").
    """
    raw = "" if value is None else str(value)
    cell = safe(raw, CSV_CELL_CHARS)
    if _PLAIN_NUMBER.fullmatch(cell):
        return cell
    if raw.startswith(_FORMULA_START) or cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def print_csv(records: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> None:
    """Print records as CSV with dotted column names; every cell goes through `csv_cell`."""
    rows = [flatten(r) for r in records]
    if columns is None:
        columns = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])


def print_table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> None:
    """Print an aligned table; the last column takes what is left of the line."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    for line in [headers, *rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(line[:-1])]
        print("  ".join([*cells, line[-1]]).rstrip())
