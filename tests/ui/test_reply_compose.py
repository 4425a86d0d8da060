"""Writing: r replies in the in-app editor (or $EDITOR), c composes a new conversation.
Both are queued in the outbox at once and show in the list and the thread as pending."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, TextArea

from outreach_tui.store import outbox
from outreach_tui.store.queries import mailboxes as mailbox_queries
from outreach_tui.ui.inbox.screens.compose import ComposeScreen, parse_recipients
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.screens.reply import ReplyScreen, edit_in_editor
from outreach_tui.ui.inbox.screens.thread import ThreadScreen

from .conftest import (
    make_app,
    open_inbox,
    outbox_items,
    row_text,
    stored_row,
    wait_for,
    wait_for_screen,
    wait_for_text,
)

# A stand-in for $EDITOR: appends a line to the file it is given.
FAKE_EDITOR = """
import sys
with open(sys.argv[1], "a", encoding="utf-8") as f:
    f.write("\\nwritten in the editor")
"""


def _type(text: str) -> list[str]:
    """Keys that type `text` (letters and spaces)."""
    return ["space" if c == " " else c for c in text]


async def test_r_queues_a_reply_shown_pending_in_the_list_and_the_thread(
    synced_db: Path,
) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        conversations = await open_inbox(pilot)
        conversations.move_cursor(6)
        row = conversations.current_row
        assert row is not None
        await pilot.press("r")
        await wait_for_screen(pilot, ReplyScreen)
        await wait_for_text(pilot, f"Reply to {row.sender_name}")
        await pilot.press("ctrl+s")  # empty: refused, the editor stays open
        await wait_for_text(pilot, "The reply is empty.")
        assert isinstance(app.screen, ReplyScreen)
        await pilot.press(*_type("Tuesday works"))
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: app.status_info.pending == 1)
        [item] = outbox_items(synced_db)
        assert (item.resource_id, item.op, item.state) == (row.id, "reply", outbox.PENDING)
        assert "Tuesday works" in item.value["content"]
        # The cursor stays on the conversation (a queued reply may move it up the list).
        await wait_for(pilot, lambda: conversations.current_row.local_state == "pending")  # type: ignore[union-attr]
        assert conversations.current_row.id == row.id  # type: ignore[union-attr]
        await pilot.pause()
        assert row_text(conversations, conversations.cursor)[2] == "↑"
        await pilot.press("enter")
        await wait_for_screen(pilot, ThreadScreen)
        await wait_for_text(pilot, "Tuesday works", "[pending: not sent yet]")


async def test_escape_twice_discards_a_written_reply(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        await pilot.press("r")
        await wait_for_screen(pilot, ReplyScreen)
        await pilot.press(*_type("draft"))
        await pilot.press("escape")
        await wait_for_text(pilot, "Press esc again to discard")
        assert isinstance(app.screen, ReplyScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, InboxScreen)
        await pilot.pause()
    assert outbox_items(synced_db) == []


async def test_ctrl_e_edits_the_draft_in_editor(
    synced_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "editor.py"
    script.write_text(FAKE_EDITOR, encoding="utf-8")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    app = make_app(synced_db)
    # The headless test driver cannot suspend; a real terminal is handed to the editor.
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        await pilot.press("r")
        await wait_for_screen(pilot, ReplyScreen)
        await pilot.press(*_type("hello"))
        await pilot.press("ctrl+e")
        editor = app.screen.query_one(TextArea)
        await wait_for(pilot, lambda: editor.text == "hello\nwritten in the editor")


def test_edit_in_editor_round_trips_through_a_private_file(tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def run(argv: list[str]) -> None:
        seen.append(argv)
        path = Path(argv[-1])
        assert path.read_text(encoding="utf-8") == "draft ✓"
        assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
        path.write_text("draft ✓\nmore", encoding="utf-8")

    assert edit_in_editor("draft ✓", "vim -u 'NONE'", run=run) == "draft ✓\nmore"
    assert seen[0][:3] == ["vim", "-u", "NONE"]
    assert not Path(seen[0][-1]).exists()  # the temporary file is gone


async def test_c_composes_a_new_conversation_from_a_chosen_inbox(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        inboxes = mailbox_queries.list_inboxes(app.backend.reader)
        await pilot.press("c")
        await wait_for_screen(pilot, ComposeScreen)
        await pilot.press(*_type("not an address"), "ctrl+s")
        await wait_for_text(pilot, "not an email address: not an address")
        to = app.screen.query_one("#compose-to")
        to.value = ""  # type: ignore[attr-defined]
        await pilot.press(*"ana@example.com", "tab")
        await pilot.press(*_type("Hello Ana"), "tab")
        await pilot.press(*_type("Short note"))
        # The sending inbox: the first one listed after "server picks".
        app.screen.query_one("#compose-inbox").focus()
        await pilot.press("enter", "down", "enter")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: app.status_info.pending == 1)
        [item] = outbox_items(synced_db)
        assert item.op == "create" and item.state == outbox.PENDING
        assert item.value["to"] == [{"email": "ana@example.com", "name": None}]
        assert item.value["subject"] == "Hello Ana"
        assert "Short note" in item.value["content"]
        assert item.value["inbox_id"] == inboxes[0].id
        # The new conversation is at the top of the list, marked pending.
        await wait_for(pilot, lambda: conversations.row_at(0).is_local)  # type: ignore[union-attr]
        await pilot.pause()
        assert "Hello Ana" in row_text(conversations, 0)
        assert row_text(conversations, 0)[2] == "↑"
        assert stored_row(synced_db, item.resource_id).is_local


def test_recipients_are_parsed_or_refused_in_one_line() -> None:
    assert parse_recipients("a@x.example, Bob <b@y.example>") == [
        {"email": "a@x.example", "name": None},
        {"email": "b@y.example", "name": "Bob"},
    ]
    assert parse_recipients(" , ") == "add at least one recipient"
    assert parse_recipients("@x.example") == "not an email address: @x.example"


def _key_event(char: str) -> events.Key:
    names = {"\t": "tab", "@": "at", ".": "full_stop", " ": "space"}
    return events.Key(names.get(char, char), None if char == "\t" else char)


async def test_keys_typed_without_pauses_land_in_the_field_tab_moved_to(
    synced_db: Path,
) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        await pilot.press("c")
        await wait_for_screen(pilot, ComposeScreen)
        await pilot.pause()
        # Every key queued at once, as a fast typist or a paste of keystrokes sends them.
        for char in "a@b.example\tSubj line\tBody text":
            app.post_message(_key_event(char))
        screen = app.screen
        body = screen.query_one("#compose-body", TextArea)
        await wait_for(pilot, lambda: body.text == "Body text")
        assert screen.query_one("#compose-to", Input).value == "a@b.example"
        assert screen.query_one("#compose-subject", Input).value == "Subj line"


async def test_escape_in_compose_asks_before_discarding_a_typed_email(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        await pilot.press("c")
        await wait_for_screen(pilot, ComposeScreen)
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_for_screen(pilot, InboxScreen)
        await pilot.press("c")
        await wait_for_screen(pilot, ComposeScreen)
        await pilot.press(*"ana@example.com")
        await pilot.press("escape")
        await wait_for_text(pilot, "Press esc again to discard this email, or keep typing.")
        await pilot.press("x")  # typing again re-arms the question
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, InboxScreen)
    assert outbox_items(synced_db) == []
