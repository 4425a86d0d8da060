"""Fixtures for driving the real TUI with `App.run_test()`.

The wall clock is frozen (time-machine) and the time zone is UTC, so relative times, dates
and the simulator's seeded data are the same on every run, which keeps snapshots stable.
Textual's timers use the monotonic clock, which keeps running. The seeded simulator is
deterministic, so the synced cache is built once per session and copied for each test.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import shutil
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
import time_machine
from starlette.applications import Starlette
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip

from outreach_tui.api import ReachkitClient, RetryPolicy
from outreach_tui.config import Config, app_paths
from outreach_tui.simulator import create_app
from outreach_tui.store import outbox
from outreach_tui.store.connection import open_reader, open_writer
from outreach_tui.store.queries import conversations as conversation_queries
from outreach_tui.store.records import ConversationFilter, ConversationRow
from outreach_tui.sync.engine import run_sync
from outreach_tui.sync.progress import SyncReport
from outreach_tui.ui.app import Launch, OutreachApp
from outreach_tui.ui.inbox.widgets.conversation_list import ConversationList

FROZEN_NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
API_KEY = "test-key"
UNREACHABLE_URL = "http://127.0.0.1:9"  # the discard port: nothing listens there
SIMULATOR_SIZE = 60
SIMULATOR_SEED = 11
# Any C0/C1 control character (ESC included): none may reach a rendered line.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@pytest.fixture(autouse=True)
def utc_time_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC (the thread view shows local dates)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    """Wall-clock time stands still at FROZEN_NOW for the whole test."""
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield


def new_simulator() -> Starlette:
    """The small seeded in-process Reachkit (call under the frozen clock)."""
    return create_app(api_keys=[API_KEY], size=SIMULATOR_SIZE, seed=SIMULATOR_SEED)


@pytest.fixture
def simulator(frozen_clock: None) -> Iterator[Starlette]:
    """A small seeded in-process Reachkit (60 conversations)."""
    app = new_simulator()
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
            start_rate=None,
        )

    return factory


def unreachable_client_factory() -> ReachkitClient:
    """A client whose server cannot be reached (connection refused at once); it retries
    as a real one does, with short waits (the default backoff adds up to ~10 s)."""
    return ReachkitClient(
        base_url=UNREACHABLE_URL,
        api_key=API_KEY,
        requests_per_minute=None,
        start_rate=None,
        retry=RetryPolicy(initial_backoff=0.01, max_backoff=0.05),
    )


async def sync_cache(db_path: Path, simulator: Starlette) -> SyncReport:
    """One sync of the cache at `db_path` against the simulator; it must succeed."""
    db = open_writer(db_path)
    try:
        async with client_factory_for(simulator)() as client:
            report = await run_sync(client, db)
        assert report.ok, report.to_json()
        return report
    finally:
        db.close()


def sync_into(db_path: Path, simulator: Starlette) -> None:
    """Fill a cache from the simulator (outside any running event loop)."""
    asyncio.run(sync_cache(db_path, simulator))


@pytest.fixture(scope="session")
def synced_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache synced once per session from a fresh seeded simulator (frozen clock)."""
    path = tmp_path_factory.mktemp("template") / "cache.db"
    with time_machine.travel(FROZEN_NOW, tick=False):
        app = new_simulator()
        try:
            sync_into(path, app)
        finally:
            app.state.simulator.close()
    return path


def copy_cache(template: Path, destination: Path) -> Path:
    """Copy a closed cache (with any WAL left beside it)."""
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{template}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{destination}{suffix}")
    return destination


@pytest.fixture
def synced_db(tmp_path: Path, simulator: Starlette, synced_template: Path) -> Path:
    """A cache synced from the simulator: the seeded simulator is deterministic, so this
    is a copy of the session's template (what a sync of `simulator` gives)."""
    return copy_cache(synced_template, tmp_path / "cache.db")


