"""The conflict log: every time a server value was overwritten or a conflict resolved.

Triage edits (label, read state) win over a concurrent server change; the value they
overwrote is logged here so the user can see it. Long-text conflicts resolved with keep
mine / take theirs are logged too, with both versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.codec import dumps, loads, now_iso
from outreach_tui.store.outbox.items import OutboxItem


@dataclass(frozen=True)
class ConflictEntry:
    """One conflict-log line; `base`, `theirs`, `mine` are decoded JSON values."""

    id: int
    at: str
    resource: str
    resource_id: str
    field: str | None
    base: Any
    theirs: Any
    mine: Any
    resolution: str  # overwritten | kept_mine | took_theirs
    outbox_id: int | None


def record(db: Database, item: OutboxItem, theirs: Any, resolution: str) -> None:
    """Append a log line for `item` (inside the caller's transaction)."""
    db.conn.execute(
        "INSERT INTO conflict_log (at, resource, resource_id, field, base, theirs, mine,"
        " resolution, outbox_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            now_iso(),
            item.resource,
            item.resource_id,
            item.field,
            dumps(item.base),
            dumps(theirs),
            dumps(item.value),
            resolution,
            item.id,
        ],
    )


def conflict_log(
    db: Database, *, limit: int = 100, resource_id: str | None = None
) -> list[ConflictEntry]:
    """The latest log lines, newest first (optionally for one row)."""
    where, params = "", []
    if resource_id is not None:
        where, params = " WHERE resource_id = ?", [resource_id]
    cursor = db.conn.execute(
        "SELECT id, at, resource, resource_id, field, base, theirs, mine, resolution,"
        f" outbox_id FROM conflict_log{where} ORDER BY id DESC LIMIT ?",
        [*params, limit],
    )
    return [
        ConflictEntry(
            id=r[0],
            at=r[1],
            resource=r[2],
            resource_id=r[3],
            field=r[4],
            base=loads(r[5]),
            theirs=loads(r[6]),
            mine=loads(r[7]),
            resolution=r[8],
            outbox_id=r[9],
        )
        for r in cursor
    ]
