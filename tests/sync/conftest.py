"""Fixtures for sync tests: a small seeded simulator in-process, a client on it, a cache."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlite_utils import Database
from starlette.applications import Starlette

from outreach_tui.api import ReachkitClient, RetryPolicy
from outreach_tui.simulator import create_app
from outreach_tui.store.connection import open_writer
from outreach_tui.sync import push

KEY = "rk_test_SYNC-SECRET-4b1d"
FAST_RETRIES = RetryPolicy(initial_backoff=0.001, max_backoff=0.005, max_retry_after=0.01)


@pytest.fixture(autouse=True)
def no_verify_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """Looking for an uncertain write waits a moment on a real server; not in tests."""
    monkeypatch.setattr(push, "VERIFY_SETTLE_SECONDS", 0.0)


@pytest.fixture
def app() -> Iterator[Starlette]:
    """A small seeded simulator, fresh for every test."""
    application = create_app(api_keys=[KEY], size=40, seed=7)
    yield application
    application.state.simulator.close()


def client_for(app: Starlette, **options: object) -> ReachkitClient:
    """A client on `app` in-process with fast retries and no local request budget."""
    options.setdefault("retry", FAST_RETRIES)
    options.setdefault("requests_per_minute", None)
    options.setdefault("start_rate", None)  # unpaced until refused
    options.setdefault("transport", httpx.ASGITransport(app=app))
    return ReachkitClient(base_url="http://127.0.0.1", api_key=KEY, **options)  # type: ignore[arg-type]


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[ReachkitClient]:
    """The client wired to `app`."""
    async with client_for(app) as reachkit:
        yield reachkit


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cache.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """The writer connection of a fresh cache; checked for integrity after the test."""
    writer = open_writer(db_path)
    yield writer
    assert writer.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert writer.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    writer.close()
