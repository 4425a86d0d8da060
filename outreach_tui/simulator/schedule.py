"""Campaign sending schedules: the 30-minute grid, the timezone allowlist, PATCH validation.

Rules from the reference: times are 24-hour "HH:MM", stored on a 30-minute grid (minutes
round to the nearest :00 or :30, ties round up, the maximum is 23:30); per-day start/end
null falls back to the default window; `enabled: false` stops sending that day; the
timezone must be one of the 26 listed zones. All-or-nothing like every PATCH.

Choices where the reference is silent:
- "HH:MM" is strict: two digits each, hours 00-23, minutes 00-59 ("9:00" is rejected).
- After rounding, every effective window (the default window, and each day's window with
  nulls filled from the default) must start before it ends, else 422.
- A day object may carry any subset of `enabled`, `start`, `end`; omitted keys are kept.
- A new campaign: America/New_York, 09:00-17:00, Monday-Friday enabled with no per-day times,
  Saturday and Sunday disabled.
"""

from __future__ import annotations

import copy
import re
from typing import Any

SUPPORTED_TIMEZONES = (
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
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_LAST_SLOT = 23 * 60 + 30


def round_to_grid(value: str) -> str:
    """Round a valid "HH:MM" to the 30-minute grid (ties up, at most 23:30)."""
    match = _TIME.fullmatch(value)
    if match is None:
        raise ValueError(f"not an HH:MM time: {value!r}")
    minutes = int(match.group(1)) * 60 + int(match.group(2))
    # nearest multiple of 30; a remainder of exactly 15 rounds up
    rounded = (minutes + 15) // 30 * 30
    rounded = min(rounded, _LAST_SLOT)
    return f"{rounded // 60:02d}:{rounded % 60:02d}"


def default_schedule() -> dict[str, Any]:
    """The schedule of a new campaign."""
    return {
        "timezone": "America/New_York",
        "default_window": {"start": "09:00", "end": "17:00"},
        "days": {
            day: {"enabled": day not in ("saturday", "sunday"), "start": None, "end": None}
            for day in WEEKDAYS
        },
    }


def _grid_time(value: object, field: str, errors: dict[str, str]) -> str | None:
    if not isinstance(value, str) or _TIME.fullmatch(value) is None:
        errors[field] = 'must be a 24-hour time "HH:MM"'
        return None
    return round_to_grid(value)


def updated_schedule(current: dict[str, Any], patch: dict[str, Any]) -> tuple[dict, dict]:
    """Apply a schedule PATCH body to a copy of `current`.

    Returns (new schedule, errors); when errors is not empty the schedule must not be saved.
    """
    errors: dict[str, str] = {}
    result = copy.deepcopy(current)
    for key in patch:
        if key not in ("timezone", "default_window", "days"):
            errors[key] = "unknown field"
    if "timezone" in patch:
        if patch["timezone"] in SUPPORTED_TIMEZONES:
            result["timezone"] = patch["timezone"]
        else:
            errors["timezone"] = "must be one of the supported timezones"
    if "default_window" in patch:
        _apply_default_window(result, patch["default_window"], errors)
    if "days" in patch:
        _apply_days(result, patch["days"], errors)
    if not errors:
        _check_windows(result, errors)
    return result, errors


def _apply_default_window(result: dict[str, Any], window: object, errors: dict[str, str]) -> None:
    if not isinstance(window, dict):
        errors["default_window"] = 'must be an object {"start": "HH:MM", "end": "HH:MM"}'
        return
    for key, value in window.items():
        field = f"default_window.{key}"
        if key not in ("start", "end"):
            errors[field] = "unknown field"
            continue
        rounded = _grid_time(value, field, errors)
        if rounded is not None:
            result["default_window"][key] = rounded


def _apply_days(result: dict[str, Any], days: object, errors: dict[str, str]) -> None:
    if not isinstance(days, dict):
        errors["days"] = "must be an object keyed by weekday"
        return
    for day, settings in days.items():
        field = f"days.{day}"
        if day not in WEEKDAYS:
            errors[field] = "unknown day (monday..sunday)"
            continue
        if not isinstance(settings, dict):
            errors[field] = "must be an object"
            continue
        target = result["days"][day]
        for key, value in settings.items():
            sub = f"{field}.{key}"
            if key == "enabled":
                if isinstance(value, bool):
                    target["enabled"] = value
                else:
                    errors[sub] = "must be a boolean"
            elif key in ("start", "end"):
                if value is None:
                    target[key] = None
                else:
                    rounded = _grid_time(value, sub, errors)
                    if rounded is not None:
                        target[key] = rounded
            else:
                errors[sub] = "unknown field"


def _check_windows(result: dict[str, Any], errors: dict[str, str]) -> None:
    default = result["default_window"]
    if default["start"] >= default["end"]:
        errors["default_window"] = "start must be before end"
    for day in WEEKDAYS:
        settings = result["days"][day]
        start = settings["start"] or default["start"]
        end = settings["end"] or default["end"]
        if (settings["start"] or settings["end"]) and start >= end:
            errors[f"days.{day}"] = "start must be before end"
