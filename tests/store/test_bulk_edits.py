"""Edits on every conversation a filter shows, with one undo for the batch."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from outreach_tui.store.edits import EditError
from outreach_tui.store.edits.bulk import (
    label_matching,
    read_matching,
    snooze_matching,
    undo_batch,
)
from outreach_tui.store.edits.snooze import snooze
from outreach_tui.store.ingest import upsert_conversations
from outreach_tui.store.outbox import PENDING, list_items
from outreach_tui.store.queries.conversations import conversation_window
from outreach_tui.store.records import ConversationFilter
from tests.store import factories

NOW = "2024-06-01T08:00:00Z"
NOW_STORED = "2024-06-01T08:00:00.000000Z"


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


def _snoozes(db: Database) -> dict[str, tuple[str, str]]:
    return {
        cid: (until, snoozed_at)
        for cid, until, snoozed_at in db.conn.execute(
            "SELECT c.id, s.until, s.snoozed_at FROM snoozes s JOIN conversations c"
            " ON c.seq = s.seq"
        )
    }


def test_snooze_every_match_then_undo_puts_the_earlier_snoozes_back(mixed: Database) -> None:
    # conv-001, a question, is snoozed already: hidden, so not among what the filter
    # shows; conv-002 (no label) is snoozed and outside the filter.
    snooze(mixed, ["conv-001"], "2024-07-01T09:00:00Z", NOW)
    snooze(mixed, ["conv-002"], "2024-06-05T09:00:00Z", NOW)
    before_snoozes = _snoozes(mixed)
    flt = ConversationFilter(folder="primary", label="question")
    shown = {r.id for r in conversation_window(mixed, flt, limit=100)}
    assert len(shown) == 19 and "conv-001" not in shown
    batch, changed = snooze_matching(mixed, flt, "2024-06-03T09:00:00Z", NOW)
    assert changed == 19
    assert conversation_window(mixed, flt, limit=100) == []
    snoozed = _snoozes(mixed)
    assert set(snoozed) == shown | set(before_snoozes)
    assert {snoozed[cid] for cid in shown} == {("2024-06-03T09:00:00.000000Z", NOW_STORED)}
    assert snoozed["conv-001"] == before_snoozes["conv-001"]
    assert undo_batch(mixed, batch, "snooze") == 19
    assert _snoozes(mixed) == before_snoozes
    assert {r.id for r in conversation_window(mixed, flt, limit=100)} == shown


def test_a_bulk_resnooze_of_the_snoozed_view_undoes_to_the_old_times(mixed: Database) -> None:
    snooze(mixed, ["conv-001", "conv-004"], "2024-07-01T09:00:00Z", NOW)
    before_snoozes = _snoozes(mixed)
    batch, changed = snooze_matching(
        mixed, ConversationFilter(snoozed=True), "2024-06-02T09:00:00Z", NOW
    )
    assert changed == 2
    assert {until for until, _ in _snoozes(mixed).values()} == {"2024-06-02T09:00:00.000000Z"}
    undo_batch(mixed, batch, "snooze")
    assert _snoozes(mixed) == before_snoozes


def test_a_bulk_snooze_must_end_in_the_future(mixed: Database) -> None:
    with pytest.raises(EditError, match="future"):
        snooze_matching(mixed, ConversationFilter(), "2024-05-01T09:00:00Z", NOW)
    assert _snoozes(mixed) == {}
