"""Pipelined pulls: pages on the wire while one is stored, stored in order, once each;
a failure in the middle leaves a consistent cache that the next sync completes."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlite_utils import Database
from starlette.applications import Starlette

from outreach_tui.simulator import create_app
from outreach_tui.store import ingest, sync_state
from outreach_tui.sync import pull
from outreach_tui.sync.engine import SyncOptions, run_sync
from tests.sync.conftest import KEY, client_for


class PagedTransport(httpx.AsyncBaseTransport):
    """The in-process simulator, with chosen conversation pages answered late or never
    (a 500 every time), counting requests in flight."""

    def __init__(
        self,
        app: Starlette,
        *,
        late: dict[int, float] | None = None,
        failing: set[int] | None = None,
    ) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.late = late or {}
        self.failing = failing or set()
        self.in_flight = 0
        self.max_in_flight = 0
        self.pages: Counter[tuple[str, int]] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith("/unibox/conversations"):
            return await self.inner.handle_async_request(request)
        folder = request.url.params.get("folder", "")
        number = int(request.url.params.get("page", "1"))
        self.pages[(folder, number)] += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if folder == "primary" and number in self.failing:
                return httpx.Response(500, json={"error": "internal server error"})
            await asyncio.sleep(self.late.get(number, 0.0) if folder == "primary" else 0.0)
            return await self.inner.handle_async_request(request)
        finally:
            self.in_flight -= 1


@pytest.fixture
def big_app() -> Starlette:
    return create_app(api_keys=[KEY], size=900, seed=5)


def _server_ids(app: Starlette, folder: str) -> set[str]:
    workspace = app.state.simulator.workspace(KEY)
    return {c.id for c in workspace.conversations.values() if c.folder == folder}


def _cached_ids(db: Database, folder: str) -> set[str]:
    rows = db.conn.execute("SELECT id FROM conversations WHERE folder = ?", [folder])
    return {row[0] for row in rows}


def _record_stored_pages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str]]]:
    stored: list[tuple[str, list[str]]] = []
    original = ingest.upsert_conversations

    def upsert(db: Database, items: list[dict[str, Any]], folder: str) -> Any:
        stored.append((folder, [item["id"] for item in items]))
        return original(db, items, folder)

    monkeypatch.setattr(ingest, "upsert_conversations", upsert)
    return stored


async def test_a_full_pull_stores_every_page_once_in_page_order(
    big_app: Starlette, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = _record_stored_pages(monkeypatch)
    # page 2 answers last of the pages on the wire; it is still stored second
    transport = PagedTransport(big_app, late={2: 0.05})
    async with client_for(big_app, transport=transport) as client:
        report = await run_sync(client, db, SyncOptions(full=True))
        listing = [p async for p in client.iter_conversation_pages(folder="primary")]
    assert report.ok
    expected = [[c.id for c in page.items] for page in listing]
    assert [ids for folder, ids in stored if folder == "primary"] == expected
    # each page requested once by the sync (the listing above asked once more)
    assert all(count == 2 for (folder, _), count in transport.pages.items() if folder == "primary")
    assert 2 <= transport.max_in_flight <= pull.PAGES_AHEAD + 1
    for folder in pull.FOLDERS:
        assert _cached_ids(db, folder) == _server_ids(big_app, folder)


async def test_an_incremental_pull_with_nothing_changed_fetches_nothing_ahead(
    big_app: Starlette, db: Database
) -> None:
    transport = PagedTransport(big_app)
    async with client_for(big_app, transport=transport) as client:
        assert (await run_sync(client, db)).ok
        transport.pages.clear()
        report = await run_sync(client, db)
    assert report.ok and report.pulled.get("conversations", 0) == 0
    assert transport.pages == Counter({("primary", 1): 1, ("others", 1): 1})


async def test_a_failure_mid_pipeline_leaves_a_consistent_cache_and_the_next_sync_resumes(
    big_app: Starlette, db: Database
) -> None:
    transport = PagedTransport(big_app, failing={4})
    async with client_for(big_app, transport=transport) as client:
        failed = await run_sync(client, db, SyncOptions(full=True))
    assert failed.unreachable and not failed.ok
    cached = _cached_ids(db, "primary")
    server = _server_ids(big_app, "primary")
    assert 300 <= len(cached) < len(server)  # pages 1-3 stored, nothing after page 4
    assert cached <= server
    state = sync_state.get_sync_state(db, "conversations", "primary")
    assert state.last_full_at is None and state.last_error
    # the next sync, with the server well again, completes the folder
    async with client_for(big_app) as client:
        report = await run_sync(client, db)
    assert report.ok
    for folder in pull.FOLDERS:
        assert _cached_ids(db, folder) == _server_ids(big_app, folder)
    assert sync_state.get_sync_state(db, "conversations", "primary").last_full_at is not None
