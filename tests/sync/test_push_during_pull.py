"""The user's change goes out while a long pull runs: the TUI's sync pushes it before the
pull's next pages (the pacer lets the push's requests through first)."""

from __future__ import annotations

import asyncio

import httpx
from sqlite_utils import Database
from starlette.applications import Starlette

from outreach_tui.simulator import create_app
from outreach_tui.store import edits
from outreach_tui.sync.engine import SyncOptions, run_sync
from outreach_tui.sync.progress import SyncProgress
from tests.sync.conftest import KEY, client_for


class LoggingTransport(httpx.AsyncBaseTransport):
    """The in-process simulator; conversation pages answer a little late; every request
    is logged in the order sent."""

    def __init__(self, app: Starlette) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.log: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        if path == "/unibox/conversations":
            folder = request.url.params.get("folder")
            self.log.append(f"page {folder} {request.url.params.get('page')}")
            await asyncio.sleep(0.02)
        else:
            self.log.append(f"{request.method} {path}")
        return await self.inner.handle_async_request(request)


async def test_a_label_set_during_a_long_pull_is_pushed_before_the_next_pages(
    db: Database,
) -> None:
    app = create_app(api_keys=[KEY], size=1500, seed=9)
    transport = LoggingTransport(app)
    push_soon = asyncio.Event()
    labelled: list[str] = []

    def on_progress(progress: SyncProgress) -> None:
        if progress.resource == "conversations:primary" and not labelled:
            row = db.conn.execute("SELECT id, label FROM conversations LIMIT 1").fetchone()
            new_label = "meeting_requested" if row[1] != "meeting_requested" else "interested"
            assert edits.set_label(db, row[0], new_label)
            labelled.append(row[0])
            push_soon.set()  # what the TUI's writer thread does after an edit

    async with client_for(app, transport=transport) as client:
        report = await run_sync(
            client, db, SyncOptions(full=True), on_progress=on_progress, push_soon=push_soon
        )
    assert report.ok and report.pushed == 1
    patch = transport.log.index(f"PATCH /unibox/conversations/{labelled[0]}")
    later_pages = [e for e in transport.log[patch:] if e.startswith("page primary")]
    assert len(later_pages) >= 3  # the pull went on after the push, it did not wait for it
    server = app.state.simulator.workspace(KEY).conversations[labelled[0]]
    assert server.label_override is not None


async def test_without_a_signal_the_push_waits_for_the_pull(db: Database) -> None:
    app = create_app(api_keys=[KEY], size=300, seed=9)
    transport = LoggingTransport(app)
    async with client_for(app, transport=transport) as client:
        assert (await run_sync(client, db, SyncOptions(push=False))).ok
        row = db.conn.execute("SELECT id FROM conversations LIMIT 1").fetchone()
        assert edits.set_label(db, row[0], "wrong_person")
        transport.log.clear()
        report = await run_sync(client, db, SyncOptions(full=True))
    assert report.ok and report.pushed == 1
    pages = [i for i, e in enumerate(transport.log) if e.startswith("page")]
    assert transport.log.index(f"PATCH /unibox/conversations/{row[0]}") > max(pages)
