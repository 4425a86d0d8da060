"""`outreach-tui serve` as a real subprocess on a free loopback port, and what it started.

The app processes a server starts are found through /proc (the server's descendants), so
the tests see what `ps` would, not what the server says about itself.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from tests.cli.conftest import process_env

STARTUP_SECONDS = 60.0
# A demo app on a loaded two-core machine: seeding, the first sync, the first frame.
APP_OUTPUT_SECONDS = 90.0
DEMO = ["serve", "--demo", "--size", "20", "--port", "0"]


def parent_pid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    return int(stat.rsplit(")", 1)[1].split()[1])


def is_running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting to be reaped is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def descendants(pid: int) -> list[int]:
    """Every live process below `pid`, children and their children."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (parent := parent_pid(int(entry))) is not None:
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if is_running(child):
                found.append(child)
                todo.append(child)
    return found


def _pump(stream: object, lines: list[str], ready: queue.Queue[str] | None) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line)
        if ready is not None:
            ready.put(line)


@dataclass
class Served:
    """A running `outreach-tui serve`: its process, URL, token and output so far."""

    process: subprocess.Popen[str]
    url: str
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    pumps: list[threading.Thread] = field(default_factory=list)

    @property
    def base(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def token(self) -> str:
        return parse_qs(urlsplit(self.url).query)["token"][0]

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 0

    @property
    def ws_url(self) -> str:
        return "ws" + self.base.removeprefix("http") + "/ws"

    def cookie(self, value: str | None = None) -> dict[str, str]:
        """The header a browser sends once the page has set its cookie."""
        return {"Cookie": f"outreach_tui_serve_{self.port}={value or self.token}"}

    def app_pids(self) -> list[int]:
        """The server's child processes: one app per session."""
        return [pid for pid in descendants(self.process.pid) if parent_pid(pid) == self.process.pid]

    def all_pids(self) -> list[int]:
        """Every process below the server (an app and whatever it started)."""
        return descendants(self.process.pid)

    def output(self) -> str:
        return "".join(self.out) + "".join(self.err)

    def stop(self, signum: int = signal.SIGINT, timeout: float = 60) -> int:
        """Send `signum` and wait for the server to exit; returns its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        code = self.process.wait(timeout=timeout)
        for pump in self.pumps:  # the output is complete once the pipes are drained
            pump.join(timeout=10)
        return code


StartServe = Callable[..., Served]


@pytest.fixture
def start_serve(isolated_home: Path) -> Iterator[StartServe]:
    """Start `python -m outreach_tui ARGV` and wait for its URL; stopped after the test."""
    started: list[Served] = []

    def start(argv: list[str], env: dict[str, str] | None = None) -> Served:
        process = subprocess.Popen(
            [sys.executable, "-m", "outreach_tui", *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**process_env(isolated_home, api_key=None), **(env or {})},
        )
        out: list[str] = []
        err: list[str] = []
        ready: queue.Queue[str] = queue.Queue()
        streams = ((process.stdout, out, ready), (process.stderr, err, None))
        pumps = [
            threading.Thread(target=_pump, args=(stream, lines, signal_), daemon=True)
            for stream, lines, signal_ in streams
        ]
        for pump in pumps:
            pump.start()
        try:
            url = ready.get(timeout=STARTUP_SECONDS).strip()
        except queue.Empty:
            process.kill()
            pytest.fail(f"serve printed no URL: {''.join(err)}")
        served = Served(process, url, out, err, pumps)
        started.append(served)
        return served

    yield start
    for served in started:
        leftovers = served.all_pids()
        try:
            served.stop(signal.SIGTERM)
        except subprocess.TimeoutExpired:
            served.process.kill()
        for pid in leftovers:  # never leave an app behind, even when a test failed
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)


async def read_app_output(websocket: aiohttp.ClientWebSocketResponse, want: int = 2000) -> bytes:
    """Terminal output of a session until `want` bytes arrived (the app drew its screen)."""
    received = bytearray()
    deadline = time.monotonic() + APP_OUTPUT_SECONDS
    while len(received) < want:
        message = await websocket.receive(timeout=max(0.1, deadline - time.monotonic()))
        if message.type == aiohttp.WSMsgType.BINARY:
            received += message.data
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            raise AssertionError(f"the session closed: {message.extra!r}")
    return bytes(received)


def wait_until(predicate: object, timeout: float = 30.0) -> bool:
    """Poll `predicate()` until it is true or `timeout` passes; returns the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():  # type: ignore[operator]
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
