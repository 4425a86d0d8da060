"""The body limit in the TUI: a reply or a new email over 1,000,000 bytes is refused in
the editor itself (an inline error, the text kept), and nothing reaches the outbox."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from outreach_tui.store.edits.body import MAX_BODY_BYTES
from outreach_tui.ui.inbox.screens.compose import ComposeScreen
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.screens.reply import ReplyScreen

from .conftest import make_app, open_inbox, outbox_items, wait_for, wait_for_screen, wait_for_text


async def test_a_reply_over_the_limit_stays_in_the_editor_and_queues_nothing(
    synced_db: Path,
) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        await pilot.press("r")
        await wait_for_screen(pilot, ReplyScreen)
        screen = app.screen
        editor = screen.query_one(TextArea)
        editor.text = "a" * (MAX_BODY_BYTES + 1)  # typing a megabyte key by key takes hours
        await pilot.press("ctrl+s")
        await wait_for_text(pilot, "the reply is 1,000,001 bytes; the limit is 1,000,000 bytes")
        assert app.screen is screen and len(editor.text) == MAX_BODY_BYTES + 1
        assert outbox_items(synced_db) == []
        # Cut to the limit, the same reply goes through.
        editor.text = "a" * MAX_BODY_BYTES
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: len(outbox_items(synced_db)) == 1)


async def test_a_new_email_over_the_limit_is_refused_inline(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        await pilot.press("c")
        await wait_for_screen(pilot, ComposeScreen)
        screen = app.screen
        await pilot.press(*"ana@example.com", "tab", "H", "i", "tab")
        screen.query_one("#compose-body", TextArea).text = "✓" * (MAX_BODY_BYTES // 3 + 1)
        await pilot.press("ctrl+s")
        await wait_for_text(pilot, "the message is 1,000,002 bytes; the limit is 1,000,000 bytes")
        assert app.screen is screen
        await pilot.pause()
    assert outbox_items(synced_db) == []
