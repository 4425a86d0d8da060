"""Long id lists: more ids than SQLite binds in one statement go through in chunks."""

from __future__ import annotations

from sqlite_utils import Database

from outreach_tui.store.edits import snooze as snoozes
from outreach_tui.store.id_lists import CHUNK, in_chunks
from outreach_tui.store.ingest import upsert_conversations
from outreach_tui.store.queries.snoozes import snoozed_until
from tests.store import factories


def test_in_chunks_covers_every_value_once_with_matching_placeholders() -> None:
    values = [f"id-{n}" for n in range(2 * CHUNK + 7)]
    chunks = list(in_chunks(values))
    assert [len(chunk) for chunk, _marks in chunks] == [CHUNK, CHUNK, 7]
    assert [v for chunk, _marks in chunks for v in chunk] == values
    assert all(marks.count("?") == len(chunk) for chunk, marks in chunks)
    assert list(in_chunks([])) == []


def test_a_selection_longer_than_a_statement_binds_is_snoozed_whole(db: Database) -> None:
    # 1,200 ids: over SQLite's old 999-parameter bound and over two chunks.
    ids = [f"conv-{n}" for n in range(1200)]
    upsert_conversations(
        db,
        [factories.conversation(cid, day=1 + n % 28) for n, cid in enumerate(ids)],
        "primary",
    )
    found = snoozes.snooze(
        db, [*ids, "conv-missing"], "2024-06-03T09:00:00Z", "2024-06-01T08:00:00Z"
    )
    assert found == 1200
    assert set(snoozed_until(db, [*ids, "conv-missing"])) == set(ids)
