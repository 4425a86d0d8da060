"""Acceptance: a sync against a server the app has never seen ends, succeeds, and sends
only requests the reference allows (random but schema-valid answers, lying metadata)."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlite_utils import Database

from outreach_tui.api import ReachkitClient
from outreach_tui.store import edits
from outreach_tui.sync.engine import SyncOptions, run_sync
from outreach_tui.sync.progress import SyncReport
from tests.sync.conftest import FAST_RETRIES, KEY
from tests.sync.random_server import RandomServer
from tests.sync.reference_endpoints import request_problems

SEEDS = range(12)


def _client(server: RandomServer) -> ReachkitClient:
    return ReachkitClient(
        base_url="https://reachkit.example",
        api_key=KEY,
        transport=server.transport(),
        requests_per_minute=None,
        start_rate=None,
        retry=FAST_RETRIES,
    )


async def _sync(server: RandomServer, db: Database, **options: bool) -> SyncReport:
    async with _client(server) as client:
        # "ends": a walk that followed total_pages = 10**9 would never get here
        report = await asyncio.wait_for(run_sync(client, db, SyncOptions(**options)), timeout=60)
    assert KEY not in json.dumps(report.to_json())
    return report


def _assert_only_documented_requests(server: RandomServer) -> None:
    problems = [
        problem
        for request in server.requests
        for problem in request_problems(
            request.method, request.path, request.query, request.headers, request.body, KEY
        )
    ]
    assert problems == []


def _cached_ids(db: Database) -> set[str]:
    return {row[0] for row in db.conn.execute("SELECT id FROM conversations")}


@pytest.mark.parametrize("seed", SEEDS)
async def test_sync_against_a_random_server_ends_ok_with_documented_requests(
    seed: int, db: Database
) -> None:
    server = RandomServer(seed)
    report = await _sync(server, db, full=True)
    assert report.ok, report.to_json()
    assert report.skipped == []
    cached = _cached_ids(db)
    assert cached <= set(server.by_id)
    for folder, items in server.conversations.items():
        # whatever the metadata claims, the first page is always read and stored
        assert {c["id"] for c in items[:100]} <= cached, folder
    assert db.conn.execute("SELECT COUNT(*) FROM campaigns").fetchone()[0] == len(
        {c["id"] for c in server.campaigns}
    )
    assert db.conn.execute("SELECT COUNT(*) FROM inboxes").fetchone()[0] == len(server.inboxes)
    # a second, incremental run on the same odd server ends as well
    assert (await _sync(server, db)).ok
    _assert_only_documented_requests(server)


@pytest.mark.parametrize("seed", SEEDS[:6])
async def test_pushing_to_a_random_server_sends_documented_writes(seed: int, db: Database) -> None:
    server = RandomServer(seed)
    assert (await _sync(server, db)).ok
    ids = sorted(_cached_ids(db))[:3]
    if not ids:
        pytest.skip("this seed drew an empty inbox")
    edits.set_label(db, ids[:2], "meeting_requested")
    edits.revert_label(db, ids[2:])
    edits.mark_read(db, ids)
    edits.queue_reply(db, ids[0], "<p>Tuesday at 10 works. Talk soon!</p>")
    report = await _sync(server, db)
    assert report.ok, report.to_json()
    assert report.pushed >= 3
    states = {row[0] for row in db.conn.execute("SELECT DISTINCT state FROM outbox")}
    assert states <= {"done"}
    writes = [r for r in server.requests if r.method != "GET"]
    assert {r.method for r in writes} <= {"PATCH", "POST"} and writes
    replies = [r for r in writes if r.path.endswith("/reply")]
    assert len(replies) == 1
    _assert_only_documented_requests(server)


@pytest.mark.parametrize("seed", SEEDS[:6])
async def test_invalid_records_are_reported_not_fatal(seed: int, db: Database) -> None:
    server = RandomServer(seed, invalid_records=True)
    report = await _sync(server, db, full=True)
    assert report.ok, report.to_json()
    if not server.invalid_served:
        pytest.skip("this seed served no invalid record")
    assert report.skipped
    for record in report.skipped:
        assert record["reason"] and record["resource"]
    assert report.to_json()["skipped_records"] == report.skipped
    # the valid records of the same pages were stored
    assert _cached_ids(db) <= set(server.by_id)
