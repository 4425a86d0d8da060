"""`campaigns list|show`: the numbers equal the simulator's own analytics, with the API's
field names, as JSON, CSV and text."""

from __future__ import annotations

import csv
import functools
import io
import json
from dataclasses import astuple
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from outreach_tui.core.abstats import wilson_interval
from outreach_tui.simulator.campaign_stats import SUMMARY_KEYS
from tests.cli.conftest import Outcome
from tests.sync.conftest import KEY

Run = functools.partial[Outcome]


def _get(base_url: str, path: str) -> Any:
    response = httpx.get(
        f"{base_url}/api/v1{path}", headers={"Authorization": f"Bearer {KEY}"}, timeout=10
    )
    response.raise_for_status()
    return response.json()["data"]


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REACHKIT_API_KEY", KEY)


@pytest.fixture
def synced(run_main: Run, served: tuple[Starlette, str], tmp_path: Path) -> tuple[str, str]:
    """(base URL, cache path) after a full sync."""
    _, base_url = served
    db = str(tmp_path / "cache.db")
    outcome = run_main(["--base-url", base_url, "--db", db, "sync", "--json"])
    assert outcome.code == 0, outcome.err
    return base_url, db


def test_list_json_numbers_equal_the_analytics_of_every_campaign(
    run_main: Run, synced: tuple[str, str]
) -> None:
    base_url, db = synced
    outcome = run_main(["--db", db, "campaigns", "list", "--json"])
    assert outcome.code == 0, outcome.err
    listed = {c["id"]: c for c in json.loads(outcome.out)}
    server = {c["id"]: c for c in _get(base_url, "/campaigns?page_size=100")}
    assert listed.keys() == server.keys() and listed
    for campaign_id, mine in listed.items():
        analytics = _get(base_url, f"/campaigns/{campaign_id}/analytics")
        assert {k: mine["stats"][k] for k in SUMMARY_KEYS} == {
            k: analytics[k] for k in SUMMARY_KEYS
        }
        theirs = server[campaign_id]
        assert mine["name"] == theirs["name"] and mine["status"] == theirs["status"]
        assert mine["options"] == theirs["options"]
        assert mine["schedule"] == theirs["schedule"]
        assert sorted(i["id"] for i in mine["inboxes"]) == sorted(
            i["id"] for i in theirs["inboxes"]
        )


def test_show_json_carries_the_daily_series_and_per_variant_numbers(
    run_main: Run, synced: tuple[str, str]
) -> None:
    base_url, db = synced
    for campaign in _get(base_url, "/campaigns?page_size=100"):
        outcome = run_main(["--db", db, "campaigns", "show", campaign["id"], "--json"])
        assert outcome.code == 0, outcome.err
        shown = json.loads(outcome.out)
        analytics = _get(base_url, f"/campaigns/{campaign['id']}/analytics")
        assert shown["daily"] == analytics["daily"] == shown["stats"]["daily"]
        assert len(shown["daily"]) == 30
        assert shown["sequences"] == analytics["sequences"] == shown["stats"]["sequences"]
        for key in SUMMARY_KEYS:
            assert shown["stats"][key] == analytics[key]


def test_csv_exports_use_the_api_field_names(run_main: Run, synced: tuple[str, str]) -> None:
    base_url, db = synced
    outcome = run_main(["--db", db, "campaigns", "list", "--csv"])
    assert outcome.code == 0, outcome.err
    rows = list(csv.DictReader(io.StringIO(outcome.out)))
    assert rows and {f"stats.{k}" for k in SUMMARY_KEYS} <= set(rows[0])
    assert {"id", "name", "status", "options.daily_limit", "inbox_count"} <= set(rows[0])
    by_id = {row["id"]: row for row in rows}
    for campaign in _get(base_url, "/campaigns?page_size=100"):
        row = by_id[campaign["id"]]
        assert float(row["stats.reply_rate"]) == campaign["stats"]["reply_rate"]
        assert int(row["stats.sent"]) == campaign["stats"]["sent"]
        assert int(row["inbox_count"]) == len(campaign["inboxes"])
    first = rows[0]["id"]
    daily = run_main(["--db", db, "campaigns", "show", first, "--csv"])
    lines = list(csv.reader(io.StringIO(daily.out)))
    assert lines[0] == ["date", "sent", "replies"] and len(lines) == 31
    analytics = _get(base_url, f"/campaigns/{first}/analytics")
    assert [[d["date"], str(d["sent"]), str(d["replies"])] for d in analytics["daily"]] == lines[1:]


def test_text_output_prints_the_rates_as_the_screens_do(
    run_main: Run, synced: tuple[str, str]
) -> None:
    base_url, db = synced
    campaign = max(_get(base_url, "/campaigns?page_size=100"), key=lambda c: c["stats"]["sent"])
    listing = run_main(["--db", db, "campaigns", "list"]).out
    stats = campaign["stats"]
    line = next(line for line in listing.splitlines() if line.startswith(campaign["id"]))
    assert f"{stats['reply_rate']:.2f}%" in line and f"{stats['bounce_rate']:.2f}%" in line
    shown = run_main(["--db", db, "campaigns", "show", campaign["id"]]).out
    assert f"sent {stats['sent']}" in shown and f"({stats['reply_rate']:.2f}%)" in shown


def test_text_show_gives_each_variant_its_wilson_intervals_and_each_step_a_verdict(
    run_main: Run, synced: tuple[str, str]
) -> None:
    base_url, db = synced
    campaign = max(_get(base_url, "/campaigns?page_size=100"), key=lambda c: c["stats"]["sent"])
    analytics = _get(base_url, f"/campaigns/{campaign['id']}/analytics")
    lines = run_main(["--db", db, "campaigns", "show", campaign["id"]]).out.splitlines()
    checked = 0
    for step in analytics["sequences"]:
        start = next(i for i, line in enumerate(lines) if line.startswith(f"step {step['step']}"))
        assert "replies: " in lines[start] and "positive: " in lines[start]
        rows = lines[start + 1 : start + 1 + len(step["variants"])]
        for variant, line in zip(step["variants"], rows, strict=True):
            low, high = astuple(wilson_interval(variant["replies"], variant["sent"]))
            assert f"sent {variant['sent']}," in line
            assert f"95% CI {low * 100:.1f}–{high * 100:.1f}%" in line
            checked += 1
    assert checked >= 2


def test_show_of_an_unknown_campaign_is_one_line(run_main: Run, synced: tuple[str, str]) -> None:
    _, db = synced
    outcome = run_main(["--db", db, "campaigns", "show", "nope\x1b[31m"])
    assert outcome.code == 1
    assert len(outcome.err.strip().splitlines()) == 1 and "\x1b" not in outcome.err
