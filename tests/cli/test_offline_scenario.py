"""The offline scenario, end to end through the CLI (each step a new process).

Sync; the server goes away; triage (label, read, unread, reply) through the CLI and a
variant edit through the store's edits service (what the TUI does) on the same cache;
the server comes back; one sync. The server then holds every edit, the outbox is empty
and the reply exists exactly once.
"""

from __future__ import annotations

import json
from pathlib import Path

from outreach_tui.simulator import create_app
from outreach_tui.simulator.server import serve_in_thread
from outreach_tui.store import edits
from outreach_tui.store.connection import open_writer
from tests.cli.conftest import run_process
from tests.sync.conftest import KEY
from tests.sync.sim_state import (
    outgoing_with_text,
    server_conversation,
    server_read_states,
    server_variant,
)

REPLY = "Thanks for getting back to me. Does Thursday at 3pm work?"


def test_offline_edits_reach_the_server_once_it_is_back(
    isolated_home: Path, tmp_path: Path
) -> None:
    app = create_app(api_keys=[KEY], size=30, seed=21)
    db_path = tmp_path / "cache.db"
    db = str(db_path)
    with serve_in_thread(app) as base_url:
        first = run_process(["--base-url", base_url, "--db", db, "sync"], home=isolated_home)
        assert first.code == 0, first.err

    # offline from here on: no base URL and no key either, nothing may need the network
    listed = run_process(["--db", db, "inbox", "list", "--json"], home=isolated_home, api_key=None)
    assert listed.code == 0, listed.err
    rows = json.loads(listed.out)
    c1, c2 = [row["id"] for row in rows if row["is_read"]][:2]
    c3 = next(row["id"] for row in rows if not row["is_read"])

    def offline(*argv: str, stdin: str | None = None) -> None:
        outcome = run_process(["--db", db, *argv], home=isolated_home, api_key=None, stdin=stdin)
        assert outcome.code == 0, outcome.err

    offline("inbox", "label", c1, c2, "meeting_requested")
    offline("inbox", "read", c3)
    offline("inbox", "unread", c1)
    offline("inbox", "reply", c2, stdin=REPLY + "\n")

    writer = open_writer(db_path)
    [variant_id] = writer.conn.execute("SELECT id FROM variants ORDER BY id LIMIT 1").fetchone()
    edits.update_variant(
        writer, variant_id, subject="Offline subject", body_html="<p>Offline body {{company}}</p>"
    )
    writer.close()

    status = run_process(["--db", db, "status", "--json"], home=isolated_home, api_key=None)
    pending = json.loads(status.out)["outbox"]["pending"]
    assert pending == 7  # two labels, read, unread, reply, subject, body

    with serve_in_thread(app) as base_url:  # back, on another port
        synced = run_process(
            ["--base-url", base_url, "--db", db, "sync", "--json"], home=isolated_home
        )
    assert synced.code == 0, synced.err
    summary = json.loads(synced.out)
    assert summary["ok"] and summary["pushed"] == 7

    assert server_conversation(app, KEY, c1).label_override == "meeting_requested"
    assert server_conversation(app, KEY, c2).label_override == "meeting_requested"
    assert server_read_states(app, KEY, c1) == {False}
    assert server_read_states(app, KEY, c3) == {True}
    assert outgoing_with_text(app, KEY, c2, "Does Thursday at 3pm work?") == 1
    variant = server_variant(app, KEY, variant_id)
    assert variant.subject == "Offline subject"
    assert variant.body_html is not None and "Offline body {{company}}" in variant.body_html

    status = run_process(["--db", db, "status", "--json"], home=isolated_home, api_key=None)
    outbox = json.loads(status.out)["outbox"]
    assert {k: outbox[k] for k in ("pending", "in_flight", "failed", "conflict")} == {
        "pending": 0,
        "in_flight": 0,
        "failed": 0,
        "conflict": 0,
    }
