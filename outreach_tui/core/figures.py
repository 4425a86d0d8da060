"""How numbers are written for people, the same in the TUI and the CLI's text output.

Rates are shown exactly as the API gives them (percentages with two decimals), so the
screens, `campaigns list/show` and the server's analytics agree digit for digit.
"""

from __future__ import annotations

MISSING = "—"


def count(value: int | None, missing: str = MISSING) -> str:
    """``1234`` -> ``"1,234"``; None -> `missing`."""
    return missing if value is None else f"{value:,}"


def percent(value: float | None, missing: str = MISSING) -> str:
    """An API rate (already a percentage) as shown: ``4.1666`` -> ``"4.17%"``; None ->
    `missing` (the CLI's tables leave the cell empty)."""
    return missing if value is None else f"{value:.2f}%"
