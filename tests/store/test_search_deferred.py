"""Deferred search indexing (`search.deferred_indexing`, issue 16): a sync's pages hold
their documents back in `search_pending` and put them into the index in batches.

What must hold: the index never holds a document twice nor misses one once the block is
left (or the cache reopened after a kill), a pending document updated or removed never
reaches the index in its old form, and FTS5's own integrity check passes throughout.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlite_utils import Database

from outreach_tui.store import search
from outreach_tui.store.cache_file import check_cache
from outreach_tui.store.connection import open_for_reading, open_writer
from outreach_tui.store.ingest import upsert_conversations
from outreach_tui.store.ingest.reconcile import remove_missing
from outreach_tui.store.search import SEARCH_KEY_SQL, search_conversations
from tests.store.factories import conversation

REPO = Path(__file__).resolve().parents[2]


def _pending(db: Database) -> int:
    return db.conn.execute("SELECT COUNT(*) FROM search_pending").fetchone()[0]


def _assert_index_complete(db: Database) -> None:
    """Every conversation has its document, keyed by its row, in the index; none waits."""
    docs = sorted(r[0] for r in db.conn.execute("SELECT key FROM conversation_search"))
    keys = sorted(r[0] for r in db.conn.execute(f"SELECT {SEARCH_KEY_SQL} FROM conversations c"))
    assert docs == keys
    assert _pending(db) == 0
    indexed = db.conn.execute("SELECT COUNT(*) FROM conversation_fts_docsize").fetchone()[0]
    assert indexed == len(keys)
    db.conn.execute(
        "INSERT INTO conversation_fts (conversation_fts, rank) VALUES ('integrity-check', 1)"
    )


def _page(start: int, count: int, word: str = "walrus", day: int = 1) -> list[dict]:
    return [
        conversation(f"c{i:03d}", text=f"{word} number{i}", day=day + i % 20)
        for i in range(start, start + count)
    ]


def test_documents_wait_for_their_batch_and_are_all_found_after_the_block(
    db: Database,
) -> None:
    with search.deferred_indexing(db, batch=5):
        upsert_conversations(db, _page(0, 3), "primary")
        # Stored and listed, not yet searchable: three of a batch of five.
        assert db.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 3
        assert _pending(db) == 3
        assert search_conversations(db, "walrus") == []
        upsert_conversations(db, _page(3, 3), "primary")
        # Six waiting documents reached the batch: indexed after the page's transaction.
        assert _pending(db) == 0
        assert len(search_conversations(db, "walrus")) == 6
        upsert_conversations(db, _page(6, 2), "primary")
        assert _pending(db) == 2
    assert len(search_conversations(db, "walrus", limit=100)) == 8
    _assert_index_complete(db)


def test_a_waiting_document_that_changes_or_goes_never_reaches_the_index_old(
    db: Database,
) -> None:
    with search.deferred_indexing(db, batch=1000):
        upsert_conversations(db, _page(0, 6, word="walrus"), "primary")
        # Changed while waiting: new text and a new last_activity (a new key).
        upsert_conversations(db, _page(0, 3, word="narwhal", day=9), "primary")
        # Gone while waiting (a full walk's reconcile).
        remove_missing(db, "conversation", [f"c{i:03d}" for i in range(5)], scope="primary")
        assert _pending(db) == 5
    assert sorted(search_conversations(db, "narwhal")) == ["c000", "c001", "c002"]
    assert sorted(search_conversations(db, "walrus")) == ["c003", "c004"]
    _assert_index_complete(db)


def test_documents_indexed_before_the_block_change_inside_it(db: Database) -> None:
    upsert_conversations(db, _page(0, 4, word="walrus"), "primary")
    with search.deferred_indexing(db, batch=1000):
        upsert_conversations(db, _page(0, 2, word="narwhal", day=12), "primary")
        # The old documents left the index at once; the new ones wait.
        assert sorted(search_conversations(db, "walrus")) == ["c002", "c003"]
        assert search_conversations(db, "narwhal") == []
    assert sorted(search_conversations(db, "narwhal")) == ["c000", "c001"]
    _assert_index_complete(db)


def test_a_failure_inside_the_block_still_indexes_what_was_stored(db: Database) -> None:
    with pytest.raises(RuntimeError), search.deferred_indexing(db, batch=1000):
        upsert_conversations(db, _page(0, 3), "primary")
        raise RuntimeError("the connection to the server dropped")
    assert len(search_conversations(db, "walrus")) == 3
    _assert_index_complete(db)


def test_nested_blocks_join_the_outer_one(db: Database) -> None:
    with search.deferred_indexing(db, batch=1000):
        with search.deferred_indexing(db, batch=1):
            upsert_conversations(db, _page(0, 3), "primary")
        assert _pending(db) == 3
    _assert_index_complete(db)


def test_outside_a_block_documents_are_indexed_with_their_page(db: Database) -> None:
    upsert_conversations(db, _page(0, 3), "primary")
    assert _pending(db) == 0
    assert len(search_conversations(db, "walrus")) == 3


_KILLED_SYNC = textwrap.dedent(
    """
    import os, signal, sys
    from outreach_tui.store import search
    from outreach_tui.store.connection import open_writer
    from outreach_tui.store.ingest import upsert_conversations
    from tests.store.factories import conversation

    db = open_writer(sys.argv[1])
    with search.deferred_indexing(db, batch=25):
        for page in range(5):
            upsert_conversations(
                db,
                [conversation(f"c{page}-{i}", text=f"walrus n{page}x{i}", day=1 + i % 20)
                 for i in range(10)],
                "primary",
            )
        print(db.conn.execute("SELECT COUNT(*) FROM search_pending").fetchone()[0], flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """
)


def _killed_sync(path: Path) -> None:
    """Five pages of 10 in batches of 25, killed (SIGKILL) before the block ends: one
    batch indexed, twenty documents left waiting."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_SYNC, str(path)],
        env=env,
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == -signal.SIGKILL
    assert done.stdout.strip() == "20"


@pytest.mark.parametrize("reopen", [open_writer, open_for_reading])
def test_a_killed_sync_leaves_every_stored_conversation_searchable_after_a_restart(
    tmp_path: Path, reopen
) -> None:
    path = tmp_path / "cache.db"
    open_writer(path).close()
    _killed_sync(path)
    db = reopen(path)
    try:
        assert db.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 50
        assert len(search_conversations(db, "walrus", limit=100)) == 50
        assert _pending(db) == 0
        if reopen is open_writer:
            _assert_index_complete(db)
    finally:
        db.close()


def test_a_write_between_two_held_pages_is_indexed_with_its_transaction(db: Database) -> None:
    with search.DeferredIndex(db, batch=1000) as indexing:
        with indexing.holding():
            upsert_conversations(db, _page(0, 2), "primary")
        # A push's answer (or an edit) on the same writer between two pages of a sync.
        upsert_conversations(db, [conversation("x1", text="walrus solo")], None)
        assert search_conversations(db, "solo") == ["x1"]
        with indexing.holding():
            upsert_conversations(db, _page(2, 2), "primary")
        assert _pending(db) == 4
    assert len(search_conversations(db, "walrus")) == 5
    _assert_index_complete(db)


def test_the_index_merges_16_segments_at_a_time(db: Database) -> None:
    config = dict(db.conn.execute("SELECT k, v FROM conversation_fts_config"))
    assert config["automerge"] == 16


def test_the_cache_check_passes_while_documents_wait(db: Database, db_path: Path) -> None:
    upsert_conversations(db, _page(0, 3), "primary")
    with search.deferred_indexing(db, batch=1000):
        upsert_conversations(db, _page(3, 3), "primary")
        assert _pending(db) == 3
        # FTS5's check compares the index with its content table, which holds the text
        # of the waiting documents too: the check indexes them in its copy first.
        result = check_cache(db_path)
        assert result.ok, result.problems
        assert _pending(db) == 3
    _assert_index_complete(db)
