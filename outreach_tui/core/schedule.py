"""A campaign's sending schedule: supported zones, the 30-minute grid, effective day windows.

The reference (PATCH /campaigns/:id/schedule): times are 24-hour ``"HH:MM"``, stored on a
30-minute grid (nearest 00 or 30, ties round up, maximum 23:30); per-day start/end override
the default window and ``null`` falls back to it; ``enabled: false`` stops sending that day.

Where the reference is silent: a per-day ``start`` and ``end`` fall back *independently*
(``{"start": "10:00", "end": null}`` means 10:00 until the default end), and a window whose
end is not after its start sends nothing (:func:`window_problem` says so in words).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

# The reference's list, in its order.
TIMEZONES: Final[tuple[str, ...]] = (
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Phoenix",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Toronto",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Kiev",
    "Europe/Moscow",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)
WEEKDAYS: Final[tuple[str, ...]] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
GRID_MINUTES: Final = 30
LATEST_MINUTE: Final = 23 * 60 + 30

_HHMM = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


class ScheduleError(ValueError):
    """A schedule value the server would refuse; the message is one plain line."""


def is_supported_timezone(name: str) -> bool:
    """Return True when ``name`` is one of the 26 zones the server accepts."""
    return name in TIMEZONES


def parse_time(value: str) -> int:
    """Return minutes since midnight of a strict 24-hour ``"HH:MM"`` string.

    Raises ScheduleError for anything else ("9:00", "24:00", "09:60", " 09:00").
    """
    match = _HHMM.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ScheduleError(f"{value!r} is not a time: expected 24-hour HH:MM, e.g. 09:30")
    return int(match[1]) * 60 + int(match[2])


def format_time(minutes: int) -> str:
    """Return ``"HH:MM"`` for minutes since midnight (0–1439)."""
    if not 0 <= minutes < 24 * 60:
        raise ScheduleError(f"{minutes} minutes is outside one day")
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def snap_minutes(minutes: int) -> int:
    """Snap minutes since midnight to the grid: nearest half hour, ties up, at most 23:30."""
    snapped = (minutes + GRID_MINUTES // 2) // GRID_MINUTES * GRID_MINUTES
    return min(snapped, LATEST_MINUTE)


def snap_time(value: str) -> str:
    """Return ``value`` as the server stores it: ``"09:23"`` -> ``"09:30"``.

    Raises ScheduleError when ``value`` is not a strict ``"HH:MM"``.
    """
    return format_time(snap_minutes(parse_time(value)))


@dataclass(frozen=True, slots=True)
class Window:
    """A sending window of one day, both ends as ``"HH:MM"``."""

    start: str
    end: str

    @property
    def minutes(self) -> int:
        """Length of the window in minutes (0 when the end is not after the start)."""
        return max(0, parse_time(self.end) - parse_time(self.start))


@dataclass(frozen=True, slots=True)
class DaySchedule:
    """One day of the ``days`` object: enabled, and optional overrides of the window."""

    enabled: bool = True
    start: str | None = None
    end: str | None = None


def effective_window(day: DaySchedule, default: Window) -> Window | None:
    """Return the window the server sends in on ``day``; None when the day is disabled."""
    if not day.enabled:
        return None
    return Window(day.start or default.start, day.end or default.end)


def week_windows(default: Window, days: Mapping[str, DaySchedule]) -> dict[str, Window | None]:
    """Return the effective window of each weekday, Monday first; a missing day is enabled."""
    return {name: effective_window(days.get(name, DaySchedule()), default) for name in WEEKDAYS}


def window_problem(window: Window) -> str | None:
    """Return a plain sentence when ``window`` cannot send anything, else None."""
    if parse_time(window.end) <= parse_time(window.start):
        return f"the window ends ({window.end}) before it starts ({window.start})"
    return None


def day_schedule_from_api(data: Mapping[str, object]) -> DaySchedule:
    """Build a DaySchedule from one entry of the API's ``days`` object."""
    start, end = data.get("start"), data.get("end")
    return DaySchedule(
        enabled=bool(data.get("enabled", True)),
        start=start if isinstance(start, str) else None,
        end=end if isinstance(end, str) else None,
    )
