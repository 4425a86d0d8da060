"""Moving through the inbox and in and out of threads: j/k/arrows/paging, enter/esc,
u for read state, opening marks read (and does not when the config says so)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message

from outreach_tui.config import Config
from outreach_tui.store import outbox
from outreach_tui.store.connection import open_writer, write_transaction
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.screens.thread import ThreadScreen
from outreach_tui.ui.inbox.widgets.conversation_list import ConversationList

from .conftest import (
    make_app,
    open_inbox,
    outbox_items,
    pending_changes,
    row_text,
    screen_text,
    stored_row,
    wait_for,
    wait_for_screen,
    wait_for_text,
)

# Row 5 of the primary folder is unread and has no label (seeded data, frozen clock).
UNREAD_ROW = 5


async def test_cursor_keys_move_one_row_page_and_ends(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        total = conversations.total
        assert total == 43
        moves = [
            ("j", 1),
            ("down", 2),
            ("k", 1),
            ("up", 0),
            ("up", 0),  # stays on the first row
            ("G", total - 1),
            ("j", total - 1),  # stays on the last row
            ("g", 0),
            ("end", total - 1),
            ("home", 0),
            ("pagedown", conversations.scrollable_content_region.height - 1),
            ("pageup", 0),
        ]
        for key, expected in moves:
            await pilot.press(key)
            assert conversations.cursor == expected, key
        await pilot.press("G")
        await pilot.pause()
        last = conversations.row_at(total - 1)
        assert last is not None
        # The last row is scrolled into view and painted as the cursor line.
        assert last.subject[:20] in row_text(conversations, total - 1)


async def test_enter_opens_the_thread_marks_it_read_and_escape_returns(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        for _ in range(UNREAD_ROW):
            await pilot.press("j")
        row = conversations.current_row
        assert row is not None and not row.is_read
        assert row_text(conversations, UNREAD_ROW)[1] == "●"
        await pilot.press("enter")
        await wait_for_screen(pilot, ThreadScreen)
        thread_screen = app.screen
        assert isinstance(thread_screen, ThreadScreen)
        await wait_for_text(pilot, row.subject, "← received")
        await wait_for(pilot, lambda: stored_row(synced_db, row.id).is_read)
        assert pending_changes(synced_db) == [(row.id, "is_read", True)]
        await pilot.press("escape")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: conversations.row_at(UNREAD_ROW).is_read)  # type: ignore[union-attr]
        await pilot.pause()
        line = row_text(conversations, UNREAD_ROW)
        assert line[1] == " " and line[2] == "↑"  # no unread dot; pending mark


async def test_opening_does_not_mark_read_when_switched_off(synced_db: Path) -> None:
    app = make_app(synced_db, config=Config(mark_read_on_open=False))
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        conversations.move_cursor(UNREAD_ROW)
        row = conversations.current_row
        assert row is not None and not row.is_read
        await pilot.press("enter")
        await wait_for_screen(pilot, ThreadScreen)
        await wait_for_text(pilot, row.subject, "unread", "← received")
        await pilot.press("escape")
        await wait_for_screen(pilot, InboxScreen)
        await pilot.pause()
    assert not stored_row(synced_db, row.id).is_read
    assert outbox_items(synced_db) == []


async def test_u_toggles_read_state_and_stays_on_the_row(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        conversations.move_cursor(UNREAD_ROW)
        row = conversations.current_row
        assert row is not None and not row.is_read
        await pilot.press("u")
        await wait_for(pilot, lambda: app.status_info.pending == 1)
        assert conversations.cursor == UNREAD_ROW  # not a decision: the cursor stays
        assert stored_row(synced_db, row.id).is_read
        assert pending_changes(synced_db) == [(row.id, "is_read", True)]
        assert "↑1 pending" in screen_text(app)
        # Back to unread: the change returns to the server's value, nothing is left to push.
        await pilot.press("u")
        await wait_for(pilot, lambda: app.status_info.pending == 0)
        assert conversations.cursor == UNREAD_ROW
        assert not stored_row(synced_db, row.id).is_read
        await wait_for(pilot, lambda: row_text(conversations, UNREAD_ROW)[1] == "●")
    assert outbox_items(synced_db, outbox.PENDING) == []


async def test_j_and_k_in_a_thread_step_through_the_list(synced_db: Path) -> None:
    app = make_app(synced_db, config=Config(mark_read_on_open=False))
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        second = conversations.row_at(1)
        third = conversations.row_at(2)
        assert second is not None and third is not None
        await pilot.press("j", "enter")
        await wait_for_screen(pilot, ThreadScreen)
        thread_screen = app.screen
        assert isinstance(thread_screen, ThreadScreen)
        await pilot.press("j")
        await wait_for(
            pilot,
            lambda: (
                thread_screen.thread is not None
                and thread_screen.thread.conversation.id == third.id
            ),
        )
        assert conversations.cursor == 2
        await wait_for_text(pilot, third.subject)
        await pilot.press("k")
        await wait_for(
            pilot,
            lambda: (
                thread_screen.thread is not None
                and thread_screen.thread.conversation.id == second.id
            ),
        )
        assert conversations.cursor == 1


async def test_a_label_key_in_a_thread_labels_it_and_opens_the_next_one(synced_db: Path) -> None:
    app = make_app(synced_db, config=Config(mark_read_on_open=False))
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        first, second, third = (conversations.row_at(i) for i in range(3))
        assert first is not None and second is not None and third is not None
        await pilot.press("enter")
        await wait_for_screen(pilot, ThreadScreen)
        thread_screen = app.screen
        assert isinstance(thread_screen, ThreadScreen)

        def showing(conversation_id: str) -> bool:
            thread = thread_screen.thread
            return thread is not None and thread.conversation.id == conversation_id

        await pilot.press("m")  # one key: labelled, and the next conversation is open
        await wait_for(pilot, lambda: showing(second.id))
        await wait_for(pilot, lambda: stored_row(synced_db, first.id).label == "meeting_requested")
        await pilot.press("l", "7")  # through the picker: Referral, then on again
        await wait_for(pilot, lambda: showing(third.id))
        await wait_for(pilot, lambda: stored_row(synced_db, second.id).label == "referral")
        assert conversations.cursor == 2
        assert ("label_override", "meeting_requested") in {
            (field, value) for cid, field, value in pending_changes(synced_db) if cid == first.id
        }


async def test_a_reload_landing_after_a_move_keeps_the_cursor_where_the_user_went(
    synced_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landed: list[Message] = []

    def hook(message: Message) -> None:
        if isinstance(message, ConversationList.Loaded) and all(m is not message for m in landed):
            landed.append(message)

    app = make_app(synced_db)
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        conversations = await open_inbox(pilot)
        release = threading.Event()
        count = conversations.count_rows

        def slow_count(db: Any, params: Any) -> int:
            release.wait(10)  # the reload is read while the user moves
            return count(db, params)

        monkeypatch.setattr(conversations, "count_rows", slow_count)
        before = len(landed)
        conversations.reload()  # e.g. a sync page arrived; anchored on row 0
        await pilot.press("j", "j", "j")
        target = conversations.row_at(3)
        release.set()
        await wait_for(pilot, lambda: len(landed) > before)
        assert conversations.cursor == 3
        assert conversations.current_row == target


async def test_reload_keeps_the_cursor_on_its_row_when_a_write_lands_mid_read(
    synced_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reload reads count, anchor position and pages on one snapshot: a write that
    moves the anchor to the top half-way through cannot leave the cursor on a neighbour."""
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        conversations.move_cursor(UNREAD_ROW)
        anchor = conversations.current_row
        assert anchor is not None
        found = ConversationList.position_of

        def position_then_write(self: ConversationList, db: Any, params: Any, key: str) -> Any:
            position = found(self, db, params, key)
            writer = open_writer(synced_db)
            with write_transaction(writer):
                writer.conn.execute(
                    "UPDATE conversations SET last_activity = '2099-01-01T00:00:00.000000Z'"
                    " WHERE id = ?",
                    [key],
                )
            writer.close()
            return position

        # The row under the cursor at each load (the write also makes the app reload
        # again; every load must keep the anchor, wherever it now sits).
        loads: list[str | None] = []
        loaded = ConversationList.on_paged_list_loaded

        def count_loads(self: ConversationList) -> None:
            row = self.current_row
            loads.append(row.id if row is not None else None)
            loaded(self)

        monkeypatch.setattr(ConversationList, "position_of", position_then_write)
        monkeypatch.setattr(ConversationList, "on_paged_list_loaded", count_loads)
        conversations.reload()
        await wait_for(pilot, lambda: bool(loads))
        assert set(loads) == {anchor.id}
        assert conversations.current_row.id == anchor.id  # type: ignore[union-attr]
        monkeypatch.undo()
        conversations.reload()  # the next reload finds it at the top
        await wait_for(pilot, lambda: conversations.cursor == 0)
        assert conversations.current_row.id == anchor.id  # type: ignore[union-attr]
