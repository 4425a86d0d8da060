"""Several `outreach-tui sync` processes on one cache at once (a cron job overlapping a
sync from a terminal or the TUI): they take turns through the cache's sync lock.

Ten rounds, each queueing replies and labels and then starting four sync processes within
a second: every process exits 0, no reply reaches the server twice, nothing is left
pending after the round. Then the lock's own promises: `--no-wait` refuses at once with
the holder's pid, a waiting sync says whom it waits for, and a lock whose holder was
killed is free at once.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from outreach_tui.simulator import create_app
from outreach_tui.simulator.server import serve_in_thread
from outreach_tui.store import edits, outbox
from outreach_tui.store.connection import open_writer
from outreach_tui.store.fields import LABELS
from outreach_tui.store.sync_lock import SyncLock
from tests.cli.conftest import Outcome, check_output, run_process, start_process
from tests.sync.conftest import KEY
from tests.sync.sim_state import outgoing_with_text, server_conversation

ROUNDS = 10
PROCESSES = 4
SEED = 4242


def test_four_syncs_at_once_take_turns_and_send_everything_once(
    isolated_home: Path, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    app = create_app(api_keys=[KEY], size=20, seed=8)
    db = tmp_path / "cache.db"
    replies: dict[str, str] = {}
    labels: dict[str, str] = {}
    with serve_in_thread(app) as base_url:
        sync = ["--base-url", base_url, "--db", str(db), "sync"]
        assert run_process(sync, home=isolated_home).code == 0
        app.state.simulator.set_faults("latency=30ms")
        for round_ in range(ROUNDS):
            writer = open_writer(db)
            try:
                ids = [r[0] for r in writer.conn.execute("SELECT id FROM conversations")]
                for k in range(3):
                    text = f"Round {round_} reply {k}"
                    replies[text] = rng.choice(ids)
                    edits.queue_reply(writer, replies[text], f"<p>{text}</p>")
                for cid in rng.sample(ids, 4):
                    labels[cid] = rng.choice(LABELS)
                    edits.set_label(writer, cid, labels[cid])
            finally:
                writer.close()
            processes = []
            for _ in range(PROCESSES):
                processes.append(start_process(sync, home=isolated_home))
                time.sleep(rng.uniform(0, 1 / PROCESSES))
            for process in processes:
                out, err = process.communicate(timeout=120)
                check_output(Outcome(process.returncode, out, err))
                assert process.returncode == 0, f"round {round_}: {err}"
            writer = open_writer(db)
            try:
                counts = outbox.state_counts(writer)
            finally:
                writer.close()
            assert counts["pending"] == counts["in_flight"] == 0, (round_, counts)
            assert counts["failed"] == counts["conflict"] == 0, (round_, counts)
    for text, cid in replies.items():
        assert outgoing_with_text(app, KEY, cid, text) == 1, text
    for cid, label in labels.items():
        assert server_conversation(app, KEY, cid).label_override == label


def test_no_wait_refuses_at_once_and_a_waiting_sync_says_whom_it_waits_for(
    isolated_home: Path, tmp_path: Path
) -> None:
    app = create_app(api_keys=[KEY], size=5, seed=3)
    db = tmp_path / "cache.db"
    with serve_in_thread(app) as base_url:
        sync = ["--base-url", base_url, "--db", str(db), "sync"]
        assert run_process(sync, home=isolated_home).code == 0
        lock = SyncLock(db)
        assert lock.try_acquire()
        try:
            started = time.monotonic()
            refused = run_process([*sync, "--no-wait"], home=isolated_home)
            assert time.monotonic() - started < 10
            assert refused.code == 1
            assert f"another sync of this cache is running (pid {os.getpid()})" in refused.err
            assert "unexpected error" not in refused.err

            waiting = start_process(sync, home=isolated_home)
            assert waiting.stderr is not None
            line = waiting.stderr.readline()  # printed before it blocks
            assert line.strip() == f"waiting for another sync of this cache (pid {os.getpid()})…"
            time.sleep(0.5)
            assert waiting.poll() is None  # still waiting
        finally:
            lock.release()
        _out, err = waiting.communicate(timeout=60)
        assert waiting.returncode == 0, err


def test_the_lock_of_a_killed_holder_is_free_at_once(tmp_path: Path) -> None:
    db = tmp_path / "cache.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from outreach_tui.store.sync_lock import SyncLock\n"
            "assert SyncLock(Path(sys.argv[1])).try_acquire()\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    lock = SyncLock(db)
    assert not lock.try_acquire()
    assert lock.holder_pid() == holder.pid
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert lock.try_acquire()  # no stale lock: the OS released it with the process
    lock.release()
