"""Sequence steps and their variants: add, delete, delay, subject/body/enabled."""

from __future__ import annotations

import string
from typing import Any

from sqlite_utils import Database

from outreach_tui.core import mergetags
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.edits.common import EditError, edit_field, int_in_range, require_row
from outreach_tui.store.effective import refresh_rows
from outreach_tui.store.outbox import (
    LOCAL_ID_PREFIX,
    OutboxItem,
    enqueue,
    list_items,
    new_local_id,
    withdraw,
)

VARIANT_FIELDS = ("subject", "body_html", "enabled")
DEFAULT_DELAY_DAYS = 3


def _withdraw_pending_create(db: Database, resource: str, row_id: str) -> bool:
    """Deleting a placeholder whose create is still pending just withdraws the create."""
    if not row_id.startswith(LOCAL_ID_PREFIX):
        return False
    for item in list_items(db, ("pending",), resource=resource, resource_id=row_id):
        if item.op == "create":
            withdraw(db, item.id)
            return True
    return False


def _queue_delete(db: Database, resource: str, row_id: str, campaign_id: str) -> list[OutboxItem]:
    if _withdraw_pending_create(db, resource, row_id):
        return []
    table = "sequences" if resource == "sequence" else "variants"
    db.conn.execute(f"UPDATE {table} SET is_deleted = 1 WHERE id = ?", [row_id])
    item = enqueue(db, resource, row_id, "delete", context={"campaign_id": campaign_id})
    refresh_rows(db, resource, [row_id])
    return [item]


def add_sequence(
    db: Database, campaign_id: str, delay_days: int = DEFAULT_DELAY_DAYS
) -> OutboxItem:
    """Add a step at the end of the campaign's sequence (a placeholder until pushed)."""
    int_in_range("delay_days", delay_days, 0)
    with write_transaction(db):
        require_row(db, "campaign", campaign_id, "id")
        step = db.conn.execute(
            "SELECT COALESCE(MAX(step), 0) + 1 FROM sequences"
            " WHERE campaign_id = ? AND is_deleted = 0",
            [campaign_id],
        ).fetchone()[0]
        placeholder = new_local_id()
        # The new step is the last: its delay shows as null, as the server returns it.
        db.conn.execute(
            "INSERT INTO sequences (id, campaign_id, step, is_local) VALUES (?, ?, ?, 1)",
            [placeholder, campaign_id, step],
        )
        item = enqueue(
            db,
            "sequence",
            placeholder,
            "create",
            {"delay_days": delay_days},
            context={"campaign_id": campaign_id},
        )
        refresh_rows(db, "sequence", [placeholder])
        return item


def delete_sequence(db: Database, sequence_id: str) -> list[OutboxItem]:
    """Delete a step and its variants (hidden at once, removed when pushed)."""
    with write_transaction(db):
        row = require_row(db, "sequence", sequence_id, "id, campaign_id, is_deleted")
        return _queue_delete(db, "sequence", sequence_id, row["campaign_id"])


def set_delay_days(db: Database, sequence_id: str, delay_days: int) -> list[OutboxItem]:
    """Change the wait after a step before the next one."""
    int_in_range("delay_days", delay_days, 0)
    with write_transaction(db):
        row = require_row(db, "sequence", sequence_id, "id, campaign_id")
        item = edit_field(
            db,
            "sequence",
            sequence_id,
            "delay_days",
            delay_days,
            context={"campaign_id": row["campaign_id"]},
        )
        return [item] if item else []


def _check_template(field: str, text: Any) -> None:
    if not isinstance(text, str):
        raise EditError(f"{field} must be text")
    error = mergetags.validate(text)
    if error is not None:
        raise EditError(f"{field}: {error}")


def add_variant(
    db: Database,
    sequence_id: str,
    subject: str,
    body_html: str | None = None,
    enabled: bool = True,
) -> OutboxItem:
    """Add a variant to a step (subject required; a placeholder until pushed)."""
    if not isinstance(subject, str) or not subject.strip():
        raise EditError("a new variant needs a subject")
    _check_template("subject", subject)
    if body_html is not None:
        _check_template("body_html", body_html)
    with write_transaction(db):
        sequence = require_row(db, "sequence", sequence_id, "id, campaign_id, is_deleted")
        position, count = db.conn.execute(
            "SELECT COALESCE(MAX(position), -1) + 1, COUNT(*) FROM variants WHERE sequence_id = ?",
            [sequence_id],
        ).fetchone()
        letter = string.ascii_uppercase[count] if count < 26 else "?"
        placeholder = new_local_id()
        db.conn.execute(
            "INSERT INTO variants (id, sequence_id, campaign_id, position, letter, subject,"
            " server_subject, body_html, server_body_html, enabled, server_enabled, is_local)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [
                placeholder,
                sequence_id,
                sequence["campaign_id"],
                position,
                letter,
                subject,
                subject,
                body_html,
                body_html,
                int(enabled),
                int(enabled),
            ],
        )
        body: dict[str, Any] = {"subject": subject, "enabled": enabled}
        if body_html is not None:
            body["body_html"] = body_html
        item = enqueue(
            db,
            "variant",
            placeholder,
            "create",
            body,
            context={"campaign_id": sequence["campaign_id"], "sequence_id": sequence_id},
        )
        refresh_rows(db, "variant", [placeholder])
        return item


def _enabled_siblings(db: Database, variant_id: str, sequence_id: str) -> int:
    return db.conn.execute(
        "SELECT COUNT(*) FROM variants WHERE sequence_id = ? AND id != ? AND enabled = 1"
        " AND is_deleted = 0",
        [sequence_id, variant_id],
    ).fetchone()[0]


def delete_variant(db: Database, variant_id: str) -> list[OutboxItem]:
    """Delete a variant; refused when it is the step's last enabled one (as the API does)."""
    with write_transaction(db):
        row = require_row(db, "variant", variant_id, "id, campaign_id, sequence_id, enabled")
        if row["enabled"] and _enabled_siblings(db, variant_id, row["sequence_id"]) == 0:
            raise EditError("cannot delete the last enabled variant of a step")
        return _queue_delete(db, "variant", variant_id, row["campaign_id"])


def update_variant(db: Database, variant_id: str, **changes: Any) -> list[OutboxItem]:
    """Edit a variant's subject, body_html and/or enabled (one item per field)."""
    unknown = set(changes) - set(VARIANT_FIELDS)
    if unknown:
        raise EditError(f"variant field(s) cannot be edited: {', '.join(sorted(unknown))}")
    for field in ("subject", "body_html"):
        if field in changes:
            _check_template(field, changes[field])
    if "enabled" in changes and not isinstance(changes["enabled"], bool):
        raise EditError("enabled must be true or false")
    items = []
    with write_transaction(db):
        row = require_row(db, "variant", variant_id, "id, campaign_id, sequence_id")
        if changes.get("enabled") is False and not _enabled_siblings(
            db, variant_id, row["sequence_id"]
        ):
            raise EditError("the last enabled variant of a step cannot be disabled")
        for field, value in changes.items():
            item = edit_field(
                db,
                "variant",
                variant_id,
                field,
                value,
                context={"campaign_id": row["campaign_id"]},
            )
            if item is not None:
                items.append(item)
    return items
