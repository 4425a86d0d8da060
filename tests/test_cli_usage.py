"""The CLI's usage contract: exit code 2 and one line of usage error, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "outreach_tui", *args],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["no-such-command"],
        ["inbox", "list", "--folder", "spam"],
        ["inbox", "list", "--limit", "0"],
        ["sync", "--pull-only", "--push-only"],
        ["simulator", "--port", "99999"],
        ["campaigns", "list", "--json", "--csv"],
        ["serve", "--port", "99999"],
        ["serve", "--max-sessions", "0"],
    ],
)
def test_bad_usage_exits_2_without_traceback(argv: list[str]) -> None:
    result = _run(*argv)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "error:" in result.stderr


def test_version_is_printed() -> None:
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("outreach-tui ")


def test_global_options_are_accepted_after_the_command() -> None:
    from outreach_tui.cli import build_parser

    args = build_parser().parse_args(["--profile", "a", "status", "--db", "/tmp/x.db"])
    assert args.profile == "a"
    assert args.db == "/tmp/x.db"
    args = build_parser().parse_args(["status", "--profile", "b"])
    assert args.profile == "b"
    assert args.db is None
