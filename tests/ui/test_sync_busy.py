"""The TUI's sync and another process's sync of the same cache: the TUI says so in the
status bar and stays online instead of failing; once the other sync ends, ctrl+r runs."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette

from outreach_tui.store import outbox
from outreach_tui.store.sync_lock import SyncLock

from .conftest import (
    client_factory_for,
    make_app,
    open_inbox,
    outbox_items,
    wait_for,
    wait_for_text,
)


async def test_ctrl_r_while_another_sync_holds_the_cache(
    synced_db: Path, simulator: Starlette
) -> None:
    other = SyncLock(synced_db)  # stands for a cron job's `outreach-tui sync`
    assert other.try_acquire()
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        await pilot.press("u")  # a change waiting in the outbox
        await wait_for(pilot, lambda: app.status_info.pending == 1)
        await pilot.press("ctrl+r")
        await wait_for_text(pilot, f"Another sync is running (pid {os.getpid()})")
        assert app.status_info.online is not False
        assert "Sync failed" not in app.status_info.message
        assert len(outbox_items(synced_db, outbox.PENDING)) == 1

        other.release()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.status_info.pending == 0 and not app.syncing)
        assert "Another sync" not in app.status_info.message
        assert conversations.is_mounted
    assert outbox_items(synced_db, outbox.PENDING) == []
    assert len(outbox_items(synced_db, outbox.DONE)) == 1
