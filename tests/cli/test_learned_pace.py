"""The pace learned from a server outlives the process: the next `outreach-tui sync` of the
profile starts from it (real subprocesses, a rate-limited simulator on 127.0.0.1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from outreach_tui.simulator import create_app
from outreach_tui.simulator.server import serve_in_thread
from outreach_tui.store import request_pace
from outreach_tui.store.connection import open_reader
from tests.cli.conftest import run_process
from tests.sync.conftest import KEY


@pytest.fixture
def announced() -> Iterator[tuple[Starlette, str]]:
    app = create_app(api_keys=[KEY], size=20, seed=3, rate_limit="40/s")
    with serve_in_thread(app) as base_url:
        yield app, base_url
    app.state.simulator.close()


def _sync(home: Path, base_url: str, *flags: str) -> dict:
    outcome = run_process(["--base-url", base_url, "sync", "--json", *flags], home=home)
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)


def test_an_announced_rate_is_remembered_and_the_next_run_starts_from_it(
    tmp_path: Path, announced: tuple[Starlette, str]
) -> None:
    app, base_url = announced
    first = _sync(tmp_path, base_url)
    assert first["ok"] and first["rate_limited"] == 0
    assert first["requests_per_second"] == pytest.approx(40.0)
    assert first["rate_announced"] is True
    cache = open_reader(tmp_path / "data" / "profiles" / "default" / "cache.db")
    try:
        stored = request_pace.get_pace(cache, f"{base_url}/api/v1/")
    finally:
        cache.close()
    assert stored is not None and stored.announced
    assert stored.requests_per_second == pytest.approx(40.0)
    # The server stops announcing and refuses silently above 2/s: the second run starts at
    # the stored 40/s, is refused, and learns a slower pace, which replaces the stored one.
    app.state.simulator.set_rate_limit("2/s silent")
    second = _sync(tmp_path, base_url, "--full")
    assert second["ok"] and second["rate_limited"] >= 1
    assert second["rate_announced"] is False
    assert 0 < second["requests_per_second"] < 40
    third = _sync(tmp_path, base_url)
    assert third["requests_per_second"] <= second["requests_per_second"] + 1
