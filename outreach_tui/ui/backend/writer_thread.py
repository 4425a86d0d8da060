"""The one thread that writes the cache and talks to the server, for the TUI.

DESIGN.md: SQLite writes happen off the UI thread, on one writer connection, and network
work is async on one `httpx.AsyncClient`. This thread owns both: it runs an asyncio loop
on which the sync engine runs as a task, and edits from the UI are scheduled on the same
loop. Ingest and edits are synchronous between `await`s, so they interleave without ever
sharing an open transaction. The UI never waits on it: every call returns a
`concurrent.futures.Future`, and the `on_change` callback (thread-safe, e.g. a Textual
`post_message`) says when the cache changed.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from outreach_tui.api import ReachkitClient
from outreach_tui.core.filenames import safe_target
from outreach_tui.store.connection import open_writer
from outreach_tui.sync.engine import SyncOptions, run_sync
from outreach_tui.sync.progress import ProgressCallback, SyncReport, SyncRun

T = TypeVar("T")
ClientFactory = Callable[[], ReachkitClient]


class WriterThread:
    """Owns the writer connection and the API client on a private event loop."""

    def __init__(
        self,
        db_path: Path,
        client_factory: ClientFactory | None,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.db_path = db_path
        self._client_factory = client_factory
        self._client: ReachkitClient | None = None
        self._on_change = on_change
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="outreach-writer", daemon=True)
        self._started = threading.Event()
        self._startup_error: BaseException | None = None
        self._db: Database | None = None
        self._sync_cancel: threading.Event | None = None
        # Set after an edit while a sync runs: the sync pushes it before its next pages.
        self._push_soon: asyncio.Event | None = None

    @property
    def can_sync(self) -> bool:
        """False when there is no server to talk to (no key yet)."""
        return self._client_factory is not None

    def start(self) -> None:
        """Start the thread and open (create, migrate) the database; raises on failure."""
        self._thread.start()
        self._started.wait()
        if self._startup_error is not None:
            raise self._startup_error

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._db = open_writer(self.db_path)
        except BaseException as error:  # reported to start()'s caller
            self._startup_error = error
            self._started.set()
            return
        self._started.set()
        try:
            self._loop.run_forever()
        finally:
            self._db.close()
            self._loop.close()

    async def _shutdown(self) -> None:
        """Cancel what runs (a pushed item goes back to pending), then close the client."""
        current = asyncio.current_task()
        tasks = [task for task in asyncio.all_tasks() if task is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.__aexit__(None, None, None)
            self._client = None

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()

    def call(
        self, function: Callable[..., T], *args: Any, **kwargs: Any
    ) -> concurrent.futures.Future[T]:
        """Run `function(db, *args, **kwargs)` on the writer connection (e.g. an edit)."""

        async def run() -> T:
            assert self._db is not None
            try:
                return function(self._db, *args, **kwargs)
            finally:
                if self._push_soon is not None:
                    self._push_soon.set()
                self._changed()

        return asyncio.run_coroutine_threadsafe(run(), self._loop)

    def sync(
        self, options: SyncOptions | None = None, on_progress: ProgressCallback | None = None
    ) -> concurrent.futures.Future[SyncReport]:
        """Start a sync run; `cancel_sync` stops it between two steps."""
        if self._client_factory is None:
            raise RuntimeError("no server configured")
        cancel = threading.Event()
        self._sync_cancel = cancel

        def progress(event: Any) -> None:
            self._changed()
            if on_progress is not None:
                on_progress(event)

        async def run() -> SyncReport:
            assert self._db is not None
            client = await self._entered_client()
            push_soon = self._push_soon = asyncio.Event()
            try:
                return await run_sync(
                    client,
                    self._db,
                    options,
                    on_progress=progress,
                    cancel=cancel,
                    push_soon=push_soon,
                )
            finally:
                if self._push_soon is push_soon:
                    self._push_soon = None
                self._changed()

        return asyncio.run_coroutine_threadsafe(run(), self._loop)

    async def _entered_client(self) -> ReachkitClient:
        if self._client_factory is None:
            raise RuntimeError("no server configured")
        if self._client is None:
            self._client = self._client_factory()
            await self._client.__aenter__()
        return self._client

    def run_pull(
        self, pull: Callable[[SyncRun], Awaitable[None]]
    ) -> concurrent.futures.Future[SyncReport]:
        """Run one on-demand pull step (e.g. `lambda run: pull_leads(run, campaign_id)`)
        with the client and the writer connection; returns its report."""

        async def run() -> SyncReport:
            assert self._db is not None
            step = SyncRun(client=await self._entered_client(), db=self._db)
            try:
                await pull(step)
            finally:
                self._changed()
            return step.report

        return asyncio.run_coroutine_threadsafe(run(), self._loop)

    def download_attachment(
        self, conversation_id: str, attachment_id: str, filename: str | None, folder: Path
    ) -> concurrent.futures.Future[Path]:
        """Save an attachment inside `folder` under its sanitized name, or the next free
        one (`name (1).ext`, …) when taken; returns the path written. Never replaces a
        file, even when two saves of one name run at once."""

        async def run() -> Path:
            client = await self._entered_client()
            # The free name is chosen while writing (exclusive creates), not checked here
            # first: a check would only be a guess that a parallel save can invalidate.
            wanted = safe_target(folder, filename)
            saved = await client.download_attachment(conversation_id, attachment_id, wanted)
            return saved.path

        return asyncio.run_coroutine_threadsafe(run(), self._loop)

    def cancel_sync(self) -> None:
        """Ask a running sync to stop at its next step."""
        if self._sync_cancel is not None:
            self._sync_cancel.set()

    @property
    def rate_limit_remaining(self) -> int | None:
        """Requests left in the server's window (None when unknown), for the status bar."""
        client = self._client
        if client is None:
            return None
        return client.rate_limit.remaining

    def stop(self, timeout: float = 5.0) -> None:
        """Cancel any sync, stop the loop, close the client and the database."""
        self.cancel_sync()
        if not self._thread.is_alive():
            return
        done = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
        with contextlib.suppress(Exception):
            done.result(timeout)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
