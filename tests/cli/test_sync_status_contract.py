"""`outreach-tui sync` and `status`: exit codes, stderr progress, --json shapes, flags."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from starlette.applications import Starlette

from outreach_tui.store import edits, outbox
from outreach_tui.store.connection import open_writer
from tests.cli.conftest import Outcome
from tests.sync.conftest import KEY, client_for
from tests.sync.sim_state import server_conversation, workspace

Run = Callable[..., Outcome]


@pytest.fixture(autouse=True)
def api_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REACHKIT_API_KEY", KEY)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cache.db")


def _sync(run_main: Run, base_url: str, db: str, *flags: str) -> tuple[Outcome, dict]:
    outcome = run_main(["--base-url", base_url, "--db", db, "sync", "--json", *flags])
    return outcome, json.loads(outcome.out)


def _status(run_main: Run, db: str) -> dict:
    outcome = run_main(["--db", db, "status", "--json"])
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)


def _relabel(db: str, cid: str) -> None:
    writer = open_writer(Path(db))
    current = writer.conn.execute("SELECT label FROM conversations WHERE id = ?", [cid])
    label = "question" if current.fetchone()[0] != "question" else "referral"
    assert edits.set_label(writer, cid, label)
    writer.close()


def test_status_json_before_any_sync(run_main: Run, db: str) -> None:
    status = _status(run_main, db)
    assert status["last_sync"] is None
    assert {"conversations", "campaigns", "inboxes"} <= set(status["counts"])
    assert set(status["counts"].values()) == {0}
    assert {k: status["outbox"][k] for k in ("pending", "in_flight", "failed", "conflict")} == {
        "pending": 0,
        "in_flight": 0,
        "failed": 0,
        "conflict": 0,
    }


def test_sync_ok_progress_on_stderr_summary_on_stdout(
    run_main: Run, served: tuple[Starlette, str], db: str
) -> None:
    app, base_url = served
    outcome, summary = _sync(run_main, base_url, db)
    assert outcome.code == 0
    assert summary["ok"] is True and summary["unreachable"] is False
    assert summary["pulled"]["conversations"] == 30 and summary["errors"] == []
    # added to the contract: the run's requests, 429s, duration and learned pace
    assert summary["requests"] >= 4 and summary["rate_limited"] == 0
    assert isinstance(summary["seconds"], float) and summary["seconds"] > 0
    assert summary["requests_per_second"] is None  # this server never limited us
    assert summary["rate_announced"] is False
    progress = [line for line in outcome.err.splitlines() if line.startswith("sync: ")]
    assert any("conversations:primary" in line for line in progress)
    assert outcome.err.splitlines()[-1].startswith("sync done:")
    status = _status(run_main, db)
    assert status["counts"]["conversations"] == 30
    assert status["counts"]["campaigns"] == len(workspace(app, KEY).campaigns)
    assert status["counts"]["inboxes"] == len(workspace(app, KEY).inboxes)
    assert datetime.fromisoformat(status["last_sync"])
    # without --json nothing goes to stdout
    plain = run_main(["--base-url", base_url, "--db", db, "sync"])
    assert plain.code == 0 and plain.out == ""


def test_sync_exits_1_with_one_line_reason_when_unreachable(
    run_main: Run, served: tuple[Starlette, str], closed_port_url: str, db: str
) -> None:
    _, base_url = served
    assert _sync(run_main, base_url, db)[0].code == 0
    cid = (
        _status(run_main, db)
        and json.loads(run_main(["--db", db, "inbox", "list", "--json", "--limit", "1"]).out)[0][
            "id"
        ]
    )
    _relabel(db, cid)
    outcome, summary = _sync(run_main, closed_port_url, db)
    assert outcome.code == 1
    assert summary["ok"] is False and summary["unreachable"] is True
    reasons = [line for line in outcome.err.splitlines() if "could not be reached" in line]
    assert len(reasons) == 1 and closed_port_url in reasons[0]
    assert outcome.err.splitlines()[-1].startswith("sync FAILED:")
    assert _status(run_main, db)["outbox"]["pending"] == 1  # kept for the next sync


def test_sync_exits_1_when_a_push_is_refused(
    run_main: Run, served: tuple[Starlette, str], db: str
) -> None:
    app, base_url = served

    async def create_draft() -> str:
        async with client_for(app) as client:
            return (await client.create_campaign("Draft for a refused push")).id

    draft = asyncio.run(create_draft())
    assert _sync(run_main, base_url, db)[0].code == 0
    writer = open_writer(Path(db))
    edits.update_campaign(writer, draft, status="paused")  # draft -> paused: the server says 422
    writer.close()
    outcome, summary = _sync(run_main, base_url, db)
    assert outcome.code == 1
    assert summary["ok"] is False and summary["failed"] == 1 and not summary["unreachable"]
    refused = [line for line in outcome.err.splitlines() if "push refused" in line]
    assert len(refused) == 1 and "422" in refused[0]
    assert _status(run_main, db)["outbox"]["failed"] == 1
    # the failed item is kept (and shown), not retried by the next sync
    assert _sync(run_main, base_url, db)[0].code == 0


def test_pull_only_and_push_only(run_main: Run, served: tuple[Starlette, str], db: str) -> None:
    app, base_url = served
    assert _sync(run_main, base_url, db)[0].code == 0
    cid = json.loads(run_main(["--db", db, "inbox", "list", "--json"]).out)[0]["id"]
    _relabel(db, cid)
    requests = app.state.simulator.requests
    mark = len(requests)
    outcome, summary = _sync(run_main, base_url, db, "--pull-only")
    assert outcome.code == 0 and summary["pushed"] == 0
    assert all(r.method == "GET" for r in requests[mark:])
    assert _status(run_main, db)["outbox"]["pending"] == 1

    mark = len(requests)
    outcome, summary = _sync(run_main, base_url, db, "--push-only")
    assert outcome.code == 0 and summary["pushed"] == 1
    lists = [r for r in requests[mark:] if r.path.endswith(("/conversations", "/inboxes"))]
    assert lists == []
    assert _status(run_main, db)["outbox"]["pending"] == 0
    assert server_conversation(app, KEY, cid).label_override in ("question", "referral")
    both = run_main(["--base-url", base_url, "--db", db, "sync", "--pull-only", "--push-only"])
    assert both.code == 2


def test_full_removes_a_conversation_deleted_on_the_server(
    run_main: Run, served: tuple[Starlette, str], db: str
) -> None:
    app, base_url = served
    assert _sync(run_main, base_url, db)[0].code == 0
    ws = workspace(app, KEY)
    with app.state.simulator.lock:
        gone = next(iter(ws.conversations.values()))
        ws.index.remove(gone)
        del ws.conversations[gone.id]
    assert _sync(run_main, base_url, db)[0].code == 0
    assert _status(run_main, db)["counts"]["conversations"] == 30
    assert _sync(run_main, base_url, db, "--full")[0].code == 0
    assert _status(run_main, db)["counts"]["conversations"] == 29


def test_sync_without_a_server_or_key_says_how_to_give_one(
    run_main: Run, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_server = run_main(["--db", db, "sync"])
    assert no_server.code == 1 and "no server" in no_server.err and "--base-url" in no_server.err
    plain_http = run_main(["--db", db, "--base-url", "http://reachkit.example", "sync"])
    assert plain_http.code == 2 and "https" in plain_http.err
    monkeypatch.delenv("REACHKIT_API_KEY")
    no_key = run_main(["--db", db, "--base-url", "http://127.0.0.1:9", "sync"])
    assert no_key.code == 1 and "no API key" in no_key.err and "REACHKIT_API_KEY" in no_key.err
    for outcome in (no_server, plain_http, no_key):
        assert len(outcome.err.strip().splitlines()) == 1


def test_sync_reports_outbox_left_in_flight_by_a_crash(
    run_main: Run, served: tuple[Starlette, str], db: str
) -> None:
    _, base_url = served
    assert _sync(run_main, base_url, db)[0].code == 0
    cid = json.loads(run_main(["--db", db, "inbox", "list", "--json"]).out)[0]["id"]
    writer = open_writer(Path(db))
    edits.queue_reply(writer, cid, "<p>Recovered after a crash</p>")
    outbox.claim_next(writer)
    writer.close()
    assert _status(run_main, db)["outbox"]["in_flight"] == 1
    outcome, summary = _sync(run_main, base_url, db)
    assert outcome.code == 0 and summary["pushed"] == 1
    assert _status(run_main, db)["outbox"]["in_flight"] == 0


def test_a_refused_key_fails_the_sync_in_one_line_without_showing_it(
    run_main: Run, served: tuple[Starlette, str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, base_url = served
    wrong = "rk_revoked_KEY-0000-never-printed"
    monkeypatch.setenv("REACHKIT_API_KEY", wrong)
    outcome = run_main(["--base-url", base_url, "--db", db, "sync", "--json"], key=wrong)
    assert outcome.code == 1 and json.loads(outcome.out)["ok"] is False
    refused = [line for line in outcome.err.splitlines() if "Authentication failed" in line]
    assert len(refused) == 1
