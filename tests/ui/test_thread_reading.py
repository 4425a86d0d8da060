"""Reading a thread: it opens on the newest incoming message, `h` opens and closes the
quoted history, `g` lists the thread's links to open or copy; `space` on the inbox jumps to
the next unread conversation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widget import Widget

from outreach_tui.config import Config
from outreach_tui.core.labels import NEEDS_DECISION_LABELS
from outreach_tui.store.connection import open_reader
from outreach_tui.store.queries import conversations as conversation_queries
from outreach_tui.store.records import ConversationFilter, ConversationRow
from outreach_tui.ui.app import OutreachApp
from outreach_tui.ui.inbox.screens.link_picker import LinkPicker
from outreach_tui.ui.inbox.screens.thread import ThreadScreen
from outreach_tui.ui.inbox.widgets.message_view import (
    QuotedHistory,
    RenderedMessage,
    render_message,
)

from .conftest import make_app, open_inbox, stored_row, wait_for, wait_for_screen

PRIMARY = ConversationFilter(folder="primary")


def _pick(synced_db: Path, good: Callable[[list[RenderedMessage]], bool]) -> tuple[str, int]:
    """(id, list position) of the first primary conversation whose messages are `good`."""
    db = open_reader(synced_db)
    try:
        rows = conversation_queries.conversation_window(db, PRIMARY, limit=200)
        for position, row in enumerate(rows):
            thread = conversation_queries.thread(db, row.id)
            if thread is not None and good([render_message(m) for m in thread.messages]):
                return row.id, position
    finally:
        db.close()
    raise AssertionError("the seeded workspace has no such conversation")


async def _open(pilot: Pilot[object], position: int) -> ThreadScreen:
    conversations = await open_inbox(pilot)
    conversations.move_cursor(position)
    await pilot.press("enter")
    await wait_for_screen(pilot, ThreadScreen)
    screen = pilot.app.screen
    assert isinstance(screen, ThreadScreen)
    await wait_for(pilot, lambda: screen.thread is not None)
    return screen


def _long_with_older_messages(messages: list[RenderedMessage]) -> bool:
    incoming = [i for i, m in enumerate(messages) if m.incoming]
    return len(messages) >= 3 and bool(incoming) and incoming[-1] > 0


async def test_a_thread_opens_on_its_newest_incoming_message(synced_db: Path) -> None:
    conversation_id, position = _pick(synced_db, _long_with_older_messages)
    app = make_app(synced_db, config=Config(mark_read_on_open=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, position)
        body = screen.query_one("#thread-body", VerticalScroll)

        def newest_incoming() -> Widget:
            return [b for b in body.query(".message") if "outgoing" not in b.classes][-1]

        def landed() -> bool:
            # Scrolled down, and the newest incoming message starts inside the view (at
            # its top, unless the thread ends before the view does).
            top = newest_incoming().region.y
            at_end = body.scroll_y >= body.max_scroll_y
            return body.scroll_y > 0 and (
                body.region.y <= top < body.region.y + 3
                or (at_end and body.region.y <= top < body.region.bottom)
            )

        await wait_for(pilot, landed)
        assert list(body.query(".message")).index(newest_incoming()) > 0  # older ones above
        await pilot.press("j")
        await wait_for(pilot, lambda: screen.row.id != conversation_id)
        await pilot.press("k")  # back: lands on the newest incoming message again
        await wait_for(pilot, lambda: screen.row.id == conversation_id)
        await wait_for(pilot, landed)


async def test_h_opens_and_closes_every_quoted_history(synced_db: Path) -> None:
    _, position = _pick(synced_db, lambda messages: any(m.quoted for m in messages))
    app = make_app(synced_db, config=Config(mark_read_on_open=False))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, position)
        quoted = list(screen.query(QuotedHistory))
        assert quoted and all(q.collapsed for q in quoted)
        assert screen.active_bindings["h"].binding.show  # in the footer
        await pilot.press("h")
        await wait_for(pilot, lambda: all(not q.collapsed for q in quoted))
        await pilot.press("h")
        await wait_for(pilot, lambda: all(q.collapsed for q in quoted))


async def test_g_lists_the_links_to_copy_or_open(synced_db: Path) -> None:
    _, position = _pick(
        synced_db, lambda messages: any(link.clickable for m in messages for link in m.links)
    )
    app = make_app(synced_db, config=Config(mark_read_on_open=False))
    opened: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
        screen = await _open(pilot, position)
        links = screen.links
        first_clickable = next(n for n, link in enumerate(links, start=1) if link.clickable)
        await pilot.press("g")
        await wait_for_screen(pilot, LinkPicker)
        await pilot.press("c")
        await wait_for_screen(pilot, ThreadScreen)
        assert app.clipboard == links[0].href
        await pilot.press("g")
        await wait_for_screen(pilot, LinkPicker)
        if first_clickable <= 9:
            await pilot.press(str(first_clickable))
        else:
            for _ in range(first_clickable - 1):
                await pilot.press("down")
            await pilot.press("enter")
        await wait_for_screen(pilot, ThreadScreen)
    assert opened == [links[first_clickable - 1].href]


async def test_space_jumps_to_the_next_unread_conversation_and_wraps(synced_db: Path) -> None:
    app = make_app(synced_db, config=Config(mark_read_on_open=False))
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        db = open_reader(synced_db)
        try:
            rows = conversation_queries.conversation_window(db, PRIMARY, limit=500)
        finally:
            db.close()
        unread = [i for i, row in enumerate(rows) if not row.is_read]
        assert len(unread) >= 2
        conversations.move_cursor(unread[0])
        await pilot.press("space")
        await wait_for(pilot, lambda: conversations.cursor == unread[1])
        conversations.move_cursor(unread[-1])
        await pilot.press("space")  # past the last unread: back to the first
        await wait_for(pilot, lambda: conversations.cursor == unread[0])
        assert isinstance(app, OutreachApp)


async def test_n_jumps_to_the_next_reply_needing_a_decision_and_skips_labelled_ones(
    synced_db: Path,
) -> None:
    app = make_app(synced_db, config=Config(mark_read_on_open=False))
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        db = open_reader(synced_db)
        try:
            rows = conversation_queries.conversation_window(db, PRIMARY, limit=500)
        finally:
            db.close()

        def needs(row: ConversationRow) -> bool:
            return row.label_override is None and row.ai_label in NEEDS_DECISION_LABELS

        waiting = [i for i, row in enumerate(rows) if needs(row)]
        assert len(waiting) >= 3
        conversations.move_cursor(waiting[0])
        await pilot.press("N")
        await wait_for(pilot, lambda: conversations.cursor == waiting[1])
        # Labelling the next one takes it out of the way: N now lands past it.
        await pilot.press("i")  # labels waiting[1], the cursor moves on
        conversations.move_cursor(waiting[0])
        await wait_for(pilot, lambda: stored_row(synced_db, rows[waiting[1]].id).overridden)
        await pilot.press("N")
        await wait_for(pilot, lambda: conversations.cursor == waiting[2])
        conversations.move_cursor(waiting[-1])
        await pilot.press("N")  # past the last one: back to the first
        await wait_for(pilot, lambda: conversations.cursor == waiting[0])
