"""Relative times for lists, with an explicit now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from outreach_tui.core.timefmt import parse_timestamp, relative_time

NOW = datetime(2025, 3, 12, 15, 0, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("when", "label"),
    [
        (NOW, "now"),
        (NOW - timedelta(seconds=59), "now"),
        (NOW + timedelta(seconds=90), "now"),  # small clock skew
        (NOW - timedelta(minutes=5), "5m"),
        (NOW - timedelta(minutes=59, seconds=59), "59m"),
        (NOW - timedelta(hours=3), "3h"),
        (NOW - timedelta(hours=23, minutes=59), "23h"),
        (datetime(2025, 3, 11, 9, 0, tzinfo=UTC), "yesterday"),
        (datetime(2025, 3, 10, 9, 0, tzinfo=UTC), "Mon"),
        (datetime(2025, 3, 6, 9, 0, tzinfo=UTC), "Thu"),
        (datetime(2025, 3, 5, 9, 0, tzinfo=UTC), "5 Mar"),
        (datetime(2025, 1, 1, 0, 0, tzinfo=UTC), "1 Jan"),
        (datetime(2024, 3, 12, 9, 0, tzinfo=UTC), "2024-03-12"),
        (NOW + timedelta(days=3), "15 Mar"),  # the future shows its date
    ],
)
def test_relative_time(when: datetime, label: str) -> None:
    assert relative_time(when, NOW) == label


def test_calendar_days_are_counted_in_nows_zone() -> None:
    tokyo = timezone(timedelta(hours=9))
    now = datetime(2025, 3, 12, 8, 0, tzinfo=tokyo)  # 2025-03-11 23:00 UTC
    when = datetime(2025, 3, 11, 6, 0, tzinfo=UTC)  # 15:00 in Tokyo on the 11th, 17h before
    assert relative_time(when, now) == "17h"
    assert relative_time(when - timedelta(hours=8), now) == "yesterday"


def test_parse_timestamp() -> None:
    assert parse_timestamp("2025-03-12T15:00:00Z") == NOW
    assert parse_timestamp("2025-03-12T15:00:00") == NOW
    assert parse_timestamp("2025-03-12T16:00:00+01:00") == NOW
    with pytest.raises(ValueError):
        parse_timestamp("yesterday")
