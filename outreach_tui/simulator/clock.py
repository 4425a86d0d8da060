"""Timestamps: whole epoch seconds inside, ISO-8601 UTC with `Z` on the wire."""

from __future__ import annotations

import time

DAY = 86_400


def now() -> int:
    """The current time in whole epoch seconds."""
    return int(time.time())


def iso(timestamp: int) -> str:
    """ISO-8601 UTC with a `Z` suffix, e.g. 2025-01-31T09:30:00Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


def day(timestamp: int) -> str:
    """The UTC date of a timestamp, YYYY-MM-DD."""
    return time.strftime("%Y-%m-%d", time.gmtime(timestamp))


def last_days(count: int, today: int) -> list[str]:
    """The `count` UTC dates ending with the date of `today`, oldest first."""
    return [day(today - offset * DAY) for offset in range(count - 1, -1, -1)]
