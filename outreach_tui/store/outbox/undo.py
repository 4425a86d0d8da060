"""Rolling back the local effect of an outbox item that will never be sent.

Used when a pending item is withdrawn (undo) or a failed one discarded. Field edits need
nothing here: once the item is gone, `effective.refresh_rows` shows the server value
again. Ops with their own local rows are undone per kind below.
"""

from __future__ import annotations

from sqlite_utils import Database

from outreach_tui.store import campaign_mailboxes, search
from outreach_tui.store.fields import RESOURCE_TABLES
from outreach_tui.store.ingest.conversations import refresh_summary
from outreach_tui.store.outbox.items import OutboxItem


def undo_local(db: Database, item: OutboxItem) -> None:
    """Remove the local trace of `item` (already deleted from the outbox)."""
    if item.op == "reply":
        db.conn.execute("DELETE FROM messages WHERE outbox_id = ?", [item.id])
        refresh_summary(db, item.resource_id)
    elif item.op == "create":
        drop_placeholder(db, item.resource, item.resource_id)
    elif item.op == "delete":
        table = RESOURCE_TABLES[item.resource]
        db.conn.execute(f"UPDATE {table} SET is_deleted = 0 WHERE id = ?", [item.resource_id])
    elif item.op == "attach_inboxes":
        campaign_mailboxes.undo_attach(db, item.resource_id, link_inbox_ids(item))
    elif item.op == "detach_inboxes":
        campaign_mailboxes.undo_detach(db, item.resource_id, link_inbox_ids(item))


def link_inbox_ids(item: OutboxItem) -> list[str]:
    """The inbox ids of an attach/detach item."""
    value = item.value if isinstance(item.value, dict) else {}
    return [i for i in value.get("inbox_ids", []) if isinstance(i, str)]


def drop_placeholder(db: Database, resource: str, placeholder_id: str) -> None:
    """Delete a never-created local row and every queued item that depends on it."""
    table = RESOURCE_TABLES[resource]
    if resource == "conversation":
        row = db.conn.execute(
            "SELECT seq FROM conversations WHERE id = ?", [placeholder_id]
        ).fetchone()
        if row is not None:
            search.unindex(db, [row[0]])
    dependent_rows: list[tuple[str, str]] = []
    if resource == "sequence":
        dependent_rows = [
            ("variant", r[0])
            for r in db.conn.execute(
                "SELECT id FROM variants WHERE sequence_id = ?", [placeholder_id]
            )
        ]
    db.conn.execute(f"DELETE FROM {table} WHERE id = ?", [placeholder_id])  # cascades
    # Items about the placeholder or naming it in their context can never be sent.
    db.conn.execute(
        "DELETE FROM outbox WHERE state != 'done' AND ((resource = ? AND resource_id = ?)"
        " OR instr(context, ?) > 0)",
        [resource, placeholder_id, f'"{placeholder_id}"'],
    )
    for child_resource, child_id in dependent_rows:
        db.conn.execute(
            "DELETE FROM outbox WHERE state != 'done' AND resource = ? AND resource_id = ?",
            [child_resource, child_id],
        )
