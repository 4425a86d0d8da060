"""Background sync for the app: on start, on a timer and on demand (ctrl+r).

The sync runs on the writer thread; its progress and its end come back as messages,
handled here on the UI thread: one status-bar line for errors (never a modal), toasts
for conflicts, refused changes and new replies. Mixed into `OutreachApp`.
"""

from __future__ import annotations

import concurrent.futures
from typing import TYPE_CHECKING, Any

from outreach_tui.store.queries import conversations as queries
from outreach_tui.store.sync_lock import SyncBusy, holder_text
from outreach_tui.sync.engine import SyncOptions
from outreach_tui.sync.progress import SyncReport
from outreach_tui.ui.backend.messages import SyncFinished, SyncProgressed

if TYPE_CHECKING:
    from sqlite_utils import Database
    from textual.message import Message
    from textual.screen import Screen

    from outreach_tui.ui.backend.writer_thread import WriterThread


class SyncControl:
    """Starts syncs and reports how they went (a mixin of the app)."""

    # Set up by OutreachApp.__init__.
    _sync_future: concurrent.futures.Future[SyncReport] | None
    _newest_before_sync: str | None

    if TYPE_CHECKING:  # provided by OutreachApp
        writer: WriterThread
        reader: Database

        def status(self, message: str) -> None: ...
        def _set_status(self, **changes: Any) -> None: ...
        def _current_screen(self) -> Screen[Any] | None: ...
        def _refresh_views(self) -> None: ...
        def post_message(self, message: Message) -> bool: ...
        def notify(self, message: str, *, title: str = "", severity: Any = "") -> None: ...

    @property
    def syncing(self) -> bool:
        """True while a sync runs."""
        return self._sync_future is not None and not self._sync_future.done()

    def action_sync_now(self, full: bool = False) -> None:
        """Start a sync unless one is running (ctrl+r; also on start and on a timer)."""
        if not self.writer.can_sync:
            self.status("No server configured: add a key with `outreach-tui login`.")
            return
        if self.syncing:
            return
        self._newest_before_sync = queries.latest_activity(self.reader)
        self._set_status(syncing="starting…", message="")
        future = self.writer.sync(
            SyncOptions(full=full), on_progress=lambda p: self.post_message(SyncProgressed(p))
        )
        self._sync_future = future

        def finished(f: concurrent.futures.Future[SyncReport]) -> None:
            error = f.exception()
            if error is None:
                self.post_message(SyncFinished(f.result()))
            elif isinstance(error, SyncBusy):
                self.post_message(SyncFinished(None, error.message, busy=error))
            else:
                self.post_message(SyncFinished(None, f"{type(error).__name__}: {error}"))

        future.add_done_callback(finished)

    def on_sync_progressed(self, message: SyncProgressed) -> None:
        """Show how far the sync is."""
        progress = message.progress
        total = f"/{progress.total}" if progress.total is not None else ""
        self._set_status(syncing=f"{progress.resource} {progress.done}{total}")

    def on_sync_finished(self, message: SyncFinished) -> None:
        """Say how the sync went: a status line, toasts for what needs the user."""
        report = message.report
        self._set_status(syncing="")
        if self._current_screen() is None:
            return  # the app is closing
        self._refresh_views()
        if message.busy is not None:
            # Not a failure: a cron job or another terminal is syncing this cache; its
            # changes show up here as it stores them.
            pid = holder_text(message.busy.pid)
            self.status(f"Another sync is running{pid}; ctrl+r to retry.")
            return
        if report is None:
            self._set_status(online=False)
            self.status(f"Sync failed: {message.error}")
            return
        # The budget shows with the end of the sync, not one status read later.
        self._set_status(
            online=not report.unreachable, rate_remaining=self.writer.rate_limit_remaining
        )
        if report.errors:
            self.status(report.errors[0])
        elif report.cancelled:
            self.status("Sync cancelled.")
        else:
            self._set_status(message="")
        if report.conflicts:
            self.notify(
                f"{report.conflicts} edit(s) conflict with server changes: ctrl+o to resolve.",
                severity="warning",
            )
        if report.failed:
            self.notify(
                f"The server refused {report.failed} change(s): ctrl+o to see why.",
                severity="error",
            )
        if self._newest_before_sync:
            fresh = queries.count_unread_since(self.reader, self._newest_before_sync)
            if fresh:
                self.notify(f"{fresh} new repl{'y' if fresh == 1 else 'ies'}", title="Inbox")
