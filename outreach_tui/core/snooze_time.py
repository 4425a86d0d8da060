"""When a snoozed conversation comes back: the presets and typed times of the `s` key.

Everything is computed from an explicit, time-zone-aware `now` (the user's local time:
"tomorrow 9:00" is nine in the morning where the user is), so it is pure and testable.

Typed forms (case-insensitive, words may be abbreviated to three letters):
- a duration: `3d`, `2h`, `45m`, `1w`, or several together (`1d12h`);
- a day, with an optional time: `tomorrow`, `today 17:00`, `fri`, `friday 2pm`,
  `mon 9`, `2026-12-24`, `2026-12-24 08:30`; a day without a time means `DAY_STARTS`;
- a time alone: `14:00`, `9am`: today if still ahead, else tomorrow.
A weekday is the next one whose time is still ahead (today included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from outreach_tui.core.timefmt import MONTHS

# When a day given without a time starts (the presets' "9:00").
DAY_STARTS: Final = time(9, 0)
# "Later today" is this evening, or a few hours ahead once the evening is near.
EVENING: Final = time(18, 0)
LATER_HOURS: Final = 3

EXAMPLES: Final = "3d, 2h, tomorrow, fri 14:00, mon 9am, 2026-12-24 08:30"

_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_UNITS: Final = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION: Final = re.compile(r"(?:(\d{1,4})\s*([mhdw]))+")
_DURATION_PART: Final = re.compile(r"(\d{1,4})\s*([mhdw])")
_TIME: Final = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?")
_DATE: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class SnoozeTimeError(ValueError):
    """A typed snooze time that cannot be understood, or one that has passed."""


@dataclass(frozen=True)
class SnoozePreset:
    """One ready-made choice of the snooze picker."""

    title: str
    until: datetime


def presets(now: datetime) -> list[SnoozePreset]:
    """Later today, tomorrow at 9:00 and next Monday at 9:00, seen from `now`."""
    evening = datetime.combine(now.date(), EVENING, now.tzinfo)
    if now <= evening - timedelta(hours=LATER_HOURS):
        later = SnoozePreset("Later today", evening)
    else:
        ahead = (now + timedelta(hours=LATER_HOURS)).replace(minute=0, second=0, microsecond=0)
        later = SnoozePreset(f"In {LATER_HOURS} hours", ahead + timedelta(hours=1))
    tomorrow = _at(now.date() + timedelta(days=1), DAY_STARTS, now)
    monday = now.date() + timedelta(days=7 - now.weekday())
    if monday == tomorrow.date():
        monday += timedelta(days=7)  # on a Sunday "tomorrow" is Monday already
    return [
        later,
        SnoozePreset("Tomorrow", tomorrow),
        SnoozePreset("Next Monday", _at(monday, DAY_STARTS, now)),
    ]


def parse_snooze(text: str, now: datetime) -> datetime:
    """The moment `text` names, seen from `now` (aware); raises `SnoozeTimeError`.

    The result is in `now`'s time zone and always after `now`.
    """
    words = " ".join(text.strip().lower().split())
    if not words:
        raise SnoozeTimeError(f"Type when it should come back, e.g. {EXAMPLES}.")
    if _DURATION.fullmatch(words):
        seconds = sum(int(n) * _UNITS[unit] for n, unit in _DURATION_PART.findall(words))
        if seconds == 0:
            raise SnoozeTimeError("A snooze of no time at all: give a number above 0.")
        if seconds > 5 * 366 * 86400:
            raise SnoozeTimeError("That is more than five years away.")
        return now + timedelta(seconds=seconds)
    day_word, _, time_words = words.partition(" ")
    day = _day(day_word, now)
    if day is None:
        at = _time_of(words)
        if at is None:
            raise SnoozeTimeError(f"{text.strip()!r} is not a time I know; try {EXAMPLES}.")
        moment = _at(now.date(), at, now)
        return moment if moment > now else _at(now.date() + timedelta(days=1), at, now)
    at = DAY_STARTS
    if time_words:
        found = _time_of(time_words)
        if found is None:
            raise SnoozeTimeError(f"{time_words!r} is not a time of day (e.g. 14:00 or 2pm).")
        at = found
    weekday = _weekday(day_word)
    moment = _at(day, at, now)
    if weekday is not None and moment <= now:
        moment = _at(day + timedelta(days=7), at, now)  # today's hour has passed: next week
    if moment <= now:
        raise SnoozeTimeError(f"{describe(moment, now)} has already passed.")
    return moment


def describe(moment: datetime, now: datetime) -> str:
    """`moment` for people, in `now`'s zone: "today 18:00", "tomorrow 09:00",
    "Mon 14 Dec 09:00" (the year too when it is not this one)."""
    moment = moment.astimezone(now.tzinfo)
    clock = moment.strftime("%H:%M")
    days = (moment.date() - now.date()).days
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"tomorrow {clock}"
    weekday = _WEEKDAYS[moment.weekday()][:3].capitalize()
    day = f"{weekday} {moment.day} {MONTHS[moment.month - 1]}"
    if moment.year != now.year:
        day += f" {moment.year}"
    return f"{day} {clock}"


def _at(day: date, at: time, now: datetime) -> datetime:
    """`day` at `at` in `now`'s zone (the offset of that day, across DST changes)."""
    naive = datetime.combine(day, at)
    zone = now.tzinfo
    if zone is None:
        return naive
    # A fixed-offset `now` (astimezone() of the local zone) would keep summer's offset
    # in winter: ask the system's local zone when `now` is in it.
    local = naive.astimezone() if now.utcoffset() == now.astimezone().utcoffset() else None
    return local.astimezone(zone) if local is not None else naive.replace(tzinfo=zone)


def _weekday(word: str) -> int | None:
    if len(word) >= 3:
        for index, name in enumerate(_WEEKDAYS):
            if name.startswith(word):
                return index
    return None


def _day(word: str, now: datetime) -> date | None:
    """The day `word` names (today, tomorrow, a weekday, an ISO date), or None."""
    today = now.date()
    if word in ("today", "tod"):
        return today
    if word in ("tomorrow", "tom", "tmr", "tmrw"):
        return today + timedelta(days=1)
    weekday = _weekday(word)
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    match = _DATE.fullmatch(word)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            raise SnoozeTimeError(f"{word} is not a date.") from None
    return None


def _time_of(words: str) -> time | None:
    """A time of day: `14:00`, `9`, `9am`, `2:30 pm`; None when `words` is not one."""
    match = _TIME.fullmatch(words)
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
