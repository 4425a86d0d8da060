"""Snapshots of the campaign list and a campaign's detail at 120x40 on the seeded
workspace (frozen clock: dates, ages and numbers are the same on every run).

Sync tests on purpose: `snap_compare` runs the app in its own event loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from outreach_tui.ui.campaigns.screens.campaigns import CampaignsScreen
from outreach_tui.ui.campaigns.screens.detail import CampaignDetailScreen
from outreach_tui.ui.campaigns.widgets.schedule import CampaignSchedule

from .conftest import make_app, settle, terminal_lines, wait_for

# Every screen at the classic 80x24 and at 120x40.
SIZES = [(120, 40), (80, 24)]
SIZE_IDS = ["120x40", "80x24"]


async def _list_loaded(pilot: Pilot[Any]) -> CampaignsScreen:
    app = pilot.app
    await pilot.press("f3")
    await wait_for(pilot, lambda: isinstance(app.screen, CampaignsScreen) and app.screen.loaded)
    await wait_for(pilot, lambda: app.status_info.inboxes_needing_attention > 0)  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, CampaignsScreen)
    await settle(pilot)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_campaign_list_snapshot(synced_db: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _list_loaded(pilot)

    assert snap_compare(make_app(synced_db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_campaign_detail_snapshot(
    synced_db: Path, snap_compare: Any, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _list_loaded(pilot)
        busiest = max(screen.shown, key=lambda c: c.sent)
        screen.table.move_cursor(row=screen.shown.index(busiest))
        await pilot.press("enter")
        app = pilot.app
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, CampaignDetailScreen) and app.screen.snapshot is not None
            ),
        )
        await settle(pilot)

    assert snap_compare(make_app(synced_db), terminal_size=size, run_before=run_before)


async def _schedule_tab(pilot: Pilot[Any]) -> None:
    await _list_loaded(pilot)
    await pilot.press("enter")
    app = pilot.app
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, CampaignDetailScreen) and app.screen.snapshot is not None,
    )
    await pilot.press("3")
    await wait_for(pilot, lambda: "Sunday" in "\n".join(terminal_lines(app)))
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_campaign_schedule_snapshot(
    synced_db: Path, snap_compare: Any, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(synced_db), terminal_size=size, run_before=_schedule_tab)


async def test_every_schedule_field_and_hint_fits_80_columns(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _schedule_tab(pilot)
        schedule = app.screen.query_one(CampaignSchedule)
        for day in ("default", "monday", "sunday"):
            for widget_id in (f"{day}-end", f"hint-{day}-end"):
                widget = schedule.query_one(f"#{widget_id}")
                assert widget.region.right <= 80, widget_id
                assert widget.region.width > 0, widget_id
        hint = schedule.query_one("#hint-monday-end")
        assert "18:00" in hint.render_line(0).text or "17:00" in hint.render_line(0).text
