"""Background sync for the app: on start, on a timer and on demand (ctrl+r).

The sync runs on the writer thread; its progress and its end come back as messages to
the app, which hands them to the `SyncControl` its `Backend` owns: one status-bar line
for errors (never a modal), toasts for conflicts, refused changes and new replies.
"""

from __future__ import annotations

import concurrent.futures
from typing import Any, Protocol

from sqlite_utils import Database
from textual.app import App

from outreach_tui.store.queries import conversations as conversation_queries
from outreach_tui.store.sync_lock import SyncBusy, holder_text
from outreach_tui.sync.engine import SyncOptions
from outreach_tui.sync.progress import SyncReport
from outreach_tui.ui.backend.messages import SyncFinished, SyncProgressed
from outreach_tui.ui.backend.status import CONNECTING, StatusLine
from outreach_tui.ui.backend.writer_thread import WriterThread


class SyncHost(Protocol):
    """What a `SyncControl` uses of its owner (the `Backend`)."""

    app: App[Any]
    writer: WriterThread
    status: StatusLine
    reader: Database
    closing: bool

    @property
    def can_sync(self) -> bool: ...

    def publish_change(self) -> None: ...


class SyncControl:
    """Starts syncs of one backend and reports how they went."""

    def __init__(self, backend: SyncHost) -> None:
        self.backend = backend
        self._future: concurrent.futures.Future[SyncReport] | None = None
        self._newest_before: str | None = None

    @property
    def running(self) -> bool:
        """True while a sync runs."""
        return self._future is not None and not self._future.done()

    @property
    def future(self) -> concurrent.futures.Future[SyncReport] | None:
        """The last sync started (tests wait on it)."""
        return self._future

    def start(self, full: bool = False) -> None:
        """Start a sync unless one is running."""
        backend = self.backend
        if not backend.can_sync:
            backend.status.say("No server configured: add a key with `outreach-tui login`.")
            return
        if self.running:
            return
        self._newest_before = conversation_queries.latest_activity(backend.reader)
        # Not "online" yet: the last state may be stale until the server answers.
        backend.status.update(syncing=CONNECTING)
        backend.status.clear_from("sync")
        app = backend.app
        future = backend.writer.sync(
            SyncOptions(full=full), on_progress=lambda p: app.post_message(SyncProgressed(p))
        )
        self._future = future

        def finished(f: concurrent.futures.Future[SyncReport]) -> None:
            error = f.exception()
            if error is None:
                app.post_message(SyncFinished(f.result()))
            elif isinstance(error, SyncBusy):
                app.post_message(SyncFinished(None, error.message, busy=error))
            else:
                app.post_message(SyncFinished(None, f"{type(error).__name__}: {error}"))

        future.add_done_callback(finished)

    def progressed(self, message: SyncProgressed) -> None:
        """Show how far the sync is (a long listing: its pages, the request rate, an ETA)."""
        self.backend.status.update(online=True, syncing=message.progress.describe(short=True))

    def finished(self, message: SyncFinished) -> None:
        """Say how the sync went: a status line, toasts for what needs the user."""
        backend, status, app = self.backend, self.backend.status, self.backend.app
        status.update(syncing="")
        if backend.closing:
            return
        backend.publish_change()
        if message.busy is not None:
            # Not a failure: a cron job or another terminal is syncing this cache; its
            # changes show up here as it stores them.
            pid = holder_text(message.busy.pid)
            status.say(
                f"Another sync is running{pid}; ctrl+r to retry.", source="sync", everywhere=True
            )
            return
        report = message.report
        if report is None:
            status.update(online=False, sync_failed=True)
            status.say(f"Sync failed: {message.error}", source="sync", everywhere=True)
            return
        # The budget shows with the end of the sync, not one status read later.
        status.update(
            online=not report.unreachable,
            sync_failed=report.unreachable or bool(report.errors),
            rate_remaining=backend.writer.rate_limit_remaining,
        )
        if report.errors:
            status.say(report.errors[0], source="sync", everywhere=True)
        elif report.cancelled:
            status.say("Sync cancelled.", source="sync", everywhere=True)
        else:
            status.clear_from("sync")
        if report.conflicts:
            app.notify(
                f"{report.conflicts} edit(s) conflict with server changes: ctrl+o to resolve.",
                severity="warning",
            )
        if report.failed:
            app.notify(
                f"The server refused {report.failed} change(s): ctrl+o to see why.",
                severity="error",
            )
        if self._newest_before:
            fresh = conversation_queries.count_unread_since(backend.reader, self._newest_before)
            if fresh:
                app.notify(f"{fresh} new repl{'y' if fresh == 1 else 'ies'}", title="Inbox")
