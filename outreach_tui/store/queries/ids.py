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
    """Campaigns whose name is `name`, ignoring case (any script, not only ASCII) and
    surrounding spaces; at most `SHOWN_CANDIDATES` + 1.

    A workspace has hundreds of campaigns, not millions: comparing the folded names in
    Python is cheap, and SQLite's NOCASE folds ASCII letters only ("ÉTÉ" ≠ "été")."""
    wanted = name.strip().casefold()
    rows = db.conn.execute("SELECT id, name FROM campaigns WHERE is_deleted = 0 ORDER BY id")
    found = [cid for cid, cname in rows if (cname or "").strip().casefold() == wanted]
    return found[: SHOWN_CANDIDATES + 1]
