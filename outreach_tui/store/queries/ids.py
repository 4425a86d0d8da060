"""Rows named the way a person types them: a full id, a unique start of one (`6214d465`
for `6214d465-…`), or for campaigns their name.

Each lookup is an indexed range on the primary key (`id >= prefix AND id < prefix +
U+10FFFF`), never a scan of the table.
"""

from __future__ import annotations

from sqlite_utils import Database

_TABLES = {"conversation": "conversations", "campaign": "campaigns"}
_AFTER_EVERY_ID = "\U0010ffff"  # sorts after any character an id can hold
SHOWN_CANDIDATES = 5


def ids_starting_with(db: Database, resource: str, prefix: str) -> list[str]:
    """The ids of `resource` ("conversation" or "campaign") that start with `prefix`, an
    exact match alone when there is one; at most `SHOWN_CANDIDATES` + 1."""
    table = _TABLES[resource]
    # A row whose deletion is queued is hidden everywhere: it matches nothing here either.
    live = " AND is_deleted = 0" if resource == "campaign" else ""
    exact = db.conn.execute(f"SELECT id FROM {table} WHERE id = ?{live}", [prefix]).fetchone()
    if exact is not None or not prefix:
        return [exact[0]] if exact else []
    rows = db.conn.execute(
        f"SELECT id FROM {table} WHERE id >= ? AND id < ?{live} ORDER BY id LIMIT ?",
        [prefix, prefix + _AFTER_EVERY_ID, SHOWN_CANDIDATES + 1],
    )
    return [row[0] for row in rows]


def campaign_ids_named(db: Database, name: str) -> list[str]:
    """Campaigns whose name is `name`, ignoring case and surrounding spaces."""
    rows = db.conn.execute(
        "SELECT id FROM campaigns WHERE is_deleted = 0 AND name = ? COLLATE NOCASE"
        " ORDER BY id LIMIT ?",
        [name.strip(), SHOWN_CANDIDATES + 1],
    )
    return [row[0] for row in rows]
