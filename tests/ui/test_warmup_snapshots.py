"""Snapshots of the warmup list and an inbox's detail at 120x40 on the seeded workspace
(frozen clock: the dates, ages and numbers are the same on every run).

Sync tests on purpose: `snap_compare` runs the app in its own event loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from outreach_tui.ui.warmup.screens.detail import WarmupDetailScreen
from outreach_tui.ui.warmup.screens.warmup import WarmupScreen

from .conftest import make_app, settle, wait_for

# Every screen at the classic 80x24 and at 120x40.
SIZES = [(120, 40), (80, 24)]
SIZE_IDS = ["120x40", "80x24"]


async def _list_loaded(pilot: Pilot[Any]) -> WarmupScreen:
    app = pilot.app
    await pilot.press("f5")
    await wait_for(pilot, lambda: isinstance(app.screen, WarmupScreen))
    screen = app.screen
    assert isinstance(screen, WarmupScreen)
    await wait_for(pilot, lambda: screen.overview is not None)
    await wait_for(pilot, lambda: app.status_info.inboxes_needing_attention > 0)  # type: ignore[attr-defined]
    await settle(pilot)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_warmup_list_snapshot(synced_db: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _list_loaded(pilot)

    assert snap_compare(make_app(synced_db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_warmup_detail_snapshot(synced_db: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _list_loaded(pilot)
        # the failing inbox: low health, spam in the chart, campaigns attached
        failing = min(
            (r for r in screen.shown if r.stats and r.stats.sent),
            key=lambda r: r.inbox.health_score or 0,
        )
        screen.table.move_cursor(screen.shown.index(failing))
        await pilot.press("enter")
        app = pilot.app
        await wait_for(pilot, lambda: isinstance(app.screen, WarmupDetailScreen))
        detail = app.screen
        assert isinstance(detail, WarmupDetailScreen)
        await wait_for(pilot, lambda: detail.row is not None)
        await settle(pilot)

    assert snap_compare(make_app(synced_db), terminal_size=size, run_before=run_before)
