"""CLI test helpers: a simulator on loopback, the CLI in-process and as a subprocess.

Every helper checks the two promises that hold for any command: errors never come as a
traceback, and the API key never appears in stdout or stderr.
"""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.types import ASGIApp

from outreach_tui import cli
from outreach_tui.api import ReachkitClient
from outreach_tui.commands import auth, context
from outreach_tui.simulator import create_app
from outreach_tui.simulator.server import base_url, bind_socket, serve_in_thread
from outreach_tui.store.connection import open_writer
from outreach_tui.sync.engine import run_sync
from tests.sync.conftest import FAST_RETRIES, KEY, client_for

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Outcome:
    """Exit code and output of one CLI run."""

    code: int
    out: str
    err: str


async def synced_cache(app: Starlette, path: Path) -> str:
    """`path` filled by one sync of the in-process simulator `app` (closed after); the
    cache's path as a string, for `--db`."""
    writer = open_writer(path)
    try:
        async with client_for(app) as client:
            assert (await run_sync(client, writer)).ok
    finally:
        writer.close()
        app.state.simulator.close()
    return str(path)


def check_output(outcome: Outcome, key: str = KEY) -> Outcome:
    """Assert what every run promises: no traceback, no key in the output."""
    for stream in (outcome.out, outcome.err):
        assert key not in stream
        assert "Traceback" not in stream
    return outcome


@pytest.fixture
def served() -> Iterator[tuple[Starlette, str]]:
    """A small simulator served on 127.0.0.1 (port chosen by the OS): (app, base URL)."""
    app = create_app(api_keys=[KEY], size=30, seed=21)
    with serve_in_thread(app) as base_url:
        yield app, base_url
    app.state.simulator.close()


@contextlib.contextmanager
def serve_asgi(app: ASGIApp) -> Iterator[str]:
    """Serve any ASGI app on 127.0.0.1 from a thread; yields its base URL."""
    sock = bind_socket("127.0.0.1", 0)
    config = uvicorn.Config(
        app, lifespan="off", log_level="warning", access_log=False, interface="asgi3"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield base_url(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def fast_cli_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process CLI runs retry with millisecond backoff (the defaults wait seconds)."""
    fast = functools.partial(ReachkitClient, retry=FAST_RETRIES)
    monkeypatch.setattr(context, "ReachkitClient", fast)
    monkeypatch.setattr(auth, "ReachkitClient", fast)


@pytest.fixture
def run_main(
    capsys: pytest.CaptureFixture[str], fast_cli_retries: None
) -> functools.partial[Outcome]:
    """Run `outreach_tui.cli.main(argv)` in-process; returns its Outcome."""
    return functools.partial(_run_main, capsys)


def _run_main(capsys: pytest.CaptureFixture[str], argv: Sequence[str], key: str = KEY) -> Outcome:
    capsys.readouterr()
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:  # argparse usage errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return check_output(Outcome(code, captured.out, captured.err), key)


def process_env(home: Path, api_key: str | None = KEY) -> dict[str, str]:
    """A clean environment for a CLI subprocess: this checkout, `home`, `api_key`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REACHKIT_", "OUTREACH_TUI_"))
    }
    env["OUTREACH_TUI_HOME"] = str(home)
    env["PYTHONPATH"] = str(REPO)
    if api_key is not None:
        env["REACHKIT_API_KEY"] = api_key
    return env


def start_process(argv: Sequence[str], *, home: Path) -> subprocess.Popen[str]:
    """Start `python -m outreach_tui argv` (clean environment, output captured as text)."""
    return subprocess.Popen(
        [sys.executable, "-m", "outreach_tui", *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=process_env(home),
    )


def run_process(
    argv: Sequence[str],
    *,
    home: Path,
    api_key: str | None = KEY,
    stdin: str | None = None,
    timeout: float = 60,
) -> Outcome:
    """Run `python -m outreach_tui argv` as a subprocess with a clean environment."""
    completed = subprocess.run(
        [sys.executable, "-m", "outreach_tui", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=process_env(home, api_key),
        timeout=timeout,
        check=False,
    )
    return check_output(Outcome(completed.returncode, completed.stdout, completed.stderr))
