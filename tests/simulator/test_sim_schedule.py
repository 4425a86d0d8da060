"""Campaign schedules: the 30-minute grid, fallbacks, disabled days, timezone allowlist."""

from __future__ import annotations

import httpx
import pytest

from outreach_tui.simulator.schedule import SUPPORTED_TIMEZONES
from tests.simulator.calls import assert_error, call, data, new_campaign

REFERENCE_ZONES = [
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
]


async def _patch(client: httpx.AsyncClient, body: dict[str, object]) -> httpx.Response:
    campaign = await new_campaign(client)
    return await call(client, "PATCH", f"/campaigns/{campaign['id']}/schedule", json=body)


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("09:23", "09:30"),
        ("09:15", "09:30"),
        ("09:14", "09:00"),
        ("09:44", "09:30"),
        ("09:45", "10:00"),
        ("23:15", "23:30"),
        ("23:45", "23:30"),
        ("23:59", "23:30"),
    ],
)
async def test_schedule_time_rounds_to_nearest_half_hour_ties_up(
    client: httpx.AsyncClient, sent: str, stored: str
) -> None:
    response = await _patch(client, {"days": {"monday": {"start": "00:10", "end": sent}}})
    assert response.json()["data"]["days"]["monday"] == {
        "enabled": True,
        "start": "00:00",
        "end": stored,
    }


async def test_default_window_is_rounded_and_echoed(client: httpx.AsyncClient) -> None:
    schedule = (await _patch(client, {"default_window": {"start": "08:20", "end": "17:50"}})).json()
    assert schedule["data"]["default_window"] == {"start": "08:30", "end": "18:00"}


@pytest.mark.parametrize("value", ["9:00", "24:00", "12:60", "0900", "noon", 900])
async def test_schedule_times_must_be_hh_mm(client: httpx.AsyncClient, value: object) -> None:
    body = assert_error(await _patch(client, {"default_window": {"start": value}}), 422)
    assert "default_window.start" in body["details"]


async def test_day_with_null_times_falls_back_to_the_default_window(
    client: httpx.AsyncClient,
) -> None:
    campaign = await new_campaign(client)
    path = f"/campaigns/{campaign['id']}/schedule"
    await data(client, "PATCH", path, json={"days": {"friday": {"start": "10:00", "end": "12:00"}}})
    schedule = await data(
        client, "PATCH", path, json={"days": {"friday": {"start": None, "end": None}}}
    )
    assert schedule["days"]["friday"] == {"enabled": True, "start": None, "end": None}


async def test_day_can_be_disabled_and_keeps_its_other_settings(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    path = f"/campaigns/{campaign['id']}/schedule"
    await data(client, "PATCH", path, json={"days": {"tuesday": {"start": "10:00"}}})
    schedule = await data(client, "PATCH", path, json={"days": {"tuesday": {"enabled": False}}})
    assert schedule["days"]["tuesday"] == {"enabled": False, "start": "10:00", "end": None}


def test_timezone_allowlist_is_exactly_the_reference_list() -> None:
    assert sorted(SUPPORTED_TIMEZONES) == sorted(REFERENCE_ZONES) and len(REFERENCE_ZONES) == 26


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "Europe/Kiev", "Pacific/Honolulu"])
async def test_supported_timezone_is_accepted(client: httpx.AsyncClient, zone: str) -> None:
    assert (await _patch(client, {"timezone": zone})).json()["data"]["timezone"] == zone


@pytest.mark.parametrize("zone", ["Europe/Madrid", "UTC", "asia/tokyo", "", None])
async def test_timezone_outside_the_list_is_422(client: httpx.AsyncClient, zone: object) -> None:
    assert "timezone" in assert_error(await _patch(client, {"timezone": zone}), 422)["details"]


async def test_schedule_patch_is_all_or_nothing(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    path = f"/campaigns/{campaign['id']}/schedule"
    response = await call(
        client,
        "PATCH",
        path,
        json={"timezone": "Asia/Tokyo", "days": {"monday": {"start": "25:00"}}},
    )
    assert_error(response, 422)
    shown = await data(client, "GET", f"/campaigns/{campaign['id']}")
    assert shown["schedule"] == campaign["schedule"]


async def test_unknown_day_is_422(client: httpx.AsyncClient) -> None:
    body = assert_error(await _patch(client, {"days": {"funday": {"enabled": True}}}), 422)
    assert "days.funday" in body["details"]


async def test_window_must_start_before_it_ends(client: httpx.AsyncClient) -> None:
    body = assert_error(
        await _patch(client, {"default_window": {"start": "18:00", "end": "09:00"}}), 422
    )
    assert "default_window" in body["details"]


async def test_schedule_change_shows_on_the_campaign(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    path = f"/campaigns/{campaign['id']}"
    await data(client, "PATCH", f"{path}/schedule", json={"timezone": "Europe/Paris"})
    assert (await data(client, "GET", path))["schedule"]["timezone"] == "Europe/Paris"
