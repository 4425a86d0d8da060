"""Crash test: `outreach-tui sync` killed with SIGKILL at random moments.

The simulator (in this process, on loopback) answers slowly, so kills land before, during
and after requests; it ignores Idempotency-Key, so only the engine's look-before-resend
keeps replies single. After every kill: the cache passes `PRAGMA integrity_check`, every
queued edit is on the server or still in the outbox, and no reply is on the server twice.
A final clean sync then delivers everything exactly once.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from starlette.applications import Starlette

from outreach_tui.simulator import create_app
from outreach_tui.simulator.server import serve_in_thread
from outreach_tui.store import edits, outbox
from outreach_tui.store.connection import open_writer
from outreach_tui.store.fields import LABELS
from tests.cli.conftest import REPO, run_process
from tests.sync.conftest import KEY
from tests.sync.sim_state import outgoing_with_text, server_conversation

TRIALS = 20
SEED = 20240611
ACTIVE = (outbox.PENDING, outbox.IN_FLIGHT)


def _sync_process(base_url: str, db: Path, home: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REACHKIT_", "OUTREACH_"))}
    env.update(OUTREACH_TUI_HOME=str(home), REACHKIT_API_KEY=KEY, PYTHONPATH=str(REPO))
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "outreach_tui", "--base-url", base_url, "--db", str(db), "sync"],
            env=env,
            stdout=output,
            stderr=output,
        )


def _integrity(db: Path) -> str:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def _check_nothing_lost_or_doubled(
    app: Starlette, db: Path, replies: dict[str, str], labels: dict[str, str]
) -> int:
    """Assert the invariants after a kill; returns how many items the kill left in flight."""
    writer = open_writer(db)
    try:
        items = outbox.list_items(writer)
    finally:
        writer.close()
    assert not [i for i in items if i.state in (outbox.FAILED, outbox.CONFLICT)]
    for text, cid in replies.items():
        on_server = outgoing_with_text(app, KEY, cid, text)
        assert on_server <= 1, f"reply {text!r} sent {on_server} times"
        if on_server == 0:
            [item] = [i for i in items if i.op == "reply" and text in i.value["content"]]
            assert item.state in ACTIVE, f"reply {text!r} lost ({item.state})"
    for cid, label in labels.items():
        waiting = [
            i
            for i in items
            if i.resource_id == cid and i.field == "label_override" and i.state in ACTIVE
        ]
        if server_conversation(app, KEY, cid).label_override != label:
            assert waiting and waiting[-1].value == label, f"label {label} of {cid} lost"
    return sum(1 for i in items if i.state == outbox.IN_FLIGHT)


def _queue_edits(
    db: Path, rng: random.Random, trial: int, replies: dict[str, str], labels: dict[str, str]
) -> None:
    writer = open_writer(db)
    try:
        ids = [r[0] for r in writer.conn.execute("SELECT id FROM conversations ORDER BY id")]
        text = f"Crash trial {trial}: following up on our call"
        cid = rng.choice(ids)
        edits.queue_reply(writer, cid, f"<p>{text}</p>")
        replies[text] = cid
        for cid in rng.sample(ids, 2):
            label = rng.choice(LABELS)
            edits.set_label(writer, cid, label)
            labels[cid] = label
    finally:
        writer.close()


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(
    isolated_home: Path, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    app = create_app(api_keys=[KEY], size=20, seed=5)
    db = tmp_path / "cache.db"
    replies: dict[str, str] = {}
    labels: dict[str, str] = {}
    with serve_in_thread(app) as base_url:
        first = run_process(["--base-url", base_url, "--db", str(db), "sync"], home=isolated_home)
        assert first.code == 0, first.err
        app.state.simulator.set_faults("latency=150ms")
        outcomes = []
        caught_in_flight = 0
        for trial in range(TRIALS):
            _queue_edits(db, rng, trial, replies, labels)
            process = _sync_process(base_url, db, isolated_home, tmp_path / "runs.log")
            time.sleep(rng.uniform(0.3, 2.5))
            process.send_signal(signal.SIGKILL)
            outcomes.append(process.wait())
            assert _integrity(db) == "ok"
            caught_in_flight += _check_nothing_lost_or_doubled(app, db, replies, labels) > 0
        # most runs were really killed, and some kills landed while a write was in flight
        assert outcomes.count(-signal.SIGKILL) >= TRIALS // 2, outcomes
        assert caught_in_flight >= 2, caught_in_flight
        final = run_process(["--base-url", base_url, "--db", str(db), "sync"], home=isolated_home)
        assert final.code == 0, final.err
    assert _integrity(db) == "ok"
    output = (tmp_path / "runs.log").read_text(errors="replace")
    assert KEY not in output and "Traceback" not in output
    for text, cid in replies.items():
        assert outgoing_with_text(app, KEY, cid, text) == 1, text
    for cid, label in labels.items():
        assert server_conversation(app, KEY, cid).label_override == label
    writer = open_writer(db)
    try:
        counts = outbox.state_counts(writer)
    finally:
        writer.close()
    assert counts == {**counts, "pending": 0, "in_flight": 0, "failed": 0, "conflict": 0}
