"""Outbox rows as `OutboxItem`s: reading, appending, coalescing field edits.

The record layer of the outbox: `transitions` adds the state machine on top. Callers
import the package, `outreach_tui.store.outbox`, which re-exports both.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.codec import dumps, from_column, loads, now_iso, to_column
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.effective import refresh_rows
from outreach_tui.store.fields import FIELDS, Policy, field_spec

PENDING = "pending"
IN_FLIGHT = "in_flight"
DONE = "done"
FAILED = "failed"
CONFLICT = "conflict"
STATES: tuple[str, ...] = (PENDING, IN_FLIGHT, DONE, FAILED, CONFLICT)

LOCAL_ID_PREFIX = "local-"


class OutboxError(ValueError):
    """A transition that the item's current state does not allow (or no such item)."""


@dataclass(frozen=True)
class OutboxItem:
    """One queued change; `value`, `base`, `theirs` and `context` are decoded JSON."""

    id: int
    resource: str
    resource_id: str
    op: str
    field: str | None
    value: Any
    base: Any
    context: dict[str, Any]
    state: str
    attempts: int
    last_error: str | None
    idempotency_key: str
    theirs: Any
    created_at: str
    updated_at: str

    @property
    def policy(self) -> Policy | None:
        """The conflict policy of a field update (None for other ops)."""
        if self.op != "update" or self.field is None:
            return None
        spec = FIELDS.get((self.resource, self.field))
        return spec.policy if spec else None

    @property
    def origin(self) -> Any:
        """The value that means "no change" (an edit back to it withdraws the item)."""
        return self.context.get("origin", self.base)


_COLUMNS = (
    "id, resource, resource_id, op, field, value, base, context, state, attempts,"
    " last_error, idempotency_key, theirs, created_at, updated_at"
)


def _item(row: tuple[Any, ...]) -> OutboxItem:
    return OutboxItem(
        id=row[0],
        resource=row[1],
        resource_id=row[2],
        op=row[3],
        field=row[4],
        value=loads(row[5]),
        base=loads(row[6]),
        context=loads(row[7], {}),
        state=row[8],
        attempts=row[9],
        last_error=row[10],
        idempotency_key=row[11],
        theirs=loads(row[12]),
        created_at=row[13],
        updated_at=row[14],
    )


def get_item(db: Database, item_id: int) -> OutboxItem:
    """The item `item_id`; `OutboxError` when there is none."""
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", [item_id]).fetchone()
    if row is None:
        raise OutboxError(f"no outbox item {item_id}")
    return _item(row)


def list_items(
    db: Database,
    states: Iterable[str] | None = None,
    *,
    resource: str | None = None,
    resource_id: str | None = None,
) -> list[OutboxItem]:
    """Items in push order, optionally restricted to some states and one row."""
    where, params = [], []
    if states is not None:
        wanted = list(states)
        where.append(f"state IN ({','.join('?' * len(wanted))})")
        params.extend(wanted)
    if resource is not None:
        where.append("resource = ?")
        params.append(resource)
    if resource_id is not None:
        where.append("resource_id = ?")
        params.append(resource_id)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    cursor = db.conn.execute(f"SELECT {_COLUMNS} FROM outbox{clause} ORDER BY id", params)
    return [_item(r) for r in cursor]


def new_local_id() -> str:
    """A placeholder id for a row created here and not yet on the server."""
    return f"{LOCAL_ID_PREFIX}{uuid.uuid4().hex}"


def enqueue(
    db: Database,
    resource: str,
    resource_id: str,
    op: str,
    value: Any = None,
    *,
    field: str | None = None,
    base: Any = None,
    context: dict[str, Any] | None = None,
) -> OutboxItem:
    """Append an item (no coalescing). Call inside the transaction of the local change."""
    now = now_iso()
    with write_transaction(db):
        cursor = db.conn.execute(
            "INSERT INTO outbox (resource, resource_id, op, field, value, base, context,"
            " state, idempotency_key, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
            [
                resource,
                resource_id,
                op,
                field,
                dumps(value),
                dumps(base),
                dumps(context or {}),
                str(uuid.uuid4()),
                now,
                now,
            ],
        )
        return get_item(db, int(cursor.lastrowid or 0))


