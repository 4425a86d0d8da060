"""Fixtures for driving the real TUI with `App.run_test()`.

The wall clock is frozen (time-machine) so relative times and the simulator's seeded
dates are the same on every run, which keeps snapshots stable. Textual's timers use the
monotonic clock, which keeps running.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import time_machine
from starlette.applications import Starlette
from textual.pilot import Pilot

from outreach_tui.api import ReachkitClient
from outreach_tui.config import Config, app_paths
from outreach_tui.simulator import create_app
from outreach_tui.store.connection import open_writer
from outreach_tui.sync.engine import run_sync
from outreach_tui.ui.app import Launch, OutreachApp

FROZEN_NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
API_KEY = "test-key"
UNREACHABLE_URL = "http://127.0.0.1:9"  # the discard port: nothing listens there


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    """Wall-clock time stands still at FROZEN_NOW for the whole test."""
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield


@pytest.fixture
def simulator(frozen_clock: None) -> Iterator[Starlette]:
    """A small seeded in-process Reachkit (60 conversations)."""
    app = create_app(api_keys=[API_KEY], size=60, seed=11)
    yield app
    app.state.simulator.close()


def client_factory_for(simulator: Starlette) -> Callable[[], ReachkitClient]:
    """Clients that talk to the in-process simulator."""

    def factory() -> ReachkitClient:
        return ReachkitClient(
            base_url="http://127.0.0.1",
            api_key=API_KEY,
            transport=httpx.ASGITransport(app=simulator),
            requests_per_minute=None,
        )

    return factory


def unreachable_client_factory() -> ReachkitClient:
    """A client whose server cannot be reached (connection refused at once)."""
    return ReachkitClient(base_url=UNREACHABLE_URL, api_key=API_KEY, requests_per_minute=None)


def sync_into(db_path: Path, simulator: Starlette) -> None:
    """Fill a cache from the simulator (outside any running event loop)."""

    async def run() -> None:
        db = open_writer(db_path)
        try:
            async with client_factory_for(simulator)() as client:
                report = await run_sync(client, db)
            assert report.ok, report.to_json()
        finally:
            db.close()

    asyncio.run(run())


@pytest.fixture
def synced_db(tmp_path: Path, simulator: Starlette) -> Path:
    """A cache synced from the simulator."""
    path = tmp_path / "cache.db"
    sync_into(path, simulator)
    return path


def make_app(
    db_path: Path,
    client_factory: Callable[[], ReachkitClient] | None = None,
    *,
    config: Config | None = None,
    sync_on_start: bool = False,
    welcome: bool = False,
) -> OutreachApp:
    """The real app on `db_path`; no background sync unless asked."""
    launch = Launch(
        profile="test",
        db_path=db_path,
        config=config or Config(),
        paths=app_paths(),
        client_factory=client_factory,
        welcome=welcome,
        sync_on_start=sync_on_start,
        sync_interval_seconds=0,
    )
    return OutreachApp(launch)


async def wait_for(
    pilot: Pilot[object], predicate: Callable[[], bool], seconds: float = 10
) -> None:
    """Let the app run until `predicate()` holds (workers land, messages are handled)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)
