"""The CLI against a loopback server it has never seen (random schema-valid answers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import run_process, serve_asgi
from tests.sync.conftest import KEY
from tests.sync.random_server import RandomServer
from tests.sync.reference_endpoints import request_problems


@pytest.mark.parametrize(("seed", "invalid"), [(1, False), (4, False), (2, True)])
def test_cli_sync_against_a_random_server_exits_0_with_documented_requests(
    seed: int, invalid: bool, isolated_home: Path, tmp_path: Path
) -> None:
    server = RandomServer(seed, invalid_records=invalid)
    db = str(tmp_path / "cache.db")
    with serve_asgi(server.asgi) as base_url:
        first = run_process(
            ["--base-url", base_url, "--db", db, "sync", "--full", "--json"], home=isolated_home
        )
        second = run_process(["--base-url", base_url, "--db", db, "sync"], home=isolated_home)
    assert first.code == 0, first.err
    assert second.code == 0, second.err
    summary = json.loads(first.out)
    assert summary["ok"] is True
    if invalid:
        assert server.invalid_served and summary["skipped_records"]
        assert "skipped malformed" in first.err
        # the escape sequences of hostile ids never reach the terminal
        assert "\x1b" not in first.err
    problems = [
        problem
        for r in server.requests
        for problem in request_problems(r.method, r.path, r.query, r.headers, r.body, KEY)
    ]
    assert problems == []
    listed = run_process(["--db", db, "inbox", "list", "--json"], home=isolated_home)
    assert listed.code == 0 and "\x1b" not in listed.out
