"""Narrowing the inbox: / searches the local FTS index as you type (debounced), f cycles
the folder, U toggles unread only, v opens the filters (labels with counts, unread,
campaign, sending inbox)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.applications import Starlette
from textual.message import Message
from textual.widgets import Input, OptionList

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.connection import open_reader
from outreach_tui.store.queries import campaigns as campaign_queries
from outreach_tui.store.queries import conversations as conversation_queries
from outreach_tui.store.queries import mailboxes as mailbox_queries
from outreach_tui.store.records import ConversationFilter
from outreach_tui.sync.pull import pull_leads
from outreach_tui.ui.inbox.screens import inbox as inbox_module
from outreach_tui.ui.inbox.screens.filters import FilterScreen
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.widgets.conversation_list import ConversationList

from .conftest import (
    API_KEY,
    client_factory_for,
    make_app,
    open_inbox,
    row_text,
    screen_text,
    stored_count,
    terminal_lines,
    wait_for,
    wait_for_screen,
    wait_for_text,
)


def _shown(conversations: ConversationList) -> list[str]:
    rows = [conversations.row_at(i) for i in range(conversations.total)]
    assert all(row is not None for row in rows)
    return [row.id for row in rows if row is not None]


async def test_slash_searches_as_you_type_once_typing_pauses(
    synced_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long pause makes "typed quickly" certain on a loaded machine.
    monkeypatch.setattr(inbox_module, "SEARCH_DEBOUNCE", 1.0)
    loads: list[int] = []
    seen: list[Message] = []

    def hook(message: Message) -> None:
        # The hook sees a message at every node it bubbles through: count each once.
        if isinstance(message, ConversationList.Loaded) and all(m is not message for m in seen):
            seen.append(message)
            loads.append(message.total)

    app = make_app(synced_db)
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        conversations = await open_inbox(pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await wait_for(pilot, lambda: len(loads) >= 1)
        before = len(loads)
        await pilot.press("slash", *"invoice")
        assert len(loads) == before  # nothing reloaded per key
        expected = stored_count(synced_db, ConversationFilter(folder="primary", search="invoice"))
        assert 0 < expected < conversations.total
        await wait_for(pilot, lambda: len(loads) == before + 1 and conversations.loaded)
        assert loads[-1] == expected  # one reload for the whole word, FTS results
        assert screen.filter.search == "invoice"
        await wait_for_text(pilot, "search: 'invoice'", f"— {expected} conversation")
        assert "invoice" in row_text(conversations, 0).lower()
        await pilot.pause(1.2)
        assert len(loads) == before + 1
        # enter goes back to the list, escape clears the search.
        await pilot.press("enter")
        assert conversations.has_focus
        await pilot.press("escape")
        await wait_for(pilot, lambda: conversations.total == 43)
        assert screen.filter.search is None


async def test_f_cycles_primary_others_all_snoozed(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        assert conversations.total == 43
        others = stored_count(synced_db, ConversationFilter(folder="others"))
        for expected_folder, expected_total in (("others", others), (None, 43 + others)):
            await pilot.press("f")
            await wait_for(pilot, lambda t=expected_total: conversations.total == t)
            db = open_reader(synced_db)
            try:
                folders = {
                    conversation_queries.get_conversation(db, i).folder
                    for i in _shown(conversations)
                }  # type: ignore[union-attr]
            finally:
                db.close()
            assert folders == ({expected_folder} if expected_folder else {"primary", "others"})
        await wait_for_text(pilot, f"— {43 + others} conversations")
        await pilot.press("f")  # the Snoozed tab: nothing snoozed yet
        await wait_for(pilot, lambda: conversations.loaded and conversations.total == 0)
        await wait_for_text(pilot, "— 0 conversations")
        await pilot.press("f")
        await wait_for(pilot, lambda: conversations.total == 43)


async def test_capital_u_shows_unread_only(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        unread = stored_count(synced_db, ConversationFilter(folder="primary", unread=True))
        await pilot.press("U")
        await wait_for(pilot, lambda: conversations.total == unread)
        await wait_for_text(pilot, "unread only")
        assert all(not conversations.row_at(i).is_read for i in range(unread))  # type: ignore[union-attr]
        await pilot.press("U")
        await wait_for(pilot, lambda: conversations.total == 43)


async def test_v_filters_by_label_with_counts_then_unread(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        db = open_reader(synced_db)
        try:
            counts = conversation_queries.label_counts(db, ConversationFilter(folder="primary"))
        finally:
            db.close()
        await pilot.press("v")
        await wait_for_screen(pilot, FilterScreen)
        await wait_for_text(
            pilot,
            "no label ticked: every label",
            "space ticks labels · tab next list · ↑↓ pick campaign and inbox · enter applies",
            f"Interested  {counts.by_label['interested']}",
            f"Needs more info  {counts.by_label['needs_more_info']}",
            f"No label  {counts.by_label['none']}",
            f"Unread only ({counts.unread})",
        )
        await pilot.press("space", "enter")  # tick Interested, apply
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: conversations.total == counts.by_label["interested"])
        assert all(conversations.row_at(i).label == "interested" for i in range(5))  # type: ignore[union-attr]
        await wait_for_text(pilot, "label: Interested")
        # Unread only on top of it: shift+tab to the checkbox, space, ctrl+s applies.
        await pilot.press("v")
        await wait_for_screen(pilot, FilterScreen)
        await pilot.press("shift+tab", "space", "ctrl+s")
        await wait_for_screen(pilot, InboxScreen)
        expected = stored_count(
            synced_db, ConversationFilter(folder="primary", label="interested", unread=True)
        )
        await wait_for(pilot, lambda: conversations.total == expected)
        await wait_for_text(pilot, "label: Interested  unread only")


async def test_several_labels_with_a_sending_inbox_together_then_v_clears_them_all(
    synced_db: Path,
) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        inbox = sorted(
            mailbox_queries.list_inboxes(app.backend.reader), key=lambda i: i.email.lower()
        )[0]
        total = conversations.total
        assert "V Show all" not in terminal_lines(app)[-1]
        await pilot.press("v")
        await wait_for_screen(pilot, FilterScreen)
        # Tick Interested and Meeting requested, then the first inbox; enter applies all.
        await pilot.press("space", "down", "down", "down", "space", "tab", "tab", "down", "enter")
        await wait_for_screen(pilot, InboxScreen)
        wanted = ConversationFilter(
            folder="primary", labels=("interested", "meeting_requested"), inbox_id=inbox.id
        )
        assert app.screen.filter == wanted  # type: ignore[attr-defined]
        expected = stored_count(synced_db, wanted)
        assert expected < stored_count(synced_db, replace(wanted, inbox_id=None))
        await wait_for(pilot, lambda: conversations.total == expected)
        shown = {conversations.row_at(i).label for i in range(expected)}  # type: ignore[union-attr]
        assert shown <= {"interested", "meeting_requested"}
        await wait_for_text(pilot, "labels: Interested, Meeting requested", "inbox:")
        assert "V Show all" in terminal_lines(app)[-1]
        await pilot.press("V")
        await wait_for(pilot, lambda: conversations.total == total)
        assert app.screen.filter == ConversationFilter(folder="primary")  # type: ignore[attr-defined]
        await pilot.pause()
        assert "V Show all" not in terminal_lines(app)[-1]


async def test_an_empty_filtered_list_says_how_to_clear_the_filters(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        await pilot.press("slash", *"zzqqxxnothing", "enter")
        await wait_for(pilot, lambda: conversations.loaded and conversations.total == 0)
        await wait_for_text(pilot, "No conversations here. V clears the filters.")
        await pilot.press("V")
        await wait_for(pilot, lambda: conversations.total > 0)


async def test_campaign_column_and_filter_once_leads_are_pulled(
    synced_db: Path, simulator: Starlette
) -> None:
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(150, 40)) as pilot:
        conversations = await open_inbox(pilot)
        first = conversations.row_at(0)
        assert first is not None and first.lead_id and first.campaign_id is None
        # Campaign ids come through leads, pulled on demand: no column until then. The
        # sending inbox is always known and keeps its column.
        workspace = simulator.state.simulator.workspace(API_KEY)
        sending = workspace.inboxes[first.inbox_id].email[:12]  # type: ignore[index]
        await wait_for(pilot, lambda: sending in row_text(conversations, 0))
        assert "Q4 blast" not in screen_text(app)
        campaign_id = workspace.leads[first.lead_id].campaign_id
        pulled = app.backend.writer.run_pull(lambda run: pull_leads(run, campaign_id))
        assert (await asyncio.wrap_future(pulled)).ok
        linked = stored_count(
            synced_db, ConversationFilter(folder="primary", campaign_id=campaign_id)
        )
        assert linked > 0
        name = workspace.campaigns[campaign_id].name
        await wait_for_text(pilot, name[:16])  # the campaign column joins the inbox's
        assert sending in row_text(conversations, 0)
        # At 120 columns the campaign gives way; the sending inbox stays on every row
        # (it used to come back blank, or as a campaign name, after a resize).
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: name[:16] not in screen_text(app))
        assert sending in row_text(conversations, 0)
        await pilot.press("v")
        await wait_for_screen(pilot, FilterScreen)
        campaigns = app.screen.query_one("#filter-campaign", OptionList)
        await pilot.press("tab")
        assert campaigns.has_focus
        target = campaigns.get_option_index(campaign_id)
        await pilot.press(*["down"] * target, "enter")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: conversations.total == linked)
        assert {conversations.row_at(i).campaign_id for i in range(linked)} == {campaign_id}  # type: ignore[union-attr]
        await wait_for_text(pilot, f"campaign: {name}")


async def test_v_filters_by_sending_inbox(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        inbox = sorted(
            mailbox_queries.list_inboxes(app.backend.reader), key=lambda i: i.email.lower()
        )[0]
        expected = stored_count(synced_db, ConversationFilter(folder="primary", inbox_id=inbox.id))
        await pilot.press("v")
        await wait_for_screen(pilot, FilterScreen)
        await pilot.press("tab", "tab", "down", "enter")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: conversations.total == expected)
        assert {conversations.row_at(i).inbox_id for i in range(expected)} == {inbox.id}  # type: ignore[union-attr]
        await wait_for_text(pilot, f"inbox: {inbox.email}")


async def test_the_filter_screen_lists_inboxes_even_before_the_list_has_its_names(
    synced_db: Path,
) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        # As if the list's own names read (a separate worker) had not landed yet.
        screen._campaign_names, screen._inbox_emails = {}, {}
        await pilot.press("v")
        await wait_for_screen(pilot, FilterScreen)
        await wait_for(pilot, lambda: bool(app.screen.query("#filter-inbox")))
        inboxes = app.screen.query_one("#filter-inbox", OptionList)
        offered = {inboxes.get_option_at_index(i).id for i in range(1, inboxes.option_count)}
        assert offered == {inbox.id for inbox in mailbox_queries.list_inboxes(app.backend.reader)}
        db = open_reader(synced_db)
        try:
            cached = {c.id for c in campaign_queries.list_campaigns(db)}
        finally:
            db.close()
        campaigns = app.screen.query_one("#filter-campaign", OptionList)
        assert cached
        assert {campaigns.get_option_at_index(i).id for i in range(1, campaigns.option_count)} == (
            cached
        )


async def test_folder_tabs_show_their_unread_counts_and_follow_a_read(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        unread = {
            folder: stored_count(synced_db, ConversationFilter(folder=folder, unread=True))
            for folder in ("primary", "others", None)
        }
        assert unread["primary"] > 0
        await wait_for_text(
            pilot,
            f" Primary {unread['primary']} ",
            f" Others {unread['others']} ",
            f" All {unread[None]} ",
        )
        first_unread = next(
            i
            for i in range(conversations.total)
            if not conversations.row_at(i).is_read  # type: ignore[union-attr]
        )
        conversations.move_cursor(first_unread)
        await pilot.press("u")  # read: one fewer in Primary and All
        await wait_for_text(
            pilot, f" Primary {unread['primary'] - 1} ", f" All {unread[None] - 1} "
        )


async def test_at_80_columns_the_subject_gets_the_room(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        conversations = await open_inbox(pilot)
        rows = [conversations.row_at(i) for i in range(5)]
        for index, row in enumerate(rows):
            assert row is not None
            line = row_text(conversations, index)
            subject = sanitize_line(row.subject, 200)
            assert subject[: min(len(subject), 30)] in line, line
            assert len(line) <= 80


async def test_search_operators_narrow_the_list_and_an_unknown_one_is_said_inline(
    synced_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox_module, "SEARCH_DEBOUNCE", 0.05)
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        conversations = await open_inbox(pilot)
        total = conversations.total
        await pilot.press("slash", *"is:unread")
        expected = stored_count(synced_db, ConversationFilter(folder="primary", search="is:unread"))
        assert (
            0
            < expected
            == stored_count(synced_db, ConversationFilter(folder="primary", unread=True))
        )
        await wait_for(pilot, lambda: conversations.loaded and conversations.total == expected)
        # An operator the search does not know (pasted in one go): said under the box,
        # the list keeps the last search that made sense.
        search = app.screen.query_one("#search", Input)
        search.value = "is:unread subject:x"
        await wait_for_text(pilot, "unknown operator subject:")
        await pilot.pause(0.3)
        assert conversations.total == expected
        search.value = "is:unread"
        await wait_for(pilot, lambda: "unknown operator" not in screen_text(app))
        await pilot.press("escape")  # leave the box
        await pilot.press("escape")  # clear the search
        await wait_for(pilot, lambda: conversations.total == total)


def _primary_rows(db_path: Path) -> list[tuple[str, str, str | None, bool]]:
    """(id, sender, label, is_read) of the primary folder, read straight from the table."""
    db = open_reader(db_path)
    try:
        rows = db.execute(
            "SELECT id, sender_email, label, is_read FROM conversations WHERE folder = 'primary'"
        ).fetchall()
    finally:
        db.close()
    return [(id_, sender, label, bool(is_read)) for id_, sender, label, is_read in rows]


TYPED_SEARCHES = {
    "label:needs_more_info is:unread": lambda sender, label, read: (
        label == "needs_more_info" and not read
    ),
    "-is:read -label:needs_more_info": lambda sender, label, read: (
        not read and label != "needs_more_info"
    ),
    "from:evil-sender.example -is:unread": lambda sender, label, read: (
        sender.endswith("@evil-sender.example") and read
    ),
}


@pytest.mark.parametrize("typed", list(TYPED_SEARCHES))
async def test_operators_typed_together_and_negated_show_exactly_the_matches(
    synced_db: Path, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    monkeypatch.setattr(inbox_module, "SEARCH_DEBOUNCE", 0.05)
    matches = TYPED_SEARCHES[typed]
    expected = {
        id_ for id_, sender, label, read in _primary_rows(synced_db) if matches(sender, label, read)
    }
    assert expected, f"the seeded workspace should give {typed!r} some matches"
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        await pilot.press("slash", *typed)
        await wait_for(pilot, lambda: conversations.loaded and conversations.total == len(expected))
        assert set(_shown(conversations)) == expected
        assert "unknown operator" not in screen_text(app)


async def test_escape_clears_a_search_that_never_applied(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        conversations = await open_inbox(pilot)
        total = conversations.total
        await pilot.press("slash")
        app.screen.query_one("#search", Input).value = "subject:x"
        await wait_for_text(pilot, "unknown operator subject:")
        await pilot.press("escape", "escape")  # leave the box, then clear it
        await wait_for(pilot, lambda: "unknown operator" not in screen_text(app))
        search = app.screen.query_one("#search", Input)
        assert search.value == "" and not search.has_class("visible")
        assert conversations.total == total
