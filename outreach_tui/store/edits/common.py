"""What every edit shares: the error type, row lookups and the checked field edit."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from outreach_tui.store.connection import write_transaction
from outreach_tui.store.fields import RESOURCE_TABLES, field_spec
from outreach_tui.store.outbox import OutboxItem, enqueue_field, server_value


class EditError(ValueError):
    """An edit refused locally (unknown row, invalid value); the message is one line."""


def require_row(db: Database, resource: str, row_id: str, columns: str = "*") -> dict[str, Any]:
    """The row `row_id` of `resource` as a dict; `EditError` when absent or being deleted."""
    table = RESOURCE_TABLES[resource]
    cursor = db.conn.execute(f"SELECT {columns} FROM {table} WHERE id = ?", [row_id])
    values = cursor.fetchone()
    if values is None:
        raise EditError(f"no {resource} {row_id} in the cache")
    row = dict(zip([d[0] for d in cursor.description], values, strict=True))
    if row.get("is_deleted"):
        raise EditError(f"{resource} {row_id} is being deleted")
    return row


def check_type(resource: str, field: str, value: Any) -> None:
    """`EditError` unless `value` has the Python type the field takes."""
    spec = field_spec(resource, field)
    if value is None and spec.nullable:
        return
    if spec.kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, spec.kind)
    if not ok:
        raise EditError(f"{field} must be {spec.kind.__name__}, got {value!r}")


def edit_field(
    db: Database,
    resource: str,
    row_id: str,
    field: str,
    value: Any,
    *,
    context: dict[str, Any] | None = None,
) -> OutboxItem | None:
    """Apply and queue one field edit (type checked; base = the cached server value)."""
    check_type(resource, field, value)
    with write_transaction(db):
        require_row(db, resource, row_id, "id")
        base = server_value(db, resource, row_id, field)
        return enqueue_field(db, resource, row_id, field, value, base, context=context)


def int_in_range(name: str, value: Any, low: int, high: int | None = None) -> int:
    """`value` when it is an int within [low, high]; `EditError` otherwise."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise EditError(f"{name} must be a whole number, got {value!r}")
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise EditError(f"{name} must be {bounds}, got {value}")
    return value
