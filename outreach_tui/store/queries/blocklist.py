"""Read queries of the blocklist screen (queued removals hidden)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class BlocklistRow:
    """A blocked address."""

    id: str
    email: str
    created_at: str | None
    local_state: str | None
    is_local: bool


def list_blocklist(db: Database) -> list[BlocklistRow]:
    """Blocked addresses, by email (queued removals hidden)."""
    return [
        BlocklistRow(r[0], r[1], r[2], r[3], bool(r[4]))
        for r in db.conn.execute(
            "SELECT id, email, created_at, local_state, is_local FROM blocklist"
            " WHERE is_deleted = 0 ORDER BY email COLLATE NOCASE, id"
        )
    ]
