"""A stand-in for `outreach_tui.ui.backend.Backend` in widget tests: no OutreachApp, no
writer thread, no server.

Reads go to the cache for real (a worker with its own snapshot, as the real backend
does); edits run at once on a writer connection of the test's own and are recorded;
pulls are only recorded. `changed` and `status` are the real signal and status line, so
a widget under test follows them exactly as it would in the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from textual.app import App
from textual.dom import DOMNode
from textual.signal import Signal
from textual.worker import Worker

from outreach_tui.store.connection import open_reader, open_writer, read_snapshot
from outreach_tui.ui.backend.status import StatusLine


@dataclass
class Recorded:
    """What the widget asked of the backend."""

    edits: list[str] = field(default_factory=list)  # the `done` text of each edit
    pulls: list[str] = field(default_factory=list)  # the key of each pull
    reads: int = 0


class FakeBackend:
    """Duck-typed `Backend` for widgets hosted by a small test `App`."""

    def __init__(self, app: App[Any], db_path: Path, *, can_sync: bool = False) -> None:
        self.app = app
        self.db_path = db_path
        self.can_sync = can_sync
        self.status = StatusLine(app, "test")
        self.changed: Signal[None] = Signal(app, "cache-changed")
        self.reader: Database = open_reader(db_path)
        self.recorded = Recorded()

    def read(
        self,
        node: DOMNode,
        read: Callable[[Database], Any],
        apply: Callable[[Any], object],
        *,
        group: str,
        what: str = "",
    ) -> Worker[None]:
        """Read on a worker, apply on the UI thread (no superseded-read logic needed)."""
        self.recorded.reads += 1

        def work() -> None:
            with read_snapshot(self.db_path) as db:
                result = read(db)
            self.app.call_from_thread(apply, result)

        return node.run_worker(work, thread=True, exclusive=True, group=group)

    def edit(
        self,
        edit: Callable[[Database], Any],
        *,
        done: str = "",
        on_result: Callable[[Any], None] | None = None,
    ) -> None:
        """Apply the edit now, record it, and tell the views the cache changed."""
        db = open_writer(self.db_path)
        try:
            result = edit(db)
        finally:
            db.close()
        self.recorded.edits.append(done)
        if on_result is not None:
            on_result(result)
        self.changed.publish(None)

    def pull(self, key: str, step: object, what: str, **_: object) -> bool:
        """Record the pull; nothing is fetched."""
        self.recorded.pulls.append(key)
        return self.can_sync

    def pulling(self, key: str) -> bool:
        """No pull ever runs here."""
        return False
