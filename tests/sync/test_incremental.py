"""Incremental pulls, the early stop and its fallback, and deletions found by a full walk."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlite_utils import Database
from starlette.applications import Starlette

from outreach_tui.api import ReachkitClient
from outreach_tui.simulator import create_app
from outreach_tui.sync.engine import SyncOptions, run_sync
from tests.api.factories import conversation_json, message_json, page_json
from tests.sync.conftest import FAST_RETRIES, KEY, client_for
from tests.sync.sim_state import workspace


def _collections(app: Starlette, since: int) -> Counter[str]:
    """Requests per collection (list endpoints by folder) after position `since`."""
    counts: Counter[str] = Counter()
    for record in app.state.simulator.requests[since:]:
        query = dict(pair.split("=", 1) for pair in record.query.split("&") if pair)
        name = f"{record.method} {record.path}"
        if "folder" in query:
            name += f"?folder={query['folder']}"
        counts[name] += 1
    return counts


@pytest.fixture
def big_app() -> Starlette:
    """Enough conversations for several pages in each folder."""
    return create_app(api_keys=[KEY], size=450, seed=11)


async def test_second_sync_with_nothing_changed_makes_one_request_per_collection(
    big_app: Starlette, db: Database
) -> None:
    async with client_for(big_app) as client:
        first = await run_sync(client, db)
        assert first.ok and first.pulled["conversations"] == 450
        pages_first = _collections(big_app, 0)
        assert pages_first["GET /api/v1/unibox/conversations?folder=primary"] >= 3
        mark = len(big_app.state.simulator.requests)
        second = await run_sync(client, db)
    assert second.ok and second.pulled["conversations"] == 0
    assert _collections(big_app, mark) == {
        "GET /api/v1/inboxes": 1,
        "GET /api/v1/campaigns": 1,
        "GET /api/v1/unibox/conversations?folder=primary": 1,
        "GET /api/v1/unibox/conversations?folder=others": 1,
    }


async def test_a_new_reply_is_pulled_by_an_incremental_sync(
    big_app: Starlette, db: Database
) -> None:
    async with client_for(big_app) as client:
        assert (await run_sync(client, db)).ok
        conversation_id = workspace(big_app, KEY).add_incoming_reply()
        before = db.conn.execute(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = ?", [conversation_id]
        ).fetchone()[0]
        mark = len(big_app.state.simulator.requests)
        report = await run_sync(client, db)
    assert report.ok and report.pulled["conversations"] == 1
    after = db.conn.execute(
        "SELECT COUNT(*) FROM messages WHERE conversation_id = ?", [conversation_id]
    ).fetchone()[0]
    assert after == before + 1
    # page 1 changed, page 2 did not: the walk stopped there
    assert sum(n for k, n in _collections(big_app, mark).items() if "conversations" in k) <= 3


async def test_full_sync_removes_what_the_server_deleted(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    assert (await run_sync(client, db)).ok
    ws = workspace(app, KEY)
    gone_conversation = next(iter(ws.conversations.values()))
    ws.index.remove(gone_conversation)
    del ws.conversations[gone_conversation.id]
    gone_campaign = next(iter(ws.campaigns))
    await client.delete_campaign(gone_campaign)

    def cached(table: str, row_id: str) -> bool:
        sql = f"SELECT COUNT(*) FROM {table} WHERE id = ?"
        return db.conn.execute(sql, [row_id]).fetchone()[0] == 1

    # an incremental sync stops early: it cannot tell a deletion from an unread page
    assert (await run_sync(client, db)).ok
    assert cached("conversations", gone_conversation.id)
    # campaigns are always walked whole, so their deletions go at once
    assert not cached("campaigns", gone_campaign)
    assert (
        db.conn.execute(
            "SELECT COUNT(*) FROM sequences WHERE campaign_id = ?", [gone_campaign]
        ).fetchone()[0]
        == 0
    )

    assert (await run_sync(client, db, SyncOptions(full=True))).ok
    assert not cached("conversations", gone_conversation.id)
    remaining = db.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0]
    assert remaining == len(ws.conversations)


async def test_a_full_walk_becomes_due_after_full_every(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    assert (await run_sync(client, db)).ok
    ws = workspace(app, KEY)
    gone = next(iter(ws.conversations.values()))
    ws.index.remove(gone)
    del ws.conversations[gone.id]
    report = await run_sync(client, db, SyncOptions(full_every=timedelta(0)))
    assert report.ok
    assert (
        db.conn.execute("SELECT COUNT(*) FROM conversations WHERE id = ?", [gone.id]).fetchone()[0]
        == 0
    )


# --- the early stop against a server whose order is not documented -----------------------


class _ListServer:
    """Serves a fixed list of conversations in the order given (one folder: primary)."""

    def __init__(self, conversations: list[dict[str, Any]]) -> None:
        self.conversations = conversations
        self.pages_served: list[int] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        path = request.url.path
        if path.endswith("/unibox/conversations"):
            items = self.conversations if params.get("folder") != "others" else []
            size, number = int(params["page_size"]), int(params["page"])
            if params.get("folder") == "primary":
                self.pages_served.append(number)
            body = page_json(
                items[(number - 1) * size : number * size],
                page=number,
                page_size=size,
                total_count=len(items),
            )
        else:
            body = page_json([])
        return httpx.Response(200, content=json.dumps(body).encode())

    def client(self) -> ReachkitClient:
        return ReachkitClient(
            base_url="https://reachkit.example",
            api_key=KEY,
            transport=httpx.MockTransport(self.handle),
            requests_per_minute=None,
            start_rate=None,
            retry=FAST_RETRIES,
        )


def _threads(count: int, newest_first: bool) -> list[dict[str, Any]]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    stamps = [start - timedelta(hours=i) for i in range(count)]
    if not newest_first:
        stamps.reverse()
    return [
        conversation_json(
            f"conv-{i:04d}",
            messages=[message_json(1, email_date=stamp.isoformat())],
            updated_at=stamp.isoformat(),
        )
        for i, stamp in enumerate(stamps)
    ]


async def _two_syncs(server: _ListServer, db: Database) -> list[int]:
    async with server.client() as client:
        assert (await run_sync(client, db)).ok
        server.pages_served.clear()
        assert (await run_sync(client, db)).ok
    return server.pages_served


async def test_early_stop_while_the_order_is_newest_first(db: Database) -> None:
    server = _ListServer(_threads(250, newest_first=True))
    assert await _two_syncs(server, db) == [1]


async def test_early_stop_falls_back_to_a_full_walk_when_the_order_does_not_hold(
    db: Database,
) -> None:
    server = _ListServer(_threads(250, newest_first=False))
    assert await _two_syncs(server, db) == [1, 2, 3]


async def test_a_change_deep_in_an_unordered_list_is_found(db: Database) -> None:
    server = _ListServer(_threads(250, newest_first=False))
    async with server.client() as client:
        assert (await run_sync(client, db)).ok
        server.conversations[240]["label"] = "wrong_person"
        server.conversations[240]["updated_at"] = "2025-02-01T00:00:00Z"
        report = await run_sync(client, db)
    assert report.ok and report.pulled["conversations"] == 1
    label = db.conn.execute(
        "SELECT label FROM conversations WHERE id = ?", [server.conversations[240]["id"]]
    ).fetchone()[0]
    assert label == "wrong_person"
