"""Snapshots of the inbox, a thread and the label picker at 120x40 on the seeded workspace
(frozen clock, UTC: times, dates and rows are the same on every run).

Sync tests on purpose: `snap_compare` runs the app in its own event loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from outreach_tui.ui.inbox.screens.filters import FilterScreen
from outreach_tui.ui.inbox.screens.label_picker import LabelPicker
from outreach_tui.ui.inbox.screens.thread import ThreadScreen

from .conftest import (
    make_app,
    open_inbox,
    settle,
    terminal_lines,
    wait_for,
    wait_for_screen,
    wait_for_text,
)

# Every screen at the classic 80x24 and at 120x40.
SIZES = [(120, 40), (80, 24)]
SIZE_IDS = ["120x40", "80x24"]
DECEPTIVE_LINK_ROW = 2


async def _inbox_ready(pilot: Pilot[Any]) -> None:
    await open_inbox(pilot)
    # The status bar has its counts (a worker) and the list its names.
    await wait_for(pilot, lambda: pilot.app.status_info.inboxes_needing_attention > 0)  # type: ignore[attr-defined]
    await wait_for_text(pilot, "— 43 conversations", "⚠ 5 inboxes need attention")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_inbox_snapshot(synced_db: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(synced_db), terminal_size=size, run_before=_inbox_ready)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_thread_snapshot(synced_db: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _inbox_ready(pilot)
        await pilot.press(*["j"] * DECEPTIVE_LINK_ROW, "enter")
        await wait_for_screen(pilot, ThreadScreen)
        await wait_for_text(pilot, "⚠ the text shows", "← received")  # wraps at 80
        await settle(pilot)

    assert snap_compare(make_app(synced_db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_label_picker_snapshot(synced_db: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _inbox_ready(pilot)
        await pilot.press("l")
        await wait_for_screen(pilot, LabelPicker)
        await wait_for_text(pilot, "Left company")
        await settle(pilot)

    assert snap_compare(make_app(synced_db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_filter_dialog_snapshot(synced_db: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _inbox_ready(pilot)
        await pilot.press("v")
        await wait_for_screen(pilot, FilterScreen)
        await wait_for_text(pilot, "All inboxes", "cancels")
        await settle(pilot)

    assert snap_compare(make_app(synced_db), terminal_size=size, run_before=run_before)


async def test_the_filter_dialog_fits_a_classic_terminal(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inbox(pilot)
        await pilot.press("v")
        await wait_for_screen(pilot, FilterScreen)
        await settle(pilot)
        dialog = app.screen.query_one("FilterScreen > Vertical")
        assert app.screen.region.contains_region(dialog.region)
        shown = "\n".join(terminal_lines(app))
        for text in ("Filter", "cancels", "All campaigns", "All inboxes", "Unread only"):
            assert text in shown, text
