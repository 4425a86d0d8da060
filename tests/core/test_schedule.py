"""Schedule: supported zones, the 30-minute grid, strict parsing, effective windows."""

from __future__ import annotations

import pytest

from outreach_tui.core.schedule import (
    TIMEZONES,
    WEEKDAYS,
    DaySchedule,
    ScheduleError,
    Window,
    day_schedule_from_api,
    effective_window,
    is_supported_timezone,
    parse_time,
    snap_time,
    week_windows,
    window_problem,
)


def test_the_26_zones_of_the_reference() -> None:
    assert len(TIMEZONES) == 26
    assert len(set(TIMEZONES)) == 26
    assert TIMEZONES[0] == "Pacific/Honolulu"
    assert TIMEZONES[-1] == "Pacific/Auckland"
    assert is_supported_timezone("Europe/Kiev")
    assert not is_supported_timezone("Europe/Kyiv")
    assert not is_supported_timezone("UTC")


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("09:23", "09:30"),
        ("09:15", "09:30"),  # tie rounds up
        ("09:14", "09:00"),
        ("09:45", "10:00"),
        ("09:44", "09:30"),
        ("00:00", "00:00"),
        ("00:14", "00:00"),
        ("23:14", "23:00"),
        ("23:15", "23:30"),
        ("23:45", "23:30"),  # never past 23:30
        ("23:59", "23:30"),
        ("12:30", "12:30"),
    ],
)
def test_snap_time(given: str, stored: str) -> None:
    assert snap_time(given) == stored


@pytest.mark.parametrize("bad", ["9:00", "24:00", "09:60", " 09:00", "09:00 ", "0900", "", "ab:cd"])
def test_parse_time_is_strict(bad: str) -> None:
    with pytest.raises(ScheduleError, match="HH:MM"):
        parse_time(bad)


def test_parse_time_value() -> None:
    assert parse_time("13:45") == 13 * 60 + 45


def test_effective_window_falls_back_per_field() -> None:
    default = Window("09:00", "17:00")
    assert effective_window(DaySchedule(True, None, None), default) == default
    assert effective_window(DaySchedule(True, "10:00", None), default) == Window("10:00", "17:00")
    assert effective_window(DaySchedule(True, None, "12:00"), default) == Window("09:00", "12:00")
    assert effective_window(DaySchedule(False, "10:00", "11:00"), default) is None


def test_week_windows_in_weekday_order() -> None:
    default = Window("09:00", "17:00")
    windows = week_windows(default, {"sunday": DaySchedule(False), "monday": DaySchedule()})
    assert list(windows) == list(WEEKDAYS)
    assert windows["sunday"] is None
    assert windows["tuesday"] == default


def test_window_problem_and_length() -> None:
    assert window_problem(Window("09:00", "17:00")) is None
    assert "before it starts" in window_problem(Window("17:00", "09:00"))
    assert Window("09:00", "17:30").minutes == 510
    assert Window("17:00", "09:00").minutes == 0


def test_day_schedule_from_api() -> None:
    day = day_schedule_from_api({"enabled": False, "start": None, "end": "18:00"})
    assert day == DaySchedule(False, None, "18:00")
