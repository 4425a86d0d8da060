"""Counts and rates as the screens and the CLI's text output write them."""

from __future__ import annotations

from outreach_tui.core.figures import count, percent


def test_count_groups_thousands_and_marks_a_missing_value() -> None:
    assert count(1234567) == "1,234,567"
    assert count(0) == "0"
    assert count(None) == "—"
    assert count(None, missing="") == ""


def test_percent_keeps_the_apis_two_decimals() -> None:
    assert percent(4.1666) == "4.17%"
    assert percent(0.0) == "0.00%"
    assert percent(100) == "100.00%"
    assert percent(None) == "—"
    assert percent(None, missing="") == ""
