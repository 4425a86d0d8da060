"""Snoozes typed in other processes while a sync runs: each `inbox snooze` process and the
sync take turns on the cache (every one exits 0), every snooze holds, and the snoozed
conversation that got a new reply before the sync comes back on top."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from outreach_tui.simulator import create_app
from outreach_tui.simulator.live import land_reply_in
from outreach_tui.simulator.server import serve_in_thread
from outreach_tui.store.connection import open_writer
from tests.cli.conftest import Outcome, check_output, run_process, start_process
from tests.sync.conftest import KEY

SNOOZERS = 4


def _finish(process: subprocess.Popen[str]) -> Outcome:
    out, err = process.communicate(timeout=120)
    return check_output(Outcome(process.returncode, out, err))


def test_snoozes_from_several_processes_during_a_sync_all_hold(
    isolated_home: Path, tmp_path: Path
) -> None:
    app = create_app(api_keys=[KEY], size=40, seed=31)
    db = str(tmp_path / "cache.db")
    with serve_in_thread(app) as base_url:
        assert (
            run_process(["--base-url", base_url, "--db", db, "sync"], home=isolated_home).code == 0
        )
        listed = run_process(["--db", db, "inbox", "list", "--json"], home=isolated_home)
        ids = [row["id"] for row in json.loads(listed.out)]
        replied, others = ids[-1], ids[: 2 * SNOOZERS]
        first = run_process(
            ["--db", db, "inbox", "snooze", replied, "--until", "3d"], home=isolated_home
        )
        assert first.code == 0, first.err
        simulator = app.state.simulator
        with simulator.lock:
            land_reply_in(simulator.workspace(KEY), replied)
        simulator.set_faults("latency=200ms")  # a sync long enough to overlap the snoozes

        sync = start_process(
            ["--base-url", base_url, "--db", db, "sync", "--full"], home=isolated_home
        )
        snoozers = [
            start_process(
                ["--db", db, "inbox", "snooze", *others[2 * k : 2 * k + 2], "--until", "tomorrow"],
                home=isolated_home,
            )
            for k in range(SNOOZERS)
        ]
        for process in [*snoozers, sync]:
            outcome = _finish(process)
            assert outcome.code == 0, outcome.err

    writer = open_writer(Path(db))
    try:
        snoozed = {
            row[0]
            for row in writer.conn.execute(
                "SELECT c.id FROM snoozes s JOIN conversations c ON c.seq = s.seq"
            )
        }
    finally:
        writer.close()
    assert snoozed == set(others)
    after = json.loads(run_process(["--db", db, "inbox", "list", "--json"], home=isolated_home).out)
    assert after[0]["id"] == replied  # woken by its new reply, on top
    assert not set(others) & {row["id"] for row in after}
