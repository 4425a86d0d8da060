"""Sorting the inbox: column titles above the list, S opens the sort picker (one key per
column, the current column's key turns it round), a click on a title sorts by it, and
the cursor stays on its conversation when only the order changes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from outreach_tui.store.connection import open_reader
from outreach_tui.store.queries import conversations as conversation_queries
from outreach_tui.store.records import ConversationFilter
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.screens.sort_picker import SortPicker
from outreach_tui.ui.inbox.widgets.conversation_list import ConversationHeader, ConversationList

from .conftest import make_app, open_inbox, terminal_lines, wait_for, wait_for_screen


def _order(db_path: Path, flt: ConversationFilter) -> list[str]:
    db = open_reader(db_path)
    try:
        return [r.id for r in conversation_queries.conversation_window(db, flt, limit=10_000)]
    finally:
        db.close()


def _shown(conversations: ConversationList) -> list[str]:
    return [row.id for i in range(conversations.total) if (row := conversations.row_at(i))]


def _header(app: object) -> str:
    return next(line for line in terminal_lines(app) if "Subject" in line)  # type: ignore[arg-type]


async def test_s_sorts_by_each_column_and_again_reverses(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        header = _header(app)
        assert "Sender" in header and "Label" in header and "When ▼" in header
        for keys, sort, reversed_, title in (
            (("S", "s"), "sender", False, "Sender ▲"),
            (("S", "s"), "sender", True, "Sender ▼"),
            (("S", "l"), "label", False, "Label ▲"),
            (("S", "t"), "subject", False, "Subject ▲"),
            (("S", "d"), "date", False, "When ▼"),
            (("S", "d"), "date", True, "When ▲"),
        ):
            await pilot.press(keys[0])
            await wait_for_screen(pilot, SortPicker)
            await pilot.press(keys[1])
            await wait_for_screen(pilot, InboxScreen)
            flt = ConversationFilter(folder="primary", sort=sort, sort_reversed=reversed_)
            expected = _order(synced_db, flt)
            await wait_for(
                pilot, lambda e=expected: conversations.loaded and _shown(conversations) == e
            )
            assert (screen.filter.sort, screen.filter.sort_reversed) == (sort, reversed_)
            assert title in _header(app)
        assert _order(synced_db, ConversationFilter(folder="primary", sort="sender")) != _order(
            synced_db, ConversationFilter(folder="primary")
        )


async def test_the_cursor_stays_on_its_conversation_when_the_order_changes(
    synced_db: Path,
) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        await pilot.press("j", "j", "j")
        chosen = conversations.current_row
        assert chosen is not None
        await pilot.press("S", "t")
        await wait_for_screen(pilot, InboxScreen)
        expected = _order(synced_db, ConversationFilter(folder="primary", sort="subject"))
        await wait_for(pilot, lambda: conversations.loaded and _shown(conversations) == expected)
        assert conversations.current_row is not None
        assert conversations.current_row.id == chosen.id
        assert conversations.cursor == expected.index(chosen.id)


async def test_escape_leaves_the_order_and_a_title_click_sorts(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await pilot.press("S")
        await wait_for_screen(pilot, SortPicker)
        assert "now: newest first" in "\n".join(terminal_lines(app))
        await pilot.press("escape")
        await wait_for_screen(pilot, InboxScreen)
        assert screen.filter.sort == "date"
        header = screen.query_one(ConversationHeader)
        x = _header(app).index("Label")
        await pilot.click(ConversationHeader, offset=(x, 0))
        expected = _order(synced_db, ConversationFilter(folder="primary", sort="label"))
        await wait_for(pilot, lambda: conversations.loaded and _shown(conversations) == expected)
        assert header.sort == ("label", False)
        # Filters keep the order; the folder bar still counts what is shown.
        await pilot.press("f")
        await wait_for(pilot, lambda: screen.filter.folder == "others")
        assert screen.filter.sort == "label"
        assert "Label ▲" in _header(app)
        assert screen.query_one("#filter-bar", Static)
