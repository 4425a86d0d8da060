"""Refreshing one inbox's warmup stats on demand: one request, never two at once.

The sync engine already pulls warmup stats when they are stale (`pull_inboxes`); the
screens only ask for one inbox at a time, when its detail opens on stale numbers or when
the user presses `r`. Requests are paced by the client's rate budget on the writer
thread, and a second ask for an inbox whose request is still in flight is dropped, so
holding a key down never queues a storm.
"""

from __future__ import annotations

import concurrent.futures
import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from outreach_tui.core.timefmt import parse_timestamp
from outreach_tui.store.queries.warmup import WarmupStats
from outreach_tui.sync import pull
from outreach_tui.sync.engine import SyncOptions
from outreach_tui.sync.progress import SyncReport
from outreach_tui.ui.backend.messages import Notice

if TYPE_CHECKING:
    from outreach_tui.ui.app import OutreachApp

STALE_AFTER: timedelta = SyncOptions().warmup_max_age


def is_stale(stats: WarmupStats | None, now: datetime | None = None) -> bool:
    """True when the stats were never pulled or are older than the sync engine allows."""
    if stats is None or not stats.pulled_at:
        return True
    try:
        pulled = parse_timestamp(stats.pulled_at)
    except ValueError:
        return True
    return (now or datetime.now(UTC)) - pulled > STALE_AFTER


class WarmupRefresher:
    """Asks the writer thread for one inbox's warmup stats; at most one request per inbox."""

    def __init__(self, app: OutreachApp) -> None:
        self.app = app
        self.in_flight: set[str] = set()
        self._lock = threading.Lock()  # the done callback runs on the writer thread

    def refresh(self, inbox_id: str, *, quiet: bool = False) -> bool:
        """Start a pull of `inbox_id`'s stats; False when offline-only or already running.

        The screens repaint from the store when it lands (the app's store-changed refresh);
        a failure is one line in the status bar (`quiet` also drops "no server" notes).
        """
        if not self.app.writer.can_sync:
            if not quiet:
                self.app.status("Refreshing warmup stats needs the server.")
            return False
        with self._lock:
            if inbox_id in self.in_flight:
                return False
            self.in_flight.add(inbox_id)
        future = self.app.writer.run_pull(lambda run: pull.pull_warmup_stats(run, [inbox_id]))

        def landed(f: concurrent.futures.Future[SyncReport]) -> None:
            with self._lock:
                self.in_flight.discard(inbox_id)
            error = f.exception()
            if error is not None:
                reason = getattr(error, "message", None) or type(error).__name__
                self.app.post_message(Notice(f"Could not refresh warmup stats: {reason}", "error"))
            elif f.result().skipped:
                self.app.post_message(
                    Notice("The server's warmup stats for this inbox were not readable.", "error")
                )

        future.add_done_callback(landed)
        return True
