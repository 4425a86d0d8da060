"""A sync's search documents go into the index in batches (`search.deferred_indexing`):
once the sync returns, every conversation it stored is searchable."""

from __future__ import annotations

import pytest
from sqlite_utils import Database
from starlette.applications import Starlette

from outreach_tui.simulator import create_app
from outreach_tui.store import search
from outreach_tui.sync.engine import run_sync
from tests.sync.conftest import KEY, client_for


@pytest.fixture
def big_app() -> Starlette:
    return create_app(api_keys=[KEY], size=450, seed=11)


def _batches(monkeypatch: pytest.MonkeyPatch, db: Database) -> list[int]:
    """Record the size of every batch indexed; batches of 150 (a page and a half)."""
    sizes: list[int] = []
    insert = search._insert_pending

    def recording(db: Database) -> int:
        sizes.append(insert(db))
        return sizes[-1]

    monkeypatch.setattr(search, "_insert_pending", recording)
    original = search.DeferredIndex.__init__

    def small_batches(self: search.DeferredIndex, db: Database, batch: int = 0) -> None:
        original(self, db, 150)

    monkeypatch.setattr(search.DeferredIndex, "__init__", small_batches)
    return sizes


async def test_every_conversation_a_sync_stored_is_searchable_when_it_returns(
    big_app: Starlette, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = _batches(monkeypatch, db)
    async with client_for(big_app) as client:
        report = await run_sync(client, db)
    assert report.ok and report.pulled["conversations"] == 450
    # Several batches of pages, then what was left when each folder's walk ended.
    assert len(sizes) >= 3 and sum(sizes) == 450
    assert db.conn.execute("SELECT COUNT(*) FROM search_pending").fetchone()[0] == 0
    indexed = db.conn.execute("SELECT COUNT(*) FROM conversation_fts_docsize").fetchone()[0]
    assert indexed == 450
    db.conn.execute(
        "INSERT INTO conversation_fts (conversation_fts, rank) VALUES ('integrity-check', 1)"
    )
    subject, cid = db.conn.execute(
        "SELECT subject, id FROM conversations ORDER BY last_activity LIMIT 1"
    ).fetchone()
    word = max(subject.split(), key=len)
    found = search.search_conversations(db, word, limit=500)
    assert cid in found
