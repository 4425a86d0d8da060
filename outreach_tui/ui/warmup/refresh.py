"""Refreshing one inbox's warmup stats on demand: one request, never two at once.

The sync engine already pulls warmup stats when they are stale (`pull_inboxes`); the
screens only ask for one inbox at a time, when its detail opens on stale numbers or when
the user presses `r`. The backend runs one pull per inbox at a time, so holding a key
down never queues a storm; the screens repaint from the store when it lands.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from outreach_tui.core.timefmt import parse_timestamp
from outreach_tui.store.queries.warmup import WarmupStats
from outreach_tui.sync import pull
from outreach_tui.sync.engine import SyncOptions
from outreach_tui.ui.backend import Backend

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


def refresh_warmup_stats(backend: Backend, inbox_id: str, *, quiet: bool = False) -> bool:
    """Pull `inbox_id`'s warmup stats; False when there is no server or it is already
    being pulled (`quiet` keeps the status line for those cases unchanged)."""
    return backend.pull(
        f"warmup:{inbox_id}",
        lambda run: pull.pull_warmup_stats(run, [inbox_id]),
        "warmup stats",
        quiet=quiet,
    )
