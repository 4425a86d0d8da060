"""Crash test: `outreach-tui sync` killed with SIGKILL at random moments, then synced again.

Each trial queues a reply, label changes and read states offline, starts a real sync
process (plain, `--full` or `--push-only`) against a simulator on loopback that answers
every request 150 ms late, and kills it after 0–1.6 s: before the first request, during
the pull, during the push, between a field's read and its write. Then, with the latency
off, the **first** sync after the kill must exit 0 and leave the server with every reply
exactly once and every label set, and the cache must pass `PRAGMA integrity_check`. The
simulator ignores Idempotency-Key, so only the engine's look-before-resend keeps replies
single.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import time
from pathlib import Path

from starlette.applications import Starlette

from outreach_tui.simulator import create_app
from outreach_tui.simulator.server import serve_in_thread
from outreach_tui.store import edits, outbox
from outreach_tui.store.connection import open_writer
from outreach_tui.store.fields import LABELS
from tests.cli.conftest import Outcome, check_output, run_process, start_process
from tests.sync.conftest import KEY
from tests.sync.sim_state import outgoing_with_text, server_conversation

TRIALS = 30  # ten per mode; about a third of the kills land with a push in flight
SEED = 20261205
KILL_AFTER = (0.0, 1.6)  # seconds; a plain sync takes ~1.1 s at this latency
MODES = ([], ["--full"], ["--push-only"])


def _integrity(db: Path) -> str:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


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
        for cid in rng.sample(ids, 3):
            label = rng.choice(LABELS)
            edits.set_label(writer, cid, label)
            labels[cid] = label
        toggle = edits.mark_read if rng.random() < 0.5 else edits.mark_unread
        toggle(writer, rng.sample(ids, 2))
    finally:
        writer.close()


def _left_in_flight(db: Path) -> int:
    writer = open_writer(db)
    try:
        return outbox.state_counts(writer)[outbox.IN_FLIGHT]
    finally:
        writer.close()


def _assert_all_delivered(
    app: Starlette, db: Path, replies: dict[str, str], labels: dict[str, str]
) -> None:
    for text, cid in replies.items():
        assert outgoing_with_text(app, KEY, cid, text) == 1, f"reply {text!r}"
    for cid, label in labels.items():
        assert server_conversation(app, KEY, cid).label_override == label, cid
    writer = open_writer(db)
    try:
        counts = outbox.state_counts(writer)
    finally:
        writer.close()
    assert counts == {**counts, "pending": 0, "in_flight": 0, "failed": 0, "conflict": 0}
    assert _integrity(db) == "ok"


def test_the_first_sync_after_a_sigkill_succeeds_and_delivers_everything_once(
    isolated_home: Path, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    app = create_app(api_keys=[KEY], size=20, seed=5)
    simulator = app.state.simulator
    db = tmp_path / "cache.db"
    replies: dict[str, str] = {}
    labels: dict[str, str] = {}
    killed = caught_in_flight = 0
    with serve_in_thread(app) as base_url:
        sync = ["--base-url", base_url, "--db", str(db), "sync"]
        assert run_process(sync, home=isolated_home).code == 0
        for trial in range(TRIALS):
            _queue_edits(db, rng, trial, replies, labels)
            simulator.set_faults("latency=150ms")
            process = start_process([*sync, *MODES[trial % len(MODES)]], home=isolated_home)
            time.sleep(rng.uniform(*KILL_AFTER))
            process.send_signal(signal.SIGKILL)
            out, err = process.communicate()
            check_output(Outcome(process.returncode, out, err))  # no key, no traceback
            killed += process.returncode == -signal.SIGKILL
            assert _integrity(db) == "ok", f"trial {trial}"
            caught_in_flight += _left_in_flight(db) > 0

            simulator.set_faults("")
            after = run_process(sync, home=isolated_home)
            assert after.code == 0, f"trial {trial}: {after.err}"
            _assert_all_delivered(app, db, replies, labels)
    # Most runs were really killed, and some kills landed while a write was in flight.
    assert killed >= TRIALS * 2 // 3, killed
    assert caught_in_flight >= 3, caught_in_flight
