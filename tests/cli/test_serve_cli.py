"""`outreach-tui serve` on the command line: where it may listen, and its usage errors."""

from __future__ import annotations

import functools

import pytest

from outreach_tui.commands.serve import check_host
from outreach_tui.serve.access import is_loopback
from tests.cli.conftest import Outcome


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.com", "10.0.0.1"])
def test_a_host_other_machines_reach_needs_allow_remote_or_exits_2(
    run_main: functools.partial[Outcome], host: str
) -> None:
    outcome = run_main(["serve", "--host", host, "--port", "0"])

    assert outcome.code == 2
    assert "--allow-remote" in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1
    assert "http://" not in outcome.out  # nothing was served, no URL, no token


def test_an_empty_host_is_a_usage_error(run_main: functools.partial[Outcome]) -> None:
    outcome = run_main(["serve", "--host", " ", "--port", "0"])
    assert outcome.code == 2
    assert "--host" in outcome.err


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--port", "99999"],
        ["serve", "--max-sessions", "0"],
        ["serve", "--max-sessions", "many"],
        ["serve", "--demo", "--size", "0"],
    ],
)
def test_bad_serve_flags_exit_2(run_main: functools.partial[Outcome], argv: list[str]) -> None:
    assert run_main(argv).code == 2


def test_an_allowed_remote_host_gets_a_plain_http_warning() -> None:
    warning = check_host("0.0.0.0", allow_remote=True)
    assert warning is not None
    assert "plain http" in warning
    assert "TLS" in warning
    assert check_host("127.0.0.1", allow_remote=False) is None
    assert check_host("127.0.0.1", allow_remote=True) is None


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.0.1", False),
        ("localhost.example.com", False),
    ],
)
def test_only_loopback_addresses_count_as_local(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
