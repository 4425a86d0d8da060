"""Search as you type never holds the UI thread, and a superseded search stops at once.

The conversation list's loads run on workers; a load replaced by a newer one (the next
key typed) has its SQL interrupted instead of running to its end. A keyset page read on
the UI thread runs under a time limit and goes to a worker when it would take longer.
The slow queries here are made slow on purpose (a long recursive count), so what is
asserted is behaviour: which thread ran them, that they were interrupted, what is shown.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from textual.app import App, ComposeResult

from outreach_tui.store.connection import (
    ReadInterrupted,
    open_reader,
    open_writer,
    read_snapshot,
    time_limit,
)
from outreach_tui.store.ingest import upsert_conversations
from outreach_tui.store.queries.conversations import conversation_window, conversations_at
from outreach_tui.store.records import ConversationFilter, ConversationRow
from outreach_tui.ui.inbox.widgets.conversation_list import ConversationList
from tests.store import factories
from tests.ui.conftest import wait_for
from tests.ui.fake_backend import FakeBackend

# Minutes of work unless interrupted.
ENDLESS = (
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 300000000)"
    " SELECT COUNT(*) FROM r"
)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    path = tmp_path / "cache.db"
    db = open_writer(path)
    try:
        items = [
            factories.conversation(f"c{i:03d}", day=1 + i % 28, text=f"pricing {i}")
            for i in range(160)
        ]
        upsert_conversations(db, items, "primary")
    finally:
        db.close()
    return path


def test_a_cancelled_snapshot_read_stops_its_statement(cache: Path) -> None:
    cancel = threading.Event()
    threading.Timer(0.05, cancel.set).start()
    with pytest.raises(ReadInterrupted), read_snapshot(cache, cancelled=cancel.is_set) as db:
        db.conn.execute(ENDLESS).fetchone()


def test_a_time_limited_read_stops_and_the_connection_stays_usable(cache: Path) -> None:
    db = open_reader(cache)
    try:
        with pytest.raises(ReadInterrupted), time_limit(db, 0.01):
            db.conn.execute(ENDLESS).fetchone()
        with time_limit(db, 5):
            assert len(conversation_window(db, ConversationFilter(search="pricing"))) == 50
    finally:
        db.close()


class Probed(ConversationList):
    """The real list, with slow queries on demand and a record of where they ran."""

    def __init__(self, backend: Any, flt: ConversationFilter) -> None:
        super().__init__(backend, flt)
        self.slow_count_started = threading.Event()
        self.interrupted: list[tuple[str, bool]] = []  # (what, on the UI thread)
        self.slow_threads: list[bool] = []  # a slow count ran on the UI thread?
        self.slow_neighbours = False

    def _endless(self, db: Database, what: str) -> None:
        on_ui_thread = threading.current_thread() is threading.main_thread()
        try:
            db.conn.execute(ENDLESS).fetchone()
        except sqlite3.OperationalError:
            self.interrupted.append((what, on_ui_thread))
            raise

    def count_rows(self, db: Database, params: Any) -> int:
        if params.search == "slow":
            self.slow_threads.append(threading.current_thread() is threading.main_thread())
            self.slow_count_started.set()
            self._endless(db, "count")
        return super().count_rows(db, params)

    def rows_after(
        self, db: Database, params: Any, row: ConversationRow, limit: int
    ) -> list[ConversationRow]:
        if self.slow_neighbours:
            self._endless(db, "rows_after")
        return super().rows_after(db, params, row, limit)


class Host(App[None]):
    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        self.backend = FakeBackend(self, self.db_path)
        yield Probed(self.backend, ConversationFilter(folder="primary"))


def _expected(cache: Path, flt: ConversationFilter, offset: int) -> str:
    db = open_reader(cache)
    try:
        return conversations_at(db, flt, offset=offset, limit=1)[0].id
    finally:
        db.close()


async def test_a_search_replaced_while_its_query_runs_is_interrupted_off_the_ui_thread(
    cache: Path,
) -> None:
    app = Host(cache)
    async with app.run_test() as pilot:
        listing = app.query_one(Probed)
        await wait_for(pilot, lambda: listing.total == 160)
        listing.set_filter(ConversationFilter(folder="primary", search="slow"))
        await wait_for(pilot, listing.slow_count_started.is_set)
        # The UI thread is free while the slow query runs: the next search is typed and
        # its result lands, the slow one is interrupted on its worker.
        wanted = ConversationFilter(folder="primary", search="pricing")
        listing.set_filter(wanted)
        await wait_for(pilot, lambda: listing.loaded and listing.total == 160)
        await wait_for(pilot, lambda: ("count", False) in listing.interrupted)
        assert listing.slow_threads == [False]
        assert listing.filter == wanted
        assert listing.current_row is not None
        assert listing.current_row.id == _expected(cache, wanted, 0)


async def test_a_keyset_page_too_slow_for_the_ui_thread_is_read_on_a_worker(
    cache: Path,
) -> None:
    app = Host(cache)
    async with app.run_test() as pilot:
        listing = app.query_one(Probed)
        flt = ConversationFilter(folder="primary", search="pricing")
        listing.set_filter(flt)
        await wait_for(pilot, lambda: listing.loaded and listing.total == 160)
        listing.slow_neighbours = True
        listing.move_cursor(120)  # page 2: its neighbour page 1 is cached
        await wait_for(pilot, lambda: ("rows_after", True) in listing.interrupted)
        await wait_for(pilot, lambda: listing.current_row is not None)
        assert listing.current_row is not None
        assert listing.current_row.id == _expected(cache, flt, 120)