def enqueue_field(
    db: Database,
    resource: str,
    resource_id: str,
    field: str,
    value: Any,
    base: Any,
    *,
    context: dict[str, Any] | None = None,
) -> OutboxItem | None:
    """Queue a field edit and apply it to the effective columns, coalescing.

    - a pending (or failed) item for the same field takes the new value and keeps its
      original base (a failed one goes back to pending); one in conflict keeps waiting;
    - an edit back to the item's origin (its base, or `context["origin"]`) withdraws it;
    - while an item for the field is in flight, a new item is added whose base is the
      in-flight value;
    - an edit that changes nothing queues nothing.
    Returns the item now carrying the edit, or None when nothing is queued.
    """
    field_spec(resource, field)  # ValueError for a field that cannot be edited
    with write_transaction(db):
        # The row's own items only (the `outbox_target` index): listing every open item of
        # the resource made a batch of N edits cost N² (50,000 labels: minutes).
        open_states = (PENDING, IN_FLIGHT, FAILED, CONFLICT)
        items = [
            i
            for i in list_items(db, open_states, resource=resource, resource_id=resource_id)
            if i.field == field and i.op == "update"
        ]
        open_item = next((i for i in reversed(items) if i.state != IN_FLIGHT), None)
        in_flight = next((i for i in reversed(items) if i.state == IN_FLIGHT), None)
        result: OutboxItem | None
        if open_item is not None and (in_flight is None or open_item.id > in_flight.id):
            if open_item.state != CONFLICT and value == open_item.origin:
                db.conn.execute("DELETE FROM outbox WHERE id = ?", [open_item.id])
                result = None
            else:
                state = CONFLICT if open_item.state == CONFLICT else PENDING
                db.conn.execute(
                    "UPDATE outbox SET value = ?, state = ?, last_error = NULL,"
                    " updated_at = ? WHERE id = ?",
                    [dumps(value), state, now_iso(), open_item.id],
                )
                result = get_item(db, open_item.id)
        elif in_flight is not None:
            if value == in_flight.value:
                result = None
            else:
                # Once the in-flight value lands it is what the server holds.
                landed = in_flight.value
                if landed is None and field == "label_override":
                    landed = server_value(db, resource, resource_id, field)
                result = enqueue(
                    db,
                    resource,
                    resource_id,
                    "update",
                    value,
                    field=field,
                    base=landed,
                    context={**(context or {}), "origin": in_flight.value},
                )
        elif value == (context or {}).get("origin", base):
            result = None
        else:
            result = enqueue(
                db, resource, resource_id, "update", value, field=field, base=base, context=context
            )
        refresh_rows(db, resource, [resource_id])
        return result


def server_value(db: Database, resource: str, resource_id: str, field: str) -> Any:
    """The server's value of a field as cached (for the label: the effective label)."""
    spec = field_spec(resource, field)
    column = "server_label" if spec.server_column == "server_override" else spec.server_column
    row = db.conn.execute(
        f"SELECT {column} FROM {spec.table} WHERE id = ?", [resource_id]
    ).fetchone()
    if row is None:
        return None
    return from_column(spec, row[0])


def set_server_value(db: Database, resource: str, resource_id: str, field: str, value: Any) -> None:
    """Write a field's server column (for the label: the effective server label)."""
    spec = field_spec(resource, field)
    column = "server_label" if spec.server_column == "server_override" else spec.server_column
    db.conn.execute(
        f"UPDATE {spec.table} SET {column} = ? WHERE id = ?",
        [to_column(spec, value), resource_id],
    )
