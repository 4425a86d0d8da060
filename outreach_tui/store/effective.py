"""Effective state: server columns with the active outbox items applied, plus a marker.

For every editable field (fields.py) the effective column equals the value of the latest
active outbox item for that field, or the server column when there is none. The row's
`local_state` is the most severe state among its active items: 'conflict' > 'failed' >
'pending' (in flight counts as pending); NULL when it has none.

`refresh_rows` recomputes all of that from scratch for some rows; ingest and every outbox
transition call it inside their transaction, so a reader never sees the two disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.codec import loads, to_column
from outreach_tui.store.fields import RESOURCE_TABLES, field_spec, fields_of
from outreach_tui.store.id_lists import in_chunks

ACTIVE_STATES: tuple[str, ...] = ("pending", "in_flight", "failed", "conflict")
_SEVERITY = {"pending": 1, "in_flight": 1, "failed": 2, "conflict": 3}
_MARKER = {1: "pending", 2: "failed", 3: "conflict"}


def marker_for(states: Iterable[str]) -> str | None:
    """The row marker for the states of its active items (None when there are none)."""
    worst = max((_SEVERITY.get(s, 0) for s in states), default=0)
    return _MARKER.get(worst)


def active_items_by_row(
    db: Database, resource: str, ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """The active outbox rows (as dicts, oldest first) of the given rows of `resource`."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    states = ",".join(f"'{s}'" for s in ACTIVE_STATES)
    for chunk, marks in in_chunks(ids):
        cursor = db.conn.execute(
            f"SELECT id, resource_id, op, field, value, state FROM outbox"
            f" WHERE resource = ? AND resource_id IN ({marks}) AND state IN ({states})"
            f" ORDER BY id",
            [resource, *chunk],
        )
        for item_id, resource_id, op, field, value, state in cursor:
            found[resource_id].append(
                {"id": item_id, "op": op, "field": field, "value": value, "state": state}
            )
    return found


def refresh_rows(db: Database, resource: str, ids: Iterable[str]) -> None:
    """Recompute the effective columns and marker of rows `ids` of `resource`.

    Must run inside the caller's write transaction. Rows that do not exist are skipped.
    """
    id_list = list(dict.fromkeys(ids))
    if not id_list:
        return
    table = RESOURCE_TABLES[resource]
    specs = fields_of(resource)
    items = active_items_by_row(db, resource, id_list)
    reset = ", ".join(f"{s.column} = {s.server_column}" for s in specs)
    if resource == "conversation":
        # With no pending edit the effective label is what the server reports.
        reset += ", label = server_label"
    assignments = f"{reset}, local_state = ?" if reset else "local_state = ?"
    for row_id in id_list:
        row_items = items.get(row_id, [])
        db.conn.execute(
            f"UPDATE {table} SET {assignments} WHERE id = ?",
            [marker_for(i["state"] for i in row_items), row_id],
        )
        latest: dict[str, Any] = {}
        for item in row_items:
            if item["op"] == "update" and item["field"]:
                latest[item["field"]] = loads(item["value"])
        for field, value in latest.items():
            _apply_field(db, resource, row_id, field, value)


def _apply_field(db: Database, resource: str, row_id: str, field: str, value: Any) -> None:
    spec = field_spec(resource, field)
    if resource == "conversation" and field == "label_override":
        # An override shows as the label; clearing it shows the AI label the client knows.
        db.conn.execute(
            "UPDATE conversations SET label_override = ?,"
            " label = COALESCE(?, ai_label) WHERE id = ?",
            [value, value, row_id],
        )
        return
    db.conn.execute(
        f"UPDATE {spec.table} SET {spec.column} = ? WHERE id = ?",
        [to_column(spec, value), row_id],
    )


def marked_ids(db: Database, resource: str, ids: Sequence[str]) -> list[str]:
    """Those of `ids` whose row currently carries a marker (has active outbox items)."""
    table = RESOURCE_TABLES[resource]
    found: list[str] = []
    for chunk, marks in in_chunks(ids):
        found.extend(
            r[0]
            for r in db.conn.execute(
                f"SELECT id FROM {table} WHERE id IN ({marks}) AND local_state IS NOT NULL",
                chunk,
            )
        )
    return found
