"""Short relative times for lists ("now", "5m", "3h", "yesterday", "Mon", "12 Mar").

Everything takes an explicit ``now`` so it is pure and testable. Calendar questions
("yesterday", "this week") are answered in ``now``'s time zone. Month and weekday names are
English and fixed (``strftime`` would follow the process locale).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Final

_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# A timestamp slightly in the future (clock skew between us and the server) is "now".
_SKEW: Final = timedelta(minutes=2)


def parse_timestamp(value: str) -> datetime:
    """Parse an API timestamp (ISO 8601, ``Z`` allowed); a naive value is taken as UTC.

    Raises ValueError when ``value`` is not ISO 8601.
    """
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _align(when: datetime, now: datetime) -> datetime:
    """Express ``when`` in ``now``'s zone (naive values are taken to share it)."""
    if when.tzinfo is None or now.tzinfo is None:
        return when.replace(tzinfo=now.tzinfo)
    return when.astimezone(now.tzinfo)


def short_date(day: date, today: date) -> str:
    """Return ``"12 Mar"`` within the same year as ``today``, else ``"2024-03-12"``."""
    if day.year == today.year:
        return f"{day.day} {MONTHS[day.month - 1]}"
    return day.isoformat()


def relative_time(when: datetime, now: datetime) -> str:
    """Return a short label for ``when`` seen from ``now``.

    Under a minute "now"; under an hour "5m"; under a day "3h"; the previous calendar day
    "yesterday"; within the last 7 days the weekday ("Mon"); the same year "12 Mar"; else
    "2024-03-12". Future times beyond a little clock skew show their date.
    """
    when = _align(when, now)
    delta = now - when
    if delta < -_SKEW:
        return short_date(when.date(), now.date())
    seconds = max(0.0, delta.total_seconds())
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    days_ago = (now.date() - when.date()).days
    if days_ago == 0:  # a 25-hour day (DST ends)
        return f"{int(seconds // 3600)}h"
    if days_ago == 1:
        return "yesterday"
    if days_ago < 7:
        return _WEEKDAYS[when.weekday()]
    return short_date(when.date(), now.date())
