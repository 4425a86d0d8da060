"""What one sync run shares between its steps: progress events, cancellation, the report.

Both front ends consume the same events: the TUI shows them in the status bar, the CLI
prints them to stderr.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from outreach_tui.api import ReachkitClient
from outreach_tui.store.checkpoints import BackgroundCheckpoints


@dataclass(frozen=True)
class SyncProgress:
    """One step forward: `done` of `total` (None when unknown) items of `resource`."""

    resource: str
    done: int
    total: int | None = None
    message: str = ""


ProgressCallback = Callable[[SyncProgress], None]


class SyncCancelled(Exception):
    """The run was cancelled between two steps; what was stored so far stays stored."""


@dataclass
class SyncReport:
    """What a run did, for the CLI summary (`sync --json`) and the status bar.

    `unreachable` is set when the server could not be reached (or kept failing) and
    `errors` holds one line per problem; `skipped` lists records of the server that did
    not validate and were left out (reported, not fatal).
    """

    pulled: dict[str, int] = field(default_factory=dict)
    pushed: int = 0
    failed: int = 0
    conflicts: int = 0
    overwritten: int = 0
    recovered: int = 0
    # Outbox transitions that found the item already settled (an interrupted run's
    # leftovers): counted, not failures.
    already_handled: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unreachable: bool = False
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        """True when nothing failed: the server answered and every push was accepted."""
        return not (self.unreachable or self.failed or self.errors or self.cancelled)

    def count_pulled(self, resource: str, n: int) -> None:
        """Add `n` stored items of `resource`."""
        self.pulled[resource] = self.pulled.get(resource, 0) + n

    def to_json(self) -> dict[str, Any]:
        """The `sync --json` summary."""
        return {
            "ok": self.ok,
            "unreachable": self.unreachable,
            "cancelled": self.cancelled,
            "pulled": dict(self.pulled),
            "pushed": self.pushed,
            "failed": self.failed,
            "conflicts": self.conflicts,
            "overwritten": self.overwritten,
            "recovered": self.recovered,
            "skipped_records": list(self.skipped),
            "errors": list(self.errors),
        }


@dataclass
class SyncRun:
    """The state one sync run threads through pull and push."""

    client: ReachkitClient
    db: Database
    report: SyncReport = field(default_factory=SyncReport)
    on_progress: ProgressCallback | None = None
    cancel: threading.Event | None = None
    # Conversations whose server state was read during this run: the push can use the
    # cached server value for its conflict check instead of fetching it again.
    fresh_conversations: set[str] = field(default_factory=set)
    # Set while pulling: checkpoints the WAL off the writer's path (store.checkpoints).
    checkpoints: BackgroundCheckpoints | None = None

    def progress(
        self, resource: str, done: int, total: int | None = None, message: str = ""
    ) -> None:
        """Report progress (no-op without a listener)."""
        if self.on_progress is not None:
            self.on_progress(SyncProgress(resource, done, total, message))

    def check_cancelled(self) -> None:
        """Raise SyncCancelled when the run was asked to stop."""
        if self.cancel is not None and self.cancel.is_set():
            raise SyncCancelled
