"""Per-resource freshness: when each collection (or scope of it) was last pulled.

`resource` is a collection name ("conversations", "campaigns", "inboxes", "leads",
"blocklist", "sequences", "analytics", "warmup", …); `scope` narrows it ('' for the whole
collection, a folder, or an id such as the campaign whose leads were pulled).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from outreach_tui.store.codec import now_iso
from outreach_tui.store.connection import write_transaction


@dataclass(frozen=True)
class SyncState:
    """Freshness of one (resource, scope)."""

    resource: str
    scope: str
    last_pulled_at: str | None
    last_full_at: str | None
    last_error: str | None

    def is_stale(self, max_age: timedelta, *, now: datetime | None = None) -> bool:
        """True when never pulled or pulled longer than `max_age` ago."""
        if self.last_pulled_at is None:
            return True
        pulled = datetime.fromisoformat(self.last_pulled_at)
        return (now or datetime.now(UTC)) - pulled > max_age


def mark_pulled(
    db: Database, resource: str, scope: str = "", *, full: bool = False, at: str | None = None
) -> None:
    """Record a successful pull (`full=True`: a complete walk that reconciled deletions)."""
    moment = at or now_iso()
    with write_transaction(db):
        db.conn.execute(
            "INSERT INTO sync_state (resource, scope, last_pulled_at, last_full_at, last_error)"
            " VALUES (?, ?, ?, ?, NULL) ON CONFLICT (resource, scope) DO UPDATE SET"
            " last_pulled_at = excluded.last_pulled_at,"
            " last_full_at = COALESCE(excluded.last_full_at, sync_state.last_full_at),"
            " last_error = NULL",
            [resource, scope, moment, moment if full else None],
        )


def mark_pull_failed(db: Database, resource: str, message: str, scope: str = "") -> None:
    """Record why the last pull of (resource, scope) failed (one line)."""
    with write_transaction(db):
        db.conn.execute(
            "INSERT INTO sync_state (resource, scope, last_error) VALUES (?, ?, ?)"
            " ON CONFLICT (resource, scope) DO UPDATE SET last_error = excluded.last_error",
            [resource, scope, " ".join(message.split())[:500]],
        )


def get_sync_state(db: Database, resource: str, scope: str = "") -> SyncState:
    """The freshness of (resource, scope); never-pulled when there is no record."""
    row = db.conn.execute(
        "SELECT last_pulled_at, last_full_at, last_error FROM sync_state"
        " WHERE resource = ? AND scope = ?",
        [resource, scope],
    ).fetchone()
    return SyncState(resource, scope, *(row or (None, None, None)))


def all_sync_states(db: Database) -> list[SyncState]:
    """Every recorded (resource, scope), sorted."""
    return [
        SyncState(*r)
        for r in db.conn.execute(
            "SELECT resource, scope, last_pulled_at, last_full_at, last_error FROM sync_state"
            " ORDER BY resource, scope"
        )
    ]


def last_sync(db: Database) -> str | None:
    """The latest successful pull of anything (ISO-8601), None before the first."""
    return db.conn.execute("SELECT MAX(last_pulled_at) FROM sync_state").fetchone()[0]
