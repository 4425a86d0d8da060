"""WAL checkpoints on their own thread while a sync pulls (store.checkpoints)."""

from __future__ import annotations

import time
from pathlib import Path

from sqlite_utils import Database

from outreach_tui.store.checkpoints import FALLBACK_CHECKPOINT_PAGES, BackgroundCheckpoints
from outreach_tui.store.connection import WAL_CHECKPOINT_PAGES, open_writer
from outreach_tui.store.ingest import upsert_conversations
from tests.store.factories import conversation


def _autocheckpoint(db: Database) -> int:
    return int(db.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])


def test_page_commits_are_checkpointed_by_the_thread_not_the_writer(
    db: Database, db_path: Path
) -> None:
    before = db_path.stat().st_size  # the schema; new pages live in the WAL until copied
    with BackgroundCheckpoints(db) as checkpoints:
        assert _autocheckpoint(db) == FALLBACK_CHECKPOINT_PAGES  # the writer steps back
        for page in range(5):
            upsert_conversations(db, [conversation(f"c-{page}-{i}") for i in range(20)], "primary")
            checkpoints.nudge()
        deadline = time.monotonic() + 10
        while checkpoints.checkpoints == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert checkpoints.checkpoints >= 1
    assert db_path.stat().st_size > before  # copied into the database file by the thread
    assert _autocheckpoint(db) == WAL_CHECKPOINT_PAGES  # restored
    assert db.conn.execute("SELECT count(*) FROM conversations").fetchone()[0] == 100


def test_an_in_memory_database_has_nothing_to_checkpoint() -> None:
    db = open_writer(":memory:")
    with BackgroundCheckpoints(db) as checkpoints:
        checkpoints.nudge()
    assert checkpoints.checkpoints == 0
    db.close()
