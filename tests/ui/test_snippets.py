"""Snippets in reply and compose: ctrl+g picks one (fuzzy), filled for the lead; the
draft's merge tags are rendered before it is queued; the snippets screen adds, edits and
deletes them. All local: nothing here needs the server."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, TextArea

from outreach_tui.core.draft_tags import fill_known
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.connection import open_writer
from outreach_tui.store.edits.snippets import save_snippet
from outreach_tui.store.ingest import upsert_leads
from outreach_tui.store.queries.conversations import get_conversation
from outreach_tui.store.queries.snippets import get_snippet, list_snippets
from outreach_tui.ui.common.screens.confirm import ConfirmDialog
from outreach_tui.ui.inbox.screens.compose import ComposeScreen
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.screens.reply import ReplyScreen
from outreach_tui.ui.inbox.screens.snippet_editor import SnippetEditor
from outreach_tui.ui.inbox.screens.snippet_picker import SnippetPicker
from outreach_tui.ui.inbox.screens.snippets import SnippetsScreen

from .conftest import make_app, open_inbox, outbox_items, wait_for, wait_for_screen, wait_for_text

PRICING = (
    "Hi {{first_name|there}}, {{SPINTAX|here are|these are}} the prices for {{company|your team}}."
)


def _store(db_path: Path, *snippets: tuple[str, str]) -> None:
    db = open_writer(db_path)
    try:
        for name, body in snippets:
            save_snippet(db, name, body)
    finally:
        db.close()


def _cache_lead(db_path: Path, conversation_id: str, **fields: object) -> None:
    """Cache the conversation's lead (leads are pulled on demand, so none are cached yet)."""
    db = open_writer(db_path)
    try:
        row = get_conversation(db, conversation_id)
        assert row is not None
        lead_id = db.conn.execute(
            "SELECT lead_id FROM conversations WHERE id = ?", [conversation_id]
        ).fetchone()[0]
        if lead_id is None:
            lead_id = "lead-for-test"
            db.conn.execute(
                "UPDATE conversations SET lead_id = ? WHERE id = ?", [lead_id, conversation_id]
            )
            db.conn.commit()
        campaign = db.conn.execute("SELECT id FROM campaigns LIMIT 1").fetchone()[0]
        lead = {"id": lead_id, "email": row.sender_email, "variables": {}, **fields}
        upsert_leads(db, campaign, [lead])
    finally:
        db.close()


def _type(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


async def _open_picker(pilot: Pilot[object], snippets: int) -> SnippetPicker:
    """ctrl+g from reply or compose; returns the picker once it has read `snippets`."""
    await pilot.press("ctrl+g")
    await wait_for_screen(pilot, SnippetPicker)
    picker = pilot.app.screen
    assert isinstance(picker, SnippetPicker)
    await wait_for(pilot, lambda: len(picker.shown) == snippets)
    return picker


async def test_a_snippet_is_filled_with_the_leads_variables_and_a_fallback(synced_db: Path) -> None:
    _store(synced_db, ("Pricing", PRICING), ("Thanks", "Thanks!"))
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        row = conversations.current_row
        assert row is not None
        _cache_lead(synced_db, row.id, first_name="Dana")  # no company: the fallback
        await pilot.press("r")
        await wait_for_screen(pilot, ReplyScreen)
        await _open_picker(pilot, 2)
        await wait_for_text(pilot, "Pricing", "Thanks")
        await pilot.press(*"prc")  # fuzzy: only "Pricing" matches
        picker = app.screen
        await wait_for(pilot, lambda: picker.query_one(OptionList).option_count == 1)
        await pilot.press("enter")
        await wait_for_screen(pilot, ReplyScreen)
        body = app.screen.query_one(TextArea)
        expected = fill_known(PRICING, {"first_name": "Dana"}, seed_key=row.id).text
        assert body.text == expected
        assert body.text.startswith("Hi Dana, ") and body.text.endswith("for your team.")
        assert "{{" not in body.text
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: len(outbox_items(synced_db)) == 1)
        [item] = outbox_items(synced_db)
        assert item.resource_id == row.id
        assert "Hi Dana, " in item.value["content"]
        assert "your team" in item.value["content"]


async def test_a_variable_without_value_stops_the_send_once_then_goes_out_empty(
    synced_db: Path,
) -> None:
    _store(synced_db, ("Call", "Thanks {{first_name}}, call me on {{phone}}."))
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        conversations = await open_inbox(pilot)
        row = conversations.current_row
        assert row is not None
        _cache_lead(synced_db, row.id, first_name="Dana")
        await pilot.press("r")
        await wait_for_screen(pilot, ReplyScreen)
        await _open_picker(pilot, 1)
        await pilot.press("enter")
        await wait_for_screen(pilot, ReplyScreen)
        body = app.screen.query_one(TextArea)
        # The tag with no value stays in the draft where the user can see it.
        assert body.text == "Thanks Dana, call me on {{phone}}."
        await wait_for_text(pilot, "No value for phone")
        await pilot.press("ctrl+s")
        await wait_for_text(pilot, "ctrl+s again to send")
        assert isinstance(app.screen, ReplyScreen)
        assert outbox_items(synced_db) == []
        await pilot.press("ctrl+s")  # confirmed: sent with the variable empty
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: len(outbox_items(synced_db)) == 1)
        content = outbox_items(synced_db)[0].value["content"]
        assert "call me on ." in content and "{{" not in content


