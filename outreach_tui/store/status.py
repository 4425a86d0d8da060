"""The figures of `outreach-tui status [--json]`: cache counts, outbox, freshness."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from outreach_tui.store.outbox import state_counts
from outreach_tui.store.sync_state import all_sync_states, last_sync

# count name -> SQL; rows being deleted or not yet created still count: they are cached.
_COUNTS = {
    "conversations": "SELECT COUNT(*) FROM conversations",
    "unread": "SELECT COUNT(*) FROM conversations WHERE is_read = 0",
    "messages": "SELECT COUNT(*) FROM messages",
    "campaigns": "SELECT COUNT(*) FROM campaigns",
    "sequences": "SELECT COUNT(*) FROM sequences",
    "variants": "SELECT COUNT(*) FROM variants",
    "inboxes": "SELECT COUNT(*) FROM inboxes",
    "leads": "SELECT COUNT(*) FROM leads",
    "blocklist": "SELECT COUNT(*) FROM blocklist",
    "snippets": "SELECT COUNT(*) FROM snippets",
    "snoozed": "SELECT COUNT(*) FROM snoozes",
}


def store_status(db: Database) -> dict[str, Any]:
    """`{"counts": {...}, "outbox": {"pending", "in_flight", "failed", "conflict", "done"},
    "last_sync": ISO or None, "last_sync_by_resource": {"resource[:scope]": ISO or None}}`."""
    counts = {name: db.conn.execute(sql).fetchone()[0] for name, sql in _COUNTS.items()}
    by_resource = {
        (s.resource if not s.scope else f"{s.resource}:{s.scope}"): s.last_pulled_at
        for s in all_sync_states(db)
    }
    return {
        "counts": counts,
        "outbox": state_counts(db),
        "last_sync": last_sync(db),
        "last_sync_by_resource": by_resource,
    }
