"""`Backend`: the one object screens and widgets use to reach the cache and the server.

The app builds it and hands it to every screen (as `db_path` was handed before), and
screens hand it to the widgets that need it. Nothing under `ui/` but the app's own module
knows the app class: screens talk to the app through this object, Textual's own `App`
API and messages (harlequin's rule).

- `read(node, read, apply)`: `read(db)` on a worker thread with its own snapshot, then
  `apply(result)` on the UI thread unless a newer read of the same group replaced it.
- `edit(fn)`: `fn(db)` on the writer thread (local change + outbox item in one
  transaction); errors become one status line.
- `pull(key, step, what)`: an on-demand pull with one de-duplication and one error rule;
  the asking node receives `PullFinished`.
- `changed`: a Textual `Signal` fired (at most every `CHANGE_INTERVAL`) when the cache
  changed: an edit landed, a sync stored a page, a pull ended.
- `status`: the status line; `sync`: the background sync.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database
from textual.app import App
from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.signal import Signal
from textual.worker import Worker, get_current_worker

from outreach_tui.store.connection import ReadInterrupted, open_reader, read_snapshot
from outreach_tui.store.edits import EditError
from outreach_tui.store.records import AttachmentRow
from outreach_tui.sync.progress import SyncReport, SyncRun
from outreach_tui.ui.backend.messages import EditLanded, Notice, PullFinished
from outreach_tui.ui.backend.status import StatusLine
from outreach_tui.ui.backend.sync_control import SyncControl
from outreach_tui.ui.backend.writer_thread import WriterThread

T = TypeVar("T")
CHANGE_INTERVAL = 0.5  # seconds: a sync streams many pages, the views repaint at this pace


def describe_error(error: BaseException) -> str:
    """One line for an error from a worker or the writer thread (the one rule)."""
    message = getattr(error, "message", None)
    if isinstance(message, str) and message:
        return message
    return str(error) or type(error).__name__


class Backend:
    """The cache and the server as the screens see them (UI thread unless said)."""

    def __init__(self, app: App[Any], db_path: Path, writer: WriterThread, profile: str) -> None:
        self.app = app
        self.db_path = db_path
        self.writer = writer
        # What time it is, for everything that depends on it (snoozes); tests set a
        # fake clock here. Aware, UTC.
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.status = StatusLine(app, profile)
        self.changed: Signal[None] = Signal(app, "cache-changed")
        self.sync = SyncControl(self)
        # A reader for small reads on the UI thread (compose's inbox list); views read on
        # workers with their own snapshots.
        self.reader: Database = open_reader(db_path)
        self.closing = False
        self._pulls: set[str] = set()
        self._dirty = False

    @property
    def can_sync(self) -> bool:
        """False when there is no server to talk to (no key yet)."""
        return self.writer.can_sync

    def close(self) -> None:
        """Stop the writer thread and close the reader (the app is unmounting)."""
        self.closing = True
        self.writer.stop()
        self.reader.close()

    # --- reading ------------------------------------------------------------------------

    def read(
        self,
        node: DOMNode,
        read: Callable[[Database], T],
        apply: Callable[[T], object],
        *,
        group: str,
        what: str = "the cache",
    ) -> Worker[None]:
        """Run `read(db)` on a worker of `node` (a newer read of `group` replaces it and
        interrupts its SQL) and `apply(result)` on the UI thread if it is still the
        newest; a failure is one status line ("Could not read {what}: …")."""

        def work() -> None:
            worker = get_current_worker()
            try:
                # A newer read of the group cancels this one: SQLite stops at once.
                with read_snapshot(self.db_path, cancelled=lambda: worker.is_cancelled) as db:
                    result = read(db)
            except ReadInterrupted:
                return
            except Exception as error:  # one line, never a traceback on the screen
                if not worker.is_cancelled:
                    text = f"Could not read {what}: {describe_error(error)}"
                    self.app.post_message(Notice(text, "error"))
                return
            self.app.call_from_thread(_apply_if_current, worker, apply, result)

        return node.run_worker(work, thread=True, exclusive=True, group=group, exit_on_error=False)

    # --- writing ------------------------------------------------------------------------

    def edit(
        self,
        edit: Callable[[Database], T],
        *,
        done: str = "",
        on_result: Callable[[T], None] | None = None,
    ) -> None:
        """Run `edit(db)` on the writer thread; `done` is a toast when it landed,
        `on_result(result)` runs on the UI thread, and the views reload."""
        future = self.writer.call(edit)

        def landed(f: concurrent.futures.Future[Any]) -> None:
            error = f.exception()
            if error is None:
                self.app.post_message(EditLanded(f.result(), done, on_result))
            elif isinstance(error, EditError | ValueError):
                self.app.post_message(Notice(str(error), "error"))
            else:
                self.app.post_message(Notice(f"{type(error).__name__}: {error}", "error"))

        future.add_done_callback(landed)

    def edit_landed(self, message: EditLanded) -> None:
        """An edit was applied (the app forwards `EditLanded` here)."""
        if message.on_result is not None:
            message.on_result(message.result)
        if message.done:
            self.app.notify(message.done, timeout=3)
        self.publish_change()

    def save_attachment(
        self, conversation_id: str, attachment: AttachmentRow, folder: Path
    ) -> None:
        """Download an attachment into `folder` under a sanitized, free name."""
        if not self.can_sync:
            self.app.notify("Saving attachments needs the server.", severity="warning")
            return
        future = self.writer.download_attachment(
            conversation_id, attachment.id, attachment.filename, folder
        )

        def saved(f: concurrent.futures.Future[Path]) -> None:
            error = f.exception()
            if error is None:
                self.app.post_message(Notice(f"Saved {f.result()}"))
            else:
                text = f"Could not save the attachment: {describe_error(error)}"
                self.app.post_message(Notice(text, "error"))

        future.add_done_callback(saved)

    # --- pulling ------------------------------------------------------------------------

    def pull(
        self,
        key: str,
        step: Callable[[SyncRun], Awaitable[None]],
        what: str,
        *,
        reply_to: MessagePump | None = None,
        quiet: bool = False,
    ) -> bool:
        """Start `step` on the writer thread unless a pull named `key` is running.

        False when it could not start: no server (said on the status line unless
        `quiet`), or the same pull already running. When it ends, `reply_to` receives a
        `PullFinished`, and a failure is one status line.
        """
        if not self.can_sync:
            if not quiet:
                self.status.say(f"Cannot pull {what}: no server configured (working on the cache).")
            return False
        if key in self._pulls:
            if not quiet:
                self.status.say(f"Already pulling {what}…")
            return False
        self._pulls.add(key)
        if not quiet:
            self.status.say(f"Pulling {what}…")
        future = self.writer.run_pull(step)

        def finished(f: concurrent.futures.Future[SyncReport]) -> None:
            error = f.exception()
            if error is None:
                report = f.result()
                problem = report.errors[0] if report.errors else None
                self.app.post_message(PullFinished(key, report, problem, reply_to))
            else:
                text = f"Could not pull {what}: {describe_error(error)}"
                self.app.post_message(PullFinished(key, None, text, reply_to))

        future.add_done_callback(finished)
        return True

    def pulling(self, key: str) -> bool:
        """True while the pull named `key` runs."""
        return key in self._pulls

    def pull_finished(self, message: PullFinished) -> None:
        """A pull ended (the app forwards the message here): free its key, say how it
        went, hand the asking node its own copy, reload the views."""
        self._pulls.discard(message.key)
        if message.error:
            self.status.say(message.error)
        elif message.report is not None and message.report.skipped:
            self.status.say("Some of the server's records were not readable and were skipped.")
        if message.for_node is not None:
            message.for_node.post_message(PullFinished(message.key, message.report, message.error))
        self.publish_change()

    # --- change signal ------------------------------------------------------------------

    def note_change(self) -> None:
        """The cache changed under a sync: the views reload at the next tick."""
        self._dirty = True

    def flush_changes(self) -> None:
        """Publish a noted change (called every `CHANGE_INTERVAL` by the app)."""
        if self._dirty:
            self.publish_change()

    def publish_change(self) -> None:
        """Tell every view over the cache to reload now."""
        self._dirty = False
        if not self.closing:
            self.changed.publish(None)


def _apply_if_current(worker: Worker[Any], apply: Callable[[T], object], result: T) -> None:
    # On the UI thread, where Textual cancels workers: no newer read can start between
    # this check and the apply.
    if not worker.is_cancelled:
        apply(result)