def make_app(
    db_path: Path,
    client_factory: Callable[[], ReachkitClient] | None = None,
    *,
    config: Config | None = None,
    sync_on_start: bool = False,
    welcome: bool = False,
    base_url: str | None = None,
    key_checker: Callable[[str, str], Awaitable[None]] | None = None,
) -> OutreachApp:
    """The real app on `db_path`; no background sync unless asked."""
    launch = Launch(
        profile="test",
        db_path=db_path,
        config=config or Config(),
        paths=app_paths(),
        client_factory=client_factory,
        base_url=base_url,
        welcome=welcome,
        sync_on_start=sync_on_start,
        sync_interval_seconds=0,
        key_checker=key_checker,
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


async def settle(pilot: Pilot[object], seconds: float = 10) -> None:
    """Let the app run until no worker is pending or running (every read has landed and
    nothing it started is still out), then one more repaint: what a snapshot captures."""
    app = pilot.app
    await wait_for(pilot, lambda: all(worker.is_finished for worker in app.workers), seconds)
    await pilot.pause(0.1)


def rendered_strips(app: App[object]) -> list[Strip]:
    """Every line every visible widget of the active screen renders now (what the
    terminal would be sent, widget by widget)."""
    strips: list[Strip] = []
    for widget in app.screen.walk_children(with_self=True):
        if not widget.display or not widget.region:
            continue
        width, height = widget.outer_size  # lines include padding and border
        if width and height:
            strips.extend(widget.render_lines(Region(0, 0, width, height)))
    return strips


def screen_text(app: App[object]) -> str:
    """The text of every visible widget of the active screen, one rendered line a line."""
    return "\n".join(strip.text for strip in rendered_strips(app))


def terminal_lines(app: App[object]) -> list[str]:
    """The lines of the terminal as composed now (widgets clipped and layered)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def assert_no_controls(app: App[object]) -> None:
    """No rendered line holds ESC or any other C0/C1 control character."""
    for strip in rendered_strips(app):
        found = CONTROL_CHARACTER.search(strip.text)
        assert found is None, f"control {found.group()!r} in {strip.text!r}"


async def wait_for_screen(pilot: Pilot[object], screen_type: type, seconds: float = 10) -> None:
    """Let the app run until the active screen is a `screen_type` and has mounted (its
    widgets are composed, so the test can query them)."""
    await wait_for(
        pilot,
        lambda: isinstance(pilot.app.screen, screen_type) and pilot.app.screen.is_mounted,
        seconds,
    )


async def open_inbox(pilot: Pilot[object]) -> ConversationList:
    """Wait until the inbox list has loaded its first rows; returns the list."""
    app = pilot.app
    await wait_for(pilot, lambda: bool(app.screen.query(ConversationList)))
    conversations = app.screen.query_one(ConversationList)
    await wait_for(pilot, lambda: conversations.loaded and conversations.current_row is not None)
    return conversations


def row_text(conversations: ConversationList, index: int) -> str:
    """The rendered line of row `index` (it must be on screen)."""
    y = index - int(conversations.scroll_offset.y)
    assert 0 <= y < conversations.size.height, f"row {index} is not on screen"
    return conversations.render_line(y).text


def stored_row(db_path: Path, conversation_id: str) -> ConversationRow:
    """A conversation as the cache has it now."""
    db = open_reader(db_path)
    try:
        row = conversation_queries.get_conversation(db, conversation_id)
    finally:
        db.close()
    assert row is not None
    return row


def stored_count(db_path: Path, flt: ConversationFilter) -> int:
    """How many conversations the cache has now under a filter."""
    db = open_reader(db_path)
    try:
        return conversation_queries.count_conversations(db, flt)
    finally:
        db.close()


def outbox_items(db_path: Path, *states: str) -> list[outbox.OutboxItem]:
    """Outbox items in `states` (default: every state)."""
    db = open_reader(db_path)
    try:
        return outbox.list_items(db, states or tuple(outbox.STATES))
    finally:
        db.close()


def pending_changes(db_path: Path) -> list[tuple[str, str | None, object]]:
    """(conversation id, field, value) of every pending conversation item."""
    return sorted(
        (item.resource_id, item.field, item.value)
        for item in outbox_items(db_path, outbox.PENDING)
        if item.resource == "conversation"
    )


async def wait_for_text(pilot: Pilot[object], *texts: str, seconds: float = 10) -> str:
    """Let the app run until every one of `texts` is on screen; returns the screen text."""
    shown = ""

    def on_screen() -> bool:
        nonlocal shown
        shown = screen_text(pilot.app)
        return all(text in shown for text in texts)

    try:
        await wait_for(pilot, on_screen, seconds)
    except AssertionError:
        missing = [text for text in texts if text not in shown]
        raise AssertionError(f"not on screen: {missing!r}") from None
    return shown
