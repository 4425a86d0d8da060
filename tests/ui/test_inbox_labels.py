"""Labelling from the keyboard: the picker (every key, 0/backspace clears, esc cancels),
the single-key shortcuts, x to select and act on many, z to undo."""

from __future__ import annotations

from pathlib import Path

from outreach_tui.core.labels import LABELS, display_name
from outreach_tui.store import outbox
from outreach_tui.ui.inbox.screens.inbox import QUICK_LABELS, InboxScreen
from outreach_tui.ui.inbox.screens.label_picker import LabelPicker

from .conftest import (
    make_app,
    open_inbox,
    outbox_items,
    pending_changes,
    row_text,
    stored_row,
    wait_for,
    wait_for_screen,
    wait_for_text,
)


async def test_every_picker_key_sets_its_label_and_moves_to_the_next_row(
    synced_db: Path,
) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        rows = [conversations.row_at(i) for i in range(len(LABELS))]
        await pilot.press("l")
        await wait_for_screen(pilot, LabelPicker)
        # The picker lists every label with its key.
        await wait_for_text(pilot, *(i.display_name for i in LABELS), "backspace")
        await pilot.press("escape")
        await wait_for_screen(pilot, InboxScreen)
        for index, info in enumerate(LABELS):
            await pilot.press("l", info.key or "")
            await wait_for(pilot, lambda i=index: conversations.cursor == i + 1)
        await wait_for(pilot, lambda: app.status_info.pending == len(LABELS))
        # On screen (once the list's reload lands): the label's name with the override mark.
        await wait_for(
            pilot,
            lambda: all(
                f"{info.display_name}*" in row_text(conversations, index)
                for index, info in enumerate(LABELS)
            ),
        )
        for index, info in enumerate(LABELS):
            row = rows[index]
            assert row is not None
            stored = stored_row(synced_db, row.id)
            assert (stored.label, stored.label_override) == (info.value, info.value)
        # An override equal to the AI label is still an override the server must get.
        assert len(pending_changes(synced_db)) == len(LABELS)


async def test_zero_and_backspace_clear_the_override_and_escape_cancels(
    synced_db: Path,
) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        first, second = conversations.row_at(0), conversations.row_at(1)
        assert first is not None and second is not None
        assert first.ai_label == "needs_more_info" and first.label_override is None
        await pilot.press("i", "i")  # both overridden to Interested
        await wait_for(pilot, lambda: app.status_info.pending == 2)
        await pilot.press("g", "l", "0")
        await wait_for(pilot, lambda: stored_row(synced_db, first.id).label_override is None)
        assert conversations.cursor == 1
        await pilot.press("l", "backspace")
        await wait_for(pilot, lambda: stored_row(synced_db, second.id).label_override is None)
        assert stored_row(synced_db, first.id).label == first.ai_label
        # Back to the server's value: nothing left to push.
        assert outbox_items(synced_db, outbox.PENDING) == []
        await wait_for(
            pilot,
            lambda: (
                display_name(first.ai_label) in row_text(conversations, 0)
                and "*" not in row_text(conversations, 0)
            ),
        )
        # Escape closes the picker without a change and without moving on.
        await pilot.press("l")
        await wait_for_screen(pilot, LabelPicker)
        await pilot.press("escape")
        await wait_for_screen(pilot, InboxScreen)
        assert conversations.cursor == 2
        assert outbox_items(synced_db) == []


async def test_quick_label_keys_label_one_row_each(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        # Start on a row with no label, shown as a dim dash.
        conversations.move_cursor(5)
        await pilot.pause()
        assert row_text(conversations, 5)[70:].lstrip().startswith("—")  # the label column
        rows = [conversations.row_at(5 + i) for i in range(len(QUICK_LABELS))]
        await pilot.press(*QUICK_LABELS)
        await wait_for(pilot, lambda: app.status_info.pending == len(QUICK_LABELS))
        assert conversations.cursor == 5 + len(QUICK_LABELS)
        for row, label in zip(rows, QUICK_LABELS.values(), strict=True):
            assert row is not None
            assert stored_row(synced_db, row.id).label_override == label
        await wait_for_text(pilot, "Interested*", "Not interested*", "Meeting requested*")


async def test_x_selects_rows_for_one_bulk_label_and_one_bulk_read(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        conversations.move_cursor(3)  # rows 3-5 are unread
        await pilot.pause()
        chosen = [conversations.row_at(i) for i in (3, 4, 5)]
        assert all(row is not None and not row.is_read for row in chosen)
        await pilot.press("x", "x", "x")
        assert len(conversations.selected) == 3
        await wait_for_text(pilot, "3 selected")
        assert all(row_text(conversations, i).startswith("✓") for i in (3, 4, 5))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.status_info.pending == 3)
        assert conversations.selected == set()  # a decision drops the selection
        assert conversations.cursor == 6  # and stays where the selection ended
        ids = sorted(row.id for row in chosen if row is not None)
        assert pending_changes(synced_db) == [(i, "label_override", "not_interested") for i in ids]
        # Select the same rows again and mark them all read with one key.
        conversations.move_cursor(3)
        await pilot.press("x", "x", "x", "u")
        await wait_for(pilot, lambda: app.status_info.pending == 6)
        for conversation_id in ids:
            assert stored_row(synced_db, conversation_id).is_read
        await wait_for(pilot, lambda: all(row_text(conversations, i)[1] == " " for i in (3, 4, 5)))
        assert len(conversations.selected) == 3  # u is no decision: kept for a second press


async def test_z_undoes_label_then_read_state_in_reverse_order(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        conversations = await open_inbox(pilot)
        conversations.move_cursor(3)
        await pilot.pause()
        row = conversations.current_row
        assert row is not None and not row.is_read and row.label == "needs_more_info"
        await pilot.press("m")  # Meeting requested, cursor moves to row 4
        await pilot.press("k", "u")  # read (the cursor stays on row 3)
        await wait_for(pilot, lambda: app.status_info.pending == 2)
        await pilot.press("z")
        await wait_for(pilot, lambda: not stored_row(synced_db, row.id).is_read)
        assert stored_row(synced_db, row.id).label == "meeting_requested"
        await pilot.press("z")
        await wait_for(pilot, lambda: stored_row(synced_db, row.id).label == "needs_more_info")
        await wait_for(pilot, lambda: app.status_info.pending == 0)
        assert outbox_items(synced_db, outbox.PENDING) == []
        await pilot.press("z")
        await wait_for_text(pilot, "Nothing to undo.")
