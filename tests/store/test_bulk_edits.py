"""Edits on every conversation a filter shows, with one undo for the batch."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from outreach_tui.store.edits import EditError
from outreach_tui.store.edits.bulk import label_matching, read_matching, undo_batch
from outreach_tui.store.ingest import upsert_conversations
from outreach_tui.store.outbox import PENDING, list_items
from outreach_tui.store.queries.conversations import conversation_window
from outreach_tui.store.records import ConversationFilter
from tests.store import factories


@pytest.fixture
def mixed(db: Database) -> Database:
    rows = [
        factories.conversation(
            f"conv-{i:03d}",
            label=("interested", "question", None)[i % 3],
            is_read=i % 2 == 0,
            day=1 + i % 9,
        )
        for i in range(60)
    ]
    upsert_conversations(db, rows, "primary")
    return db


def _state(db: Database) -> dict[str, tuple[str | None, str | None, bool]]:
    rows = conversation_window(db, ConversationFilter(), limit=1000)
    return {r.id: (r.label, r.label_override, r.is_read) for r in rows}


def test_label_every_match_then_undo_the_batch(mixed: Database) -> None:
    before = _state(mixed)
    flt = ConversationFilter(label="question")
    matching = {cid for cid, (label, _o, _r) in before.items() if label == "question"}
    batch, changed = label_matching(mixed, flt, "not_interested")
    assert changed == len(matching) == 20
    after = _state(mixed)
    for cid, (label, override, _read) in after.items():
        if cid in matching:
            assert (label, override) == ("not_interested", "not_interested")
        else:
            assert after[cid] == before[cid]
    assert len(list_items(mixed, [PENDING])) == 20  # one queued change per conversation
    assert undo_batch(mixed, batch, "label") == 20
    assert _state(mixed) == before
    assert list_items(mixed, [PENDING]) == []  # the undo cancelled the queued changes out


def test_read_every_unread_match_counts_only_changes(mixed: Database) -> None:
    before = _state(mixed)
    batch, changed = read_matching(mixed, ConversationFilter(label="interested"), True)
    unread_interested = [
        cid for cid, (label, _o, read) in before.items() if label == "interested" and not read
    ]
    assert changed == len(unread_interested) == 10
    assert all(_state(mixed)[cid][2] for cid in unread_interested)
    undo_batch(mixed, batch, "read")
    assert _state(mixed) == before


def test_an_unknown_label_changes_nothing(mixed: Database) -> None:
    before = _state(mixed)
    with pytest.raises(EditError):
        label_matching(mixed, ConversationFilter(), "maybe")
    assert _state(mixed) == before
