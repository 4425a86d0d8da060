"""X: one decision for every conversation the filter shows, with the count shown first
and one undo for the batch (the store side: tests/store/test_bulk_edits.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot

from outreach_tui.store.records import ConversationFilter
from outreach_tui.ui.inbox.screens.bulk import BulkPicker
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.screens.label_picker import LabelPicker
from outreach_tui.ui.inbox.screens.snooze_picker import SnoozePicker
from outreach_tui.ui.inbox.widgets.conversation_list import ConversationList

from .conftest import make_app, open_inbox, stored_count, terminal_lines, wait_for, wait_for_screen


async def _bulk_on_unread(pilot: Pilot[object], unread: int) -> ConversationList:
    """The inbox showing unread only (``unread`` rows), with X's dialog open on them."""
    conversations = await open_inbox(pilot)
    await pilot.press("U")
    await wait_for(pilot, lambda: conversations.total == unread)
    await pilot.press("X")
    await wait_for_screen(pilot, BulkPicker)
    return conversations


async def test_mark_every_unread_match_read_then_undo_the_batch(synced_db: Path) -> None:
    unread = ConversationFilter(folder="primary", unread=True)
    before = stored_count(synced_db, unread)
    assert before > 3
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await _bulk_on_unread(pilot, before)
        shown = "\n".join(terminal_lines(app))
        assert f"All {before} matching conversations" in shown and "unread only" in shown
        await pilot.press("r")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: stored_count(synced_db, unread) == 0)
        await wait_for(pilot, lambda: conversations.loaded and conversations.total == 0)
        await pilot.press("z")  # one undo: the whole batch
        await wait_for(pilot, lambda: stored_count(synced_db, unread) == before)


async def test_label_every_search_match_through_the_picker(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        conversations = await open_inbox(pilot)
        await pilot.press("slash", *"pricing", "enter")
        matching = ConversationFilter(folder="primary", search="pricing")
        expected = stored_count(synced_db, matching)
        assert expected > 1
        await wait_for(pilot, lambda: conversations.total == expected)
        await pilot.press("X")
        await wait_for_screen(pilot, BulkPicker)
        await pilot.press("l")
        await wait_for_screen(pilot, LabelPicker)
        await pilot.press("7")  # Referral
        await wait_for(
            pilot,
            lambda: stored_count(synced_db, replace(matching, label="referral")) == expected,
        )
        await pilot.press("z")
        await wait_for(
            pilot,
            lambda: stored_count(synced_db, replace(matching, label="referral")) < expected,
        )


async def test_snooze_every_match_until_tomorrow_then_undo_the_batch(synced_db: Path) -> None:
    unread = ConversationFilter(folder="primary", unread=True)
    snoozed = ConversationFilter(snoozed=True)
    before = stored_count(synced_db, unread)
    assert before > 3
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        conversations = await _bulk_on_unread(pilot, before)
        await pilot.press("s")
        await wait_for_screen(pilot, SnoozePicker)
        assert f"Snooze {before} conversations until" in "\n".join(terminal_lines(app))
        await pilot.press("down", "enter")  # Tomorrow 09:00
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: stored_count(synced_db, snoozed) == before)
        assert stored_count(synced_db, unread) == 0
        await wait_for(pilot, lambda: conversations.loaded and conversations.total == 0)
        await pilot.press("z")  # one undo: the whole batch
        await wait_for(pilot, lambda: stored_count(synced_db, unread) == before)
        assert stored_count(synced_db, snoozed) == 0


@pytest.mark.slow
def test_all_matching_on_50000_conversations_stays_under_200_mb(tmp_path: Path) -> None:
    """The whole batch is never loaded: the app's process (its own, for a clean peak)
    marks 50,000 unread conversations read and takes it back in one undo."""
    count = 50_000
    completed = subprocess.run(
        [sys.executable, "-m", "tests.ui.bulk_pilot", str(tmp_path / "big.db"), str(count)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "TZ": "UTC"},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    seen = json.loads(completed.stdout.strip().splitlines()[-1])
    assert f"All {count:,} matching conversations" in seen["dialog"]
    assert (seen["after"], seen["undone"]) == (0, count)
    assert seen["peak_rss_mb"] < 200, seen["peak_rss_mb"]
