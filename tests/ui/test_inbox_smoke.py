"""The inbox opens on a synced cache and one-key triage lands in the store and outbox."""

from __future__ import annotations

from pathlib import Path

from outreach_tui.store import outbox
from outreach_tui.store.connection import open_reader
from outreach_tui.store.queries import conversations as conversation_queries
from outreach_tui.ui.inbox.widgets.conversation_list import ConversationList

from .conftest import make_app, wait_for


async def test_quick_label_is_applied_queued_and_moves_to_the_next_row(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = app.screen.query_one(ConversationList)
        await wait_for(
            pilot, lambda: conversations.loaded and conversations.current_row is not None
        )
        first = conversations.current_row
        assert first is not None
        await pilot.press("i")
        await wait_for(pilot, lambda: app.status_info.pending == 1)
        assert conversations.cursor == 1
    db = open_reader(synced_db)
    row = conversation_queries.get_conversation(db, first.id)
    assert row is not None and row.label == "interested" and row.local_state == "pending"
    items = outbox.list_items(db, (outbox.PENDING,))
    assert [(i.resource_id, i.field, i.value) for i in items] == [
        (first.id, "label_override", "interested")
    ]
