"""The inbox's sort columns as SQL, and their indexes, built the first time a column is
used.

Sorting by sender, label or subject reads in that column's order. Without an index each
window is a sort of every row under the filter (measured at 100,000 conversations:
70–240 ms a window, 0.6–3.5 s for a far offset). An index per column makes a window a
walk of the index (about a millisecond, see BENCHMARKS.md), but costs every ingest a
little. So the index of a column is built when a person first sorts by it (about a
second at 100,000 conversations) and kept: a workspace pays only for the orders used.
"""

from __future__ import annotations

from typing import Final

from sqlite_utils import Database

from outreach_tui.core.labels import LABELS
from outreach_tui.store.records import ConversationRow

# Conversations without a label sort after every label.
NO_LABEL_LAST: Final = "\U0010ffff"
LABEL_NAMES: Final = {info.value: info.display_name for info in LABELS}

# The value each sort column orders by, over `{c}` ("c." in queries, "" in the index).
# NOCASE: "acme" beside "Acme". Labels sort by the name the list shows.
_SORT_SQL: Final = {
    "sender": "COALESCE(NULLIF({c}sender_name, ''), {c}sender_email, '') COLLATE NOCASE",
    "subject": "COALESCE({c}subject, '') COLLATE NOCASE",
    "label": (
        "(CASE {c}label "
        + " ".join(f"WHEN '{value}' THEN '{name}'" for value, name in LABEL_NAMES.items())
        + f" ELSE COALESCE({{c}}label, char({ord(NO_LABEL_LAST)})) END) COLLATE NOCASE"
    ),
}


def sort_key_sql(sort: str, prefix: str = "c.") -> str | None:
    """The SQL of `sort`'s value with column names after `prefix`; None for date (the
    default order needs none). SQLite uses the column's index only when the query's
    expression is the index's: keep both from here."""
    template = _SORT_SQL.get(sort)
    return None if template is None else template.format(c=prefix)


def sort_value(row: ConversationRow, sort: str) -> str | None:
    """`row`'s value of the sort column, as `sort_key_sql` computes it (None for date):
    the keyset cursor of a page carries it."""
    if sort == "sender":
        return row.sender_name or row.sender_email or ""
    if sort == "subject":
        return row.subject or ""
    if sort == "label":
        return NO_LABEL_LAST if row.label is None else LABEL_NAMES.get(row.label, row.label)
    return None


def _index_name(sort: str) -> str:
    return f"conversations_sort_{sort}"


def has_sort_index(db: Database, sort: str) -> bool:
    """True when `sort` needs no index (date) or its index exists."""
    if sort not in _SORT_SQL:
        return True
    found = db.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", [_index_name(sort)]
    ).fetchone()
    return found is not None


def ensure_sort_index(db: Database, sort: str) -> bool:
    """Build the index of sort column `sort` unless it exists; True when built now.
    Run on the writer connection."""
    if has_sort_index(db, sort):
        return False
    expression = sort_key_sql(sort, prefix="")
    with db.conn:
        db.conn.execute(
            f"CREATE INDEX IF NOT EXISTS {_index_name(sort)}"
            f" ON conversations ({expression}, last_activity DESC, id DESC)"
        )
    return True