async def test_a_typed_tag_is_rendered_and_an_escape_stays_literal(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        row = conversations.current_row
        assert row is not None
        await pilot.press("r")
        await wait_for_screen(pilot, ReplyScreen)
        app.screen.query_one(TextArea).text = "Hi {{first_name|there}}, write \\{{x}} in it"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: len(outbox_items(synced_db)) == 1)
        content = outbox_items(synced_db)[0].value["content"]
        first = sanitize_line(row.sender_name).split(" ")[0]
        assert content == f"<p>Hi {first}, write {{{{x}}}} in it</p>"


async def test_compose_renders_the_body_for_the_first_recipient(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        await pilot.press("c")
        await wait_for_screen(pilot, ComposeScreen)
        screen = app.screen
        screen.query_one("#compose-to", Input).value = "Ann Smith <ann@example.com>"
        screen.query_one("#compose-subject", Input).value = "For {{last_name}} {{title}}"
        screen.query_one("#compose-body", TextArea).text = "Hi {{first_name|there}} at {{email}}"
        await pilot.press("ctrl+s")  # no title: asked once, the subject's tags included
        await wait_for_text(pilot, "No value for title")
        assert isinstance(app.screen, ComposeScreen)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: len(outbox_items(synced_db)) == 1)
        value = outbox_items(synced_db)[0].value
        assert "Hi Ann at ann@example.com" in value["content"]
        assert value["subject"] == "For Smith"


async def test_the_snippets_screen_adds_edits_and_deletes_from_the_keyboard(
    synced_db: Path,
) -> None:
    _store(synced_db, ("Old", "old text"))
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inbox(pilot)
        await pilot.press("r")
        await wait_for_screen(pilot, ReplyScreen)
        await _open_picker(pilot, 1)
        await pilot.press("ctrl+g")
        await wait_for_screen(pilot, SnippetsScreen)
        await pilot.press("n")
        await wait_for_screen(pilot, SnippetEditor)
        await pilot.press(*_type("old"), "ctrl+s")  # taken, ignoring case
        await wait_for_text(pilot, "a snippet named 'Old' already exists")
        app.screen.query_one(Input).value = "Follow up"
        app.screen.query_one(TextArea).text = "Any news, {{first_name|there}}?"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, SnippetsScreen)
        await wait_for_text(pilot, "Follow up", "Any news")
        snippet = get_snippet(app.backend.reader, "follow up")
        assert snippet is not None and snippet.body == "Any news, {{first_name|there}}?"
        # The list is by name: "Follow up", then "Old". Edit "Old" (renaming it).
        await pilot.press("down", "e")
        await wait_for_screen(pilot, SnippetEditor)
        app.screen.query_one(Input).value = "Older"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, SnippetsScreen)
        await wait_for(
            pilot,
            lambda: [s.name for s in list_snippets(app.backend.reader)] == ["Follow up", "Older"],
        )
        await pilot.press("d")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_for_screen(pilot, SnippetsScreen)
        await wait_for(
            pilot, lambda: [s.name for s in list_snippets(app.backend.reader)] == ["Follow up"]
        )
        await pilot.press("escape")  # back to the picker, which read the list again
        await wait_for_screen(pilot, SnippetPicker)
        await wait_for(pilot, lambda: app.screen.query_one(OptionList).option_count == 1)
    assert outbox_items(synced_db) == []  # snippets never reach the outbox


async def test_a_hostile_sender_name_and_snippet_reach_the_draft_as_plain_text(
    synced_db: Path,
) -> None:
    _store(synced_db, ("Hostile", "Hi {{first_name|there}} \x1b[31mred\x1b[0m \u202eevil"))
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        row = conversations.current_row
        assert row is not None and "\x1b" in row.sender_name  # the seeded escape-sequence sender
        await pilot.press("r")
        await wait_for_screen(pilot, ReplyScreen)
        await _open_picker(pilot, 1)
        await pilot.press("enter")
        await wait_for_screen(pilot, ReplyScreen)
        text = app.screen.query_one(TextArea).text
        assert text == "Hi Billing red evil"


async def test_the_command_palette_opens_the_snippets_screen(synced_db: Path) -> None:
    _store(synced_db, ("Intro", "Hello {{first_name|there}}"))
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inbox(pilot)
        [command] = [c for c in app.get_system_commands(app.screen) if c.title == "Snippets"]
        command.callback()
        await wait_for_screen(pilot, SnippetsScreen)
        await wait_for_text(pilot, "Intro", "Hello {{first_name|there}}", "kept in this cache only")
