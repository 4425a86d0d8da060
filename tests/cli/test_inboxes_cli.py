"""`outreach-tui inboxes list|check`: the JSON shape, CSV, and check's exit codes for cron.

The seeded workspace has a failing inbox (health far below 80) and one whose
connection_status is `error`; a second workspace is made healthy on the simulator before
the sync, so `check` has something to pass.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.applications import Starlette

from outreach_tui.simulator import create_app
from outreach_tui.simulator.clock import last_days
from outreach_tui.simulator.inboxes import WarmupDay
from tests.cli.conftest import Outcome, synced_cache
from tests.sync.conftest import KEY

Run = Callable[..., Outcome]
HOSTILE_EMAIL = "mallory\x1b]8;;https://evil.example\x07\u202e@evil.example"


@pytest.fixture
async def db(tmp_path: Path) -> str:
    """The seeded workspace, synced: a failing inbox and a broken connection among others."""
    return await synced_cache(create_app(api_keys=[KEY], size=30, seed=21), tmp_path / "cache.db")


def _healthy_app() -> Starlette:
    """The seeded simulator with every inbox connected, fully ramped up and landing
    nowhere near spam."""
    app = create_app(api_keys=[KEY], size=30, seed=21)
    workspace = app.state.simulator.workspace(KEY)
    for inbox in workspace.inboxes.values():
        inbox.connection_status = "connected"
        inbox.ramp_up_progress = 100
        inbox.is_warming = True
        inbox.warmup = {
            date: WarmupDay(sent=20, received=20, spam=0, saved=0)
            for date in last_days(7, workspace.now())
        }
    return app


@pytest.fixture
async def healthy_db(tmp_path: Path) -> str:
    """Every inbox connected, fully ramped up and landing nowhere near spam."""
    return await synced_cache(_healthy_app(), tmp_path / "healthy.db")


def _inboxes(run_main: Run, db: str) -> list[dict]:
    outcome = run_main(["--db", db, "inboxes", "list", "--json"])
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)


def test_list_json_has_health_ramp_up_status_and_warnings(run_main: Run, db: str) -> None:
    inboxes = _inboxes(run_main, db)
    assert len(inboxes) == 6
    for inbox in inboxes:
        assert {"id", "email", "provider", "connection_status", "is_active", "is_warming"} <= set(
            inbox
        )
        assert {"daily_campaign_limit", "daily_warmup_limit", "pending"} <= set(inbox)
        assert isinstance(inbox["health_score"], int)
        assert isinstance(inbox["ramp_up_progress"], int)
        assert set(inbox["warmup"]) >= {"sent", "received", "saved_from_spam", "daily"}
        assert len(inbox["warmup"]["daily"]) == 7
        assert set(inbox["warmup"]["daily"][0]) == {"date", "sent", "spam_count"}
        assert isinstance(inbox["warnings"], list)
        for warning in inbox["warnings"]:
            assert set(warning) == {"code", "severity", "message", "inbox_id", "campaign_id"}
    by_status = {inbox["connection_status"]: inbox for inbox in inboxes}
    broken = by_status["error"]
    assert broken["warnings"][0]["code"] == "connection_error"
    assert broken["warnings"][0]["severity"] == "error"
    assert broken["email"] in broken["warnings"][0]["message"]
    failing = min(inboxes, key=lambda inbox: inbox["health_score"] or 100)
    assert failing["health_score"] < 80 and failing["warmup"]["sent"] > 0
    assert "low_health" in [w["code"] for w in failing["warnings"]]
    assert failing["spam_rate"] > 0.2
    pending = by_status["pending"]
    assert "connection_pending" in [w["code"] for w in pending["warnings"]]


def test_list_csv_has_one_row_per_inbox(run_main: Run, db: str) -> None:
    outcome = run_main(["--db", db, "inboxes", "list", "--csv"])
    assert outcome.code == 0
    rows = list(csv.DictReader(io.StringIO(outcome.out)))
    assert len(rows) == 6
    assert {"email", "health_score", "ramp_up_progress", "connection_status", "warnings"} <= set(
        rows[0]
    )
    broken = next(row for row in rows if row["connection_status"] == "error")
    assert broken["warnings"].split(";")[0] == "connection_error"
    assert all(row["health_score"].isdigit() for row in rows)


def test_list_text_table(run_main: Run, db: str) -> None:
    outcome = run_main(["--db", db, "inboxes", "list"])
    lines = outcome.out.splitlines()
    assert outcome.code == 0 and lines[0].split()[:3] == ["EMAIL", "PROVIDER", "STATUS"]
    assert len(lines) == 7
    assert any("connection_error" in line for line in lines)


def test_check_names_each_inbox_that_needs_attention_and_exits_3(run_main: Run, db: str) -> None:
    inboxes = _inboxes(run_main, db)
    outcome = run_main(["--db", db, "inboxes", "check"])
    assert outcome.code == 3
    lines = outcome.out.splitlines()
    broken = next(i for i in inboxes if i["connection_status"] == "error")
    failing = min(inboxes, key=lambda inbox: inbox["health_score"] or 100)
    assert any(
        line.startswith(f"{broken['email']}: ") and "connection error" in line for line in lines
    )
    assert any(line.startswith(f"{failing['email']}: ") and "below 80" in line for line in lines)
    # one line per inbox with a warning (a notice alone too: it does not change the exit code)
    assert sorted(line.split(": ")[0] for line in lines) == sorted(
        i["email"] for i in inboxes if i["warnings"]
    )
    assert any(w["severity"] in ("warning", "error") for i in inboxes for w in i["warnings"])


def test_check_is_silent_and_exits_0_when_all_is_well(run_main: Run, healthy_db: str) -> None:
    assert all(inbox["warnings"] == [] for inbox in _inboxes(run_main, healthy_db))
    outcome = run_main(["--db", healthy_db, "inboxes", "check"])
    assert (outcome.code, outcome.out, outcome.err) == (0, "", "")


def test_check_names_every_warning_list_shows_notices_marked(run_main: Run, db: str) -> None:
    inboxes = _inboxes(run_main, db)
    outcome = run_main(["--db", db, "inboxes", "check"])
    lines = dict(line.split(": ", 1) for line in outcome.out.splitlines())
    assert set(lines) == {i["email"] for i in inboxes if i["warnings"]}
    # the pending inbox: its low health and, marked, its pending connection
    pending = next(i for i in inboxes if i["connection_status"] == "pending")
    assert [w["code"] for w in pending["warnings"]] == ["low_health", "connection_pending"]
    reasons = lines[pending["email"]].split("; ")
    assert len(reasons) == 2 and "below 80" in reasons[0]
    assert reasons[1] == "connection pending: not yet validated (notice)"
    for inbox in inboxes:
        if inbox["warnings"]:
            assert len(lines[inbox["email"]].split("; ")) == len(inbox["warnings"])


async def test_check_prints_a_notice_alone_but_exits_0(run_main: Run, tmp_path: Path) -> None:
    app = _healthy_app()
    inbox = next(iter(app.state.simulator.workspace(KEY).inboxes.values()))
    inbox.connection_status = "pending"
    db = await synced_cache(app, tmp_path / "notice.db")
    outcome = run_main(["--db", db, "inboxes", "check"])
    assert outcome.code == 0
    assert outcome.out == f"{inbox.email}: connection pending: not yet validated (notice)\n"


def test_check_on_an_empty_cache_fails_in_one_line(run_main: Run, tmp_path: Path) -> None:
    outcome = run_main(["--db", str(tmp_path / "empty.db"), "inboxes", "check"])
    assert outcome.code == 1
    assert outcome.err.strip().count("\n") == 0 and "outreach-tui sync" in outcome.err


def test_inboxes_without_subcommand_is_a_usage_error(run_main: Run, db: str) -> None:
    outcome = run_main(["--db", db, "inboxes"])
    assert outcome.code == 2 and "list or check" in outcome.err


async def test_hostile_email_never_reaches_the_terminal(run_main: Run, tmp_path: Path) -> None:
    app = create_app(api_keys=[KEY], size=30, seed=21)
    inbox = next(iter(app.state.simulator.workspace(KEY).inboxes.values()))
    inbox.email, inbox.connection_status = HOSTILE_EMAIL, "error"
    db = await synced_cache(app, tmp_path / "hostile.db")
    for argv in (["inboxes", "check"], ["inboxes", "list"], ["inboxes", "list", "--csv"]):
        outcome = run_main(["--db", db, *argv])
        assert "mallory" in outcome.out
        assert (
            "\x1b" not in outcome.out and "\u202e" not in outcome.out and "\x07" not in outcome.out
        )
