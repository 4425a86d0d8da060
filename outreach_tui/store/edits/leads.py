"""Leads of a campaign and the workspace blocklist: add and delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.codec import dumps, loads, now_iso
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.edits.common import EditError, require_row
from outreach_tui.store.effective import refresh_rows
from outreach_tui.store.outbox import (
    LOCAL_ID_PREFIX,
    OutboxItem,
    enqueue,
    list_items,
    new_local_id,
    withdraw,
)


def email_address(value: Any) -> str:
    """`value` as an email address (trimmed); `EditError` with a plain sentence when it
    cannot be one. Dialogs call it before they close, the edits again inside the write."""
    if not isinstance(value, str) or "@" not in value.strip() or len(value.split()) != 1:
        raise EditError(f"not an email address: {value!r}")
    return value.strip()


IF_EXISTS = ("fail", "skip", "update")


def add_lead(
    db: Database,
    campaign_id: str,
    email: str,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    variables: Mapping[str, str] | None = None,
    if_exists: str = "fail",
) -> OutboxItem | None:
    """Add a lead to a campaign (a placeholder until the server creates it).

    `if_exists` is the API's choice for an address already in the campaign, checked
    against the cache first: "fail" -> `EditError`; "skip" -> nothing queued (None);
    "update" -> the cached lead shows the new names and variables at once and the
    create is queued with `if_exists: update` (no second row).
    """
    address = email_address(email)
    if if_exists not in IF_EXISTS:
        raise EditError(f"if_exists must be one of {', '.join(IF_EXISTS)}, got {if_exists!r}")
    if variables is not None and not all(
        isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
    ):
        raise EditError("lead variables must map names to text")
    body: dict[str, Any] = {"email": address}
    if first_name is not None:
        body["first_name"] = first_name
    if last_name is not None:
        body["last_name"] = last_name
    if variables:
        body["variables"] = dict(variables)
    if if_exists != "fail":
        body["if_exists"] = if_exists
    context = {"campaign_id": campaign_id}
    with write_transaction(db):
        require_row(db, "campaign", campaign_id, "id")
        existing = db.conn.execute(
            "SELECT id, variables FROM leads WHERE campaign_id = ? AND email = ? COLLATE NOCASE"
            " AND is_deleted = 0 LIMIT 1",
            [campaign_id, address],
        ).fetchone()
        placeholder = new_local_id()
        if existing is not None:
            if if_exists == "fail":
                raise EditError(
                    f"{address} is already a lead of this campaign (choose skip or update)"
                )
            if if_exists == "skip":
                return None
            # The server merges into the lead it has; the placeholder gets no row of its
            # own and is renamed onto that lead when the answer lands.
            # Given variables replace the old set (the reference is silent; the
            # simulator does the same), none given keeps it.
            merged = dict(variables) if variables else loads(existing[1], {})
            db.conn.execute(
                "UPDATE leads SET first_name = COALESCE(?, first_name),"
                " last_name = COALESCE(?, last_name), variables = ? WHERE id = ?",
                [first_name, last_name, dumps(merged), existing[0]],
            )
            return enqueue(db, "lead", placeholder, "create", body, context=context)
        db.conn.execute(
            "INSERT INTO leads (id, campaign_id, email, first_name, last_name, status,"
            " variables, created_at, is_local) VALUES (?, ?, ?, ?, ?, 'uncontacted', ?, ?, 1)",
            [
                placeholder,
                campaign_id,
                address,
                first_name,
                last_name,
                dumps(dict(variables or {})),
                now_iso(),
            ],
        )
        item = enqueue(db, "lead", placeholder, "create", body, context=context)
        refresh_rows(db, "lead", [placeholder])
        return item


def _delete(db: Database, resource: str, row_id: str, context: dict[str, Any]) -> list[OutboxItem]:
    table = "leads" if resource == "lead" else "blocklist"
    if row_id.startswith(LOCAL_ID_PREFIX):
        for item in list_items(db, ("pending",), resource=resource, resource_id=row_id):
            if item.op == "create":
                withdraw(db, item.id)
                return []
    db.conn.execute(f"UPDATE {table} SET is_deleted = 1 WHERE id = ?", [row_id])
    item = enqueue(db, resource, row_id, "delete", context=context)
    refresh_rows(db, resource, [row_id])
    return [item]


def delete_lead(db: Database, lead_id: str) -> list[OutboxItem]:
    """Delete a lead from its campaign (hidden at once, removed when pushed)."""
    with write_transaction(db):
        row = require_row(db, "lead", lead_id, "id, campaign_id, is_deleted")
        return _delete(db, "lead", lead_id, {"campaign_id": row["campaign_id"]})


def block_email(db: Database, email: str) -> OutboxItem:
    """Add an address to the blocklist; `EditError` when it is listed already."""
    address = email_address(email)
    with write_transaction(db):
        listed = db.conn.execute(
            "SELECT 1 FROM blocklist WHERE email = ? COLLATE NOCASE AND is_deleted = 0",
            [address],
        ).fetchone()
        if listed:
            raise EditError(f"{address} is already on the blocklist")
        placeholder = new_local_id()
        db.conn.execute(
            "INSERT INTO blocklist (id, email, created_at, is_local) VALUES (?, ?, ?, 1)",
            [placeholder, address, now_iso()],
        )
        item = enqueue(db, "blocklist", placeholder, "create", {"email": address})
        refresh_rows(db, "blocklist", [placeholder])
        return item


def unblock(db: Database, entry_id: str) -> list[OutboxItem]:
    """Remove a blocklist entry (by its id)."""
    with write_transaction(db):
        require_row(db, "blocklist", entry_id, "id, is_deleted")
        return _delete(db, "blocklist", entry_id, {})
