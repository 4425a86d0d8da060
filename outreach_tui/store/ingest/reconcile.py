"""Deletions found by a full reconcile: rows the server no longer lists are removed."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from outreach_tui.store import search
from outreach_tui.store.connection import write_transaction

# resource -> (table, the column `scope` restricts, or None when unscoped)
_SCOPES: dict[str, tuple[str, str | None]] = {
    "conversation": ("conversations", "folder"),
    "campaign": ("campaigns", None),
    "inbox": ("inboxes", None),
    "lead": ("leads", "campaign_id"),
    "blocklist": ("blocklist", None),
}


def remove_missing(
    db: Database, resource: str, seen_ids: Iterable[str], scope: str | None = None
) -> list[str]:
    """Delete the cached rows of `resource` (within `scope`) whose id is not in `seen_ids`.

    `scope` is the folder for conversations and the campaign id for leads (None = all).
    Call it only after a complete walk of the collection. Local placeholders and rows with
    pending, failed or conflicting edits are kept: the user's work is never dropped by a
    pull (a push to a deleted row fails visibly instead). Returns the removed ids.
    """
    if resource not in _SCOPES:
        raise ValueError(f"cannot reconcile {resource!r}")
    table, scope_column = _SCOPES[resource]
    with write_transaction(db):
        conn = db.conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS reconcile_seen (id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.reconcile_seen")
        conn.executemany(
            "INSERT OR IGNORE INTO temp.reconcile_seen (id) VALUES (?)", ((i,) for i in seen_ids)
        )
        where = "local_state IS NULL AND id NOT IN (SELECT id FROM temp.reconcile_seen)"
        if resource != "inbox":
            where += " AND is_local = 0"
        params: list[str] = []
        if scope is not None and scope_column is not None:
            where += f" AND {scope_column} = ?"
            params.append(scope)
        key = "id, seq" if resource == "conversation" else "id, NULL"
        doomed = conn.execute(f"SELECT {key} FROM {table} WHERE {where}", params).fetchall()
        ids = [r[0] for r in doomed]
        if resource == "conversation":
            search.unindex(db, [r[1] for r in doomed])
        conn.execute(f"DELETE FROM {table} WHERE {where}", params)
        if resource == "campaign":
            _delete_where(db, "variant_stats", "campaign_id", ids)
            _delete_where(db, "campaign_inboxes", "campaign_id", ids)
        elif resource == "inbox":
            for child in ("warmup_stats", "warmup_daily", "campaign_inboxes"):
                _delete_where(db, child, "inbox_id", ids)
        conn.execute("DELETE FROM temp.reconcile_seen")
    return ids


def _delete_where(db: Database, table: str, column: str, ids: list[str]) -> None:
    db.conn.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(i,) for i in ids])
