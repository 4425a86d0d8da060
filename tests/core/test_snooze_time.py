"""The snooze picker's presets and typed times, from a fixed `now` (a Wednesday)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from outreach_tui.core.snooze_time import SnoozeTimeError, describe, parse_snooze, presets

# Wednesday 2026-12-02, 10:30 in a zone one hour east of UTC.
ZONE = timezone(timedelta(hours=1))
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=ZONE)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=ZONE)


def test_presets_in_the_morning() -> None:
    assert [(p.title, p.until) for p in presets(NOW)] == [
        ("Later today", at(2, 18)),
        ("Tomorrow", at(3, 9)),
        ("Next Monday", at(7, 9)),
    ]


def test_later_today_in_the_evening_is_a_few_hours_ahead() -> None:
    late = at(2, 16, 10)
    first = presets(late)[0]
    assert first.title == "In 3 hours"
    assert first.until == at(2, 20)  # 19:10 rounded up to the hour


def test_next_monday_on_a_monday_is_a_week_ahead() -> None:
    monday = datetime(2026, 12, 7, 8, 0, tzinfo=ZONE)
    assert presets(monday)[2].until == datetime(2026, 12, 14, 9, 0, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3d", NOW + timedelta(days=3)),
        ("2h", NOW + timedelta(hours=2)),
        ("45m", NOW + timedelta(minutes=45)),
        ("1w", NOW + timedelta(days=7)),
        ("1d12h", NOW + timedelta(days=1, hours=12)),
        ("tomorrow", at(3, 9)),
        ("Tomorrow 2pm", at(3, 14)),
        ("today 17:00", at(2, 17)),
        ("fri", at(4, 9)),
        ("fri 14:00", at(4, 14)),
        ("friday 2:30 pm", at(4, 14, 30)),
        ("mon 9", at(7, 9)),
        ("wed 11:00", at(2, 11)),  # today, still ahead
        ("wed 9:00", at(9, 9)),  # today's has passed: next week
        ("wed", at(9, 9)),
        ("14:00", at(2, 14)),
        ("9am", at(3, 9)),  # passed today: tomorrow
        ("2026-12-24", at(24, 9)),
        ("2026-12-24 08:30", at(24, 8, 30)),
        ("  FRI   14:00 ", at(4, 14)),
    ],
)
def test_typed_times(typed: str, expected: datetime) -> None:
    assert parse_snooze(typed, NOW) == expected


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Type when"),
        ("soonish", "not a time I know"),
        ("0d", "no time at all"),
        ("fri 25:00", "not a time of day"),
        ("fri 13pm", "not a time of day"),
        ("2026-02-30", "not a date"),
        ("2026-12-01", "already passed"),
        ("today 9:00", "already passed"),
        ("9999d", "five years"),
    ],
)
def test_what_cannot_be_understood_says_why(typed: str, says: str) -> None:
    with pytest.raises(SnoozeTimeError, match=says):
        parse_snooze(typed, NOW)


def test_describe() -> None:
    assert describe(at(2, 18), NOW) == "today 18:00"
    assert describe(at(3, 9), NOW) == "tomorrow 09:00"
    assert describe(at(7, 9), NOW) == "Mon 7 Dec 09:00"
    assert describe(datetime(2027, 1, 4, 8, 0, tzinfo=UTC), NOW) == "Mon 4 Jan 2027 09:00"


def test_on_a_sunday_next_monday_is_not_tomorrow() -> None:
    sunday = datetime(2026, 12, 6, 10, 0, tzinfo=ZONE)
    tomorrow, monday = presets(sunday)[1:]
    assert tomorrow.until == datetime(2026, 12, 7, 9, 0, tzinfo=ZONE)
    assert monday.until == datetime(2026, 12, 14, 9, 0, tzinfo=ZONE)
