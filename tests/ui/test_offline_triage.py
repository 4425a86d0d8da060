"""Offline triage: with the server unreachable, label + reply + read + undo (of the read)
all apply at once in the TUI and wait in the outbox; the next sync against the server
pushes exactly the remaining changes, and the reply arrives exactly once."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from outreach_tui.store import outbox
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.screens.reply import ReplyScreen

from .conftest import (
    API_KEY,
    make_app,
    open_inbox,
    outbox_items,
    pending_changes,
    stored_row,
    sync_cache,
    unreachable_client_factory,
    wait_for,
    wait_for_screen,
    wait_for_text,
)

LABELLED_ROW = 3  # unread, "needs more info" (seeded)
REPLIED_ROW = 4  # unread


async def test_offline_triage_then_sync_pushes_exactly_what_is_left(
    synced_db: Path, simulator: Starlette
) -> None:
    app = make_app(synced_db, unreachable_client_factory, sync_on_start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        await wait_for(pilot, lambda: app.status_info.online is False and not app.syncing)
        labelled, replied = conversations.row_at(LABELLED_ROW), conversations.row_at(REPLIED_ROW)
        assert labelled is not None and replied is not None and not replied.is_read
        conversations.move_cursor(LABELLED_ROW)
        await pilot.press("i")  # label: Interested; the cursor moves to the next row
        await wait_for(pilot, lambda: conversations.cursor == REPLIED_ROW)
        await pilot.press("r")
        await wait_for_screen(pilot, ReplyScreen)
        await pilot.press(*"Thanks", "ctrl+s")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: app.status_info.pending == 2)
        await wait_for(pilot, lambda: conversations.current_row.id == replied.id)  # type: ignore[union-attr]
        await pilot.press("u")  # read
        await wait_for(pilot, lambda: stored_row(synced_db, replied.id).is_read)
        await pilot.press("z")  # undo the read
        await wait_for(pilot, lambda: not stored_row(synced_db, replied.id).is_read)
        # A sync while offline changes nothing and says so in the status bar.
        first_sync = app.backend.sync.future
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.backend.sync.future is not first_sync and not app.syncing)
        await wait_for_text(pilot, "● offline", "↑2 pending")
        assert stored_row(synced_db, labelled.id).label == "interested"
        assert stored_row(synced_db, replied.id).local_state == "pending"
    items = outbox_items(synced_db, outbox.PENDING)
    assert sorted((i.resource_id, i.op, i.field) for i in items) == sorted(
        [(labelled.id, "update", "label_override"), (replied.id, "reply", None)]
    )
    assert pending_changes(synced_db) == sorted(
        [(labelled.id, "label_override", "interested"), (replied.id, None, items[-1].value)]
    )

    # Back online: the next sync pushes the label and the reply, nothing else.
    log = simulator.state.simulator.requests
    before = len(log)
    await sync_cache(synced_db, simulator)
    writes = [(r.method, r.path) for r in log[before:] if r.method != "GET"]
    assert sorted(writes) == sorted(
        [
            ("PATCH", f"/api/v1/unibox/conversations/{labelled.id}"),
            ("POST", f"/api/v1/unibox/conversations/{replied.id}/reply"),
        ]
    )
    workspace = simulator.state.simulator.workspace(API_KEY)
    assert workspace.conversations[labelled.id].label_override == "interested"
    replies = workspace.conversations[replied.id].extra or []
    assert len(replies) == 1 and "Thanks" in str(replies[0])
    assert outbox_items(synced_db, outbox.PENDING, outbox.IN_FLIGHT, outbox.FAILED) == []
    assert stored_row(synced_db, replied.id).local_state is None
    assert not stored_row(synced_db, replied.id).is_read  # the undone read never left
