"""What one sync run shares between its steps: progress events, cancellation, the report.

Both front ends consume the same events: the TUI shows them in the status bar, the CLI
prints them to stderr.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from outreach_tui.api import ReachkitClient
from outreach_tui.store.checkpoints import BackgroundCheckpoints


@dataclass(frozen=True)
class SyncProgress:
    """One step forward: `done` of `total` (None when unknown) items of `resource`.

    A listing also says `page` of `pages`; `requests_per_second` is the run's request
    rate so far and `eta_seconds` the time the listing's remaining pages should take at
    its pace so far (None when unknown).
    """

    resource: str
    done: int
    total: int | None = None
    message: str = ""
    page: int | None = None
    pages: int | None = None
    requests_per_second: float | None = None
    eta_seconds: float | None = None

    def describe(self, *, short: bool = False) -> str:
        """One line: "conversations:primary 3400/7700, page 34/77, 4.9 req/s, ETA 12 s";
        `short` (for a status bar): "conversations:primary page 34/77, 4.9/s, ETA 12 s"."""
        total = f"/{self.total}" if self.total is not None else ""
        paged = self.page is not None and self.pages is not None and self.pages > 1
        if short and paged:
            parts = [f"{self.resource} page {self.page}/{self.pages}"]
        else:
            parts = [f"{self.resource} {self.done}{total}"]
            if paged:
                parts.append(f"page {self.page}/{self.pages}")
        if self.requests_per_second is not None:
            unit = "/s" if short else " req/s"
            parts.append(f"{self.requests_per_second:.1f}{unit}")
        if self.eta_seconds is not None and self.eta_seconds >= 1:
            parts.append(f"ETA {_duration(self.eta_seconds)}")
        return ", ".join(parts)


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s"


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
    # The run's requests, the 429s among their answers, its duration, and the pace the
    # server announced or the client learned (None: the server never limited it).
    requests: int = 0
    rate_limited: int = 0
    seconds: float = 0.0
    requests_per_second: float | None = None
    rate_announced: bool = False

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
            "requests": self.requests,
            "rate_limited": self.rate_limited,
            "seconds": round(self.seconds, 3),
            "requests_per_second": self.requests_per_second,
            "rate_announced": self.rate_announced,
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
    # Set (on the run's loop) when the user changed something during the run: the engine
    # pushes it while the pull goes on, instead of after it (the TUI's background sync).
    push_soon: asyncio.Event | None = None
    started: float = field(default_factory=lambda: time.monotonic())
    # The client's request count when the run started, and when each listing started.
    requests_before: int = 0
    _listing_started: dict[str, float] = field(default_factory=dict)

    def requests_made(self) -> int:
        """Requests sent by this run so far."""
        return self.client.pacer.counts().requests - self.requests_before

    def progress(
        self,
        resource: str,
        done: int,
        total: int | None = None,
        message: str = "",
        *,
        pages: tuple[int, int | None] | None = None,
    ) -> None:
        """Report progress (no-op without a listener); `pages`: (read, total) of a listing."""
        if self.on_progress is None:
            return
        now = time.monotonic()
        elapsed = now - self.started
        rate = self.requests_made() / elapsed if elapsed > 0.5 else None
        page = count = eta = None
        if pages is not None:
            page, count = pages
            began = self._listing_started.setdefault(resource, now)
            if page == 1:
                self._listing_started[resource] = began = now
            if count is not None and page > 1 and count > page:
                eta = (now - began) / (page - 1) * (count - page)
        self.on_progress(SyncProgress(resource, done, total, message, page, count, rate, eta))

    def check_cancelled(self) -> None:
        """Raise SyncCancelled when the run was asked to stop."""
        if self.cancel is not None and self.cancel.is_set():
            raise SyncCancelled
