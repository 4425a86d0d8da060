"""A sync under injected faults completes; a cancelled sync keeps what it stored."""

from __future__ import annotations

import threading
from collections import Counter

from sqlite_utils import Database
from starlette.applications import Starlette

from outreach_tui.api import ReachkitClient
from outreach_tui.simulator import create_app
from outreach_tui.store import edits, outbox
from outreach_tui.sync.engine import SyncOptions, run_sync
from outreach_tui.sync.progress import SyncProgress
from tests.sync.conftest import KEY, client_for
from tests.sync.sim_state import outgoing_with_text, server_conversation, workspace

FAULTS = "5xx=0.1,drop=0.05,malformed=0.01"


def _cached_ids(db: Database) -> set[str]:
    return {row[0] for row in db.conn.execute("SELECT id FROM conversations")}


async def test_sync_under_faults_caches_every_conversation_and_pushes_once(
    db: Database,
) -> None:
    app = create_app(api_keys=[KEY], size=400, seed=1, faults=FAULTS)
    sim = app.state.simulator
    async with client_for(app) as client:
        report = await run_sync(client, db, SyncOptions(full=True))
        assert report.ok, report.to_json()
        assert _cached_ids(db) == set(workspace(app, KEY).conversations)
        ids = sorted(_cached_ids(db))[:6]
        edits.set_label(db, ids[:3], "interested")
        edits.mark_unread(db, ids[3:])
        for n, cid in enumerate(ids[:4]):
            edits.queue_reply(db, cid, f"<p>Fault-proof reply number {n}</p>")
        # the push may be cut short by a run of faults; the next sync carries on
        for _ in range(5):
            report = await run_sync(client, db)
            if report.ok:
                break
        assert report.ok, report.to_json()
    faults = Counter(r.fault for r in sim.requests if r.fault)
    assert faults["5xx"] and faults["drop"] and faults["malformed"], faults
    assert outbox.state_counts(db) | {"done": 0} == dict.fromkeys(outbox.STATES, 0)
    for cid in ids[:3]:
        assert server_conversation(app, KEY, cid).label == "interested"
    for n, cid in enumerate(ids[:4]):
        assert outgoing_with_text(app, KEY, cid, f"Fault-proof reply number {n}") == 1


async def test_cancel_mid_pull_keeps_what_was_stored_and_leaves_nothing_in_flight(
    db: Database,
) -> None:
    app = create_app(api_keys=[KEY], size=300, seed=5)
    cancel = threading.Event()

    def stop_after_first_page(event: SyncProgress) -> None:
        if event.resource.startswith("conversations") and event.done >= 100:
            cancel.set()

    async with client_for(app) as client:
        assert (await run_sync(client, db, SyncOptions(pull=False))).ok  # nothing to push yet
        report = await run_sync(client, db, on_progress=stop_after_first_page, cancel=cancel)
        assert report.cancelled and not report.ok
        assert len(_cached_ids(db)) == 100  # the first page, committed
        ids = sorted(_cached_ids(db))[:3]
        queued = edits.set_label(db, ids, "neutral")
        cancel.clear()
        report = await run_sync(client, db, on_progress=stop_after_first_page, cancel=cancel)
        assert report.cancelled
        counts = outbox.state_counts(db)
        assert counts["in_flight"] == 0 and counts["pending"] == len(queued)
        report = await run_sync(client, db)
    assert report.ok and report.pushed == len(queued)
    assert len(_cached_ids(db)) == 300


async def test_cancel_mid_push_stops_between_items(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    assert (await run_sync(client, db)).ok
    ids = sorted(_cached_ids(db))[:4]
    queued = [*edits.set_label(db, ids, "question"), edits.queue_reply(db, ids[0], "<p>Hi</p>")]
    cancel = threading.Event()

    def stop_after_first_push(event: SyncProgress) -> None:
        if event.resource == "push":
            cancel.set()

    report = await run_sync(
        client, db, SyncOptions(pull=False), on_progress=stop_after_first_push, cancel=cancel
    )
    assert report.cancelled and report.pushed == 1
    counts = outbox.state_counts(db)
    assert counts == {**counts, "done": 1, "in_flight": 0, "pending": len(queued) - 1}
    assert (await run_sync(client, db)).ok
    assert outgoing_with_text(app, KEY, ids[0], "<p>Hi</p>") == 1
