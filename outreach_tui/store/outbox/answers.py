"""Applying the server's answer to a pushed outbox item (called by `transitions.mark_done`).

The item is already `done` when this runs, so `effective.refresh_rows` no longer overlays
it: the effective value becomes whatever the server answered. Placeholders created here
(`local-…` ids) are renamed to the server's id in every table and queued item.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from outreach_tui.store import campaign_mailboxes, search
from outreach_tui.store.codec import to_column
from outreach_tui.store.effective import refresh_rows
from outreach_tui.store.fields import RESOURCE_TABLES, field_spec
from outreach_tui.store.ingest.campaigns import (
    replace_campaign_inboxes,
    store_sequence,
    store_variant,
    upsert_campaigns,
)
from outreach_tui.store.ingest.conversations import (
    attachment_rows,
    message_row,
    refresh_summary,
    upsert_conversations,
)
from outreach_tui.store.ingest.leads import lead_row
from outreach_tui.store.ingest.mailboxes import upsert_inboxes
from outreach_tui.store.outbox.items import OutboxItem
from outreach_tui.store.outbox.undo import drop_placeholder, link_inbox_ids


def _mapping(answer: Any) -> Mapping[str, Any] | None:
    return answer if isinstance(answer, Mapping) else None


def apply_answer(db: Database, item: OutboxItem, answer: Any) -> None:
    """Bring the cache in line with the server after `item` succeeded."""
    row_id: str | None = item.resource_id
    if item.op == "update":
        _apply_update(db, item, _mapping(answer))
    elif item.op == "reply":
        _apply_reply(db, item, _mapping(answer))
    elif item.op == "create":
        row_id = _apply_create(db, item, _mapping(answer))
    elif item.op == "delete":
        db.conn.execute(
            f"DELETE FROM {RESOURCE_TABLES[item.resource]} WHERE id = ?", [item.resource_id]
        )
    elif item.op in ("attach_inboxes", "detach_inboxes"):
        attach = item.op == "attach_inboxes"
        campaign_mailboxes.confirm(db, item.resource_id, link_inbox_ids(item), attach=attach)
        if isinstance(answer, list):
            replace_campaign_inboxes(db, item.resource_id, answer)
    if row_id is not None:
        refresh_rows(db, item.resource, [row_id])


def _apply_update(db: Database, item: OutboxItem, answer: Mapping[str, Any] | None) -> None:
    assert item.field is not None
    resource, row_id = item.resource, item.resource_id
    if resource == "conversation" and item.field == "label_override":
        # Responses never carry the override: remember what we set before ingesting,
        # so the answer's label is not taken for the AI label (unless we reverted).
        db.conn.execute(
            "UPDATE conversations SET server_override = ? WHERE id = ?", [item.value, row_id]
        )
    if answer is not None and isinstance(answer.get("id"), str):
        if resource == "conversation":
            upsert_conversations(db, [answer], folder=None)
        elif resource == "campaign":
            upsert_campaigns(db, [answer])
        elif resource == "inbox":
            upsert_inboxes(db, [answer])
        elif resource == "sequence":
            campaign_id = _campaign_of(db, "sequences", row_id)
            if campaign_id:
                store_sequence(db, campaign_id, answer)
        elif resource == "variant":
            row = db.conn.execute(
                "SELECT campaign_id, sequence_id FROM variants WHERE id = ?", [row_id]
            ).fetchone()
            if row:
                store_variant(db, row[0], row[1], answer)
    elif resource == "campaign" and item.field == "schedule" and answer is not None:
        db.conn.execute(
            "UPDATE campaigns SET server_schedule = ? WHERE id = ?",
            [to_column(field_spec("campaign", "schedule"), dict(answer)), row_id],
        )
    elif resource == "conversation" and item.field == "label_override":
        # No answer: the server now shows our override, or after a revert the AI label.
        db.conn.execute(
            "UPDATE conversations SET server_label = COALESCE(?, ai_label) WHERE id = ?",
            [item.value, row_id],
        )
    else:
        spec = field_spec(resource, item.field)
        db.conn.execute(
            f"UPDATE {spec.table} SET {spec.server_column} = ? WHERE id = ?",
            [to_column(spec, item.value), row_id],
        )
    if resource == "conversation" and item.field == "label_override" and item.value is None:
        # After a revert the server's label is the AI label.
        db.conn.execute("UPDATE conversations SET ai_label = server_label WHERE id = ?", [row_id])


def _campaign_of(db: Database, table: str, row_id: str) -> str | None:
    row = db.conn.execute(f"SELECT campaign_id FROM {table} WHERE id = ?", [row_id]).fetchone()
    return row[0] if row else None


def _apply_reply(db: Database, item: OutboxItem, answer: Mapping[str, Any] | None) -> None:
    conversation_id = item.resource_id
    db.conn.execute("DELETE FROM messages WHERE outbox_id = ?", [item.id])
    if answer is not None:
        # Appended after the server's messages; the next pull rewrites the thread anyway.
        position = db.conn.execute(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM messages"
            " WHERE conversation_id = ? AND outbox_id IS NULL",
            [conversation_id],
        ).fetchone()[0]
        db.conn.execute(
            "INSERT INTO messages (conversation_id, position, direction, inbox_id, subject,"
            " text_body, html_body, from_email, to_recipients, cc_recipients, bcc_recipients,"
            " email_date, is_read) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            message_row(conversation_id, position, answer),
        )
        db.conn.executemany(
            "INSERT OR REPLACE INTO attachments (id, conversation_id, message_position,"
            " filename, content_type, size) VALUES (?, ?, ?, ?, ?, ?)",
            attachment_rows(conversation_id, position, answer),
        )
    refresh_summary(db, conversation_id)


def _apply_create(db: Database, item: OutboxItem, answer: Mapping[str, Any] | None) -> str | None:
    """Returns the row's id from now on (None when the placeholder was dropped)."""
    placeholder = item.resource_id
    server_id = answer.get("id") if answer is not None else None
    if answer is None or not isinstance(server_id, str) or not server_id:
        # Unknown result: drop the placeholder; the next pull brings the real row.
        db.conn.execute("DELETE FROM messages WHERE outbox_id = ?", [item.id])
        drop_placeholder(db, item.resource, placeholder)
        return None
    rename(db, item.resource, placeholder, server_id)
    if item.resource == "conversation":
        db.conn.execute("DELETE FROM messages WHERE outbox_id = ?", [item.id])
        # content_hash is NULL on a placeholder, so the answer is always written.
        upsert_conversations(db, [answer], folder=None)
        refresh_summary(db, server_id)
    elif item.resource == "campaign":
        # The server's defaults (schedule, options, stats) at once, not at the next pull.
        upsert_campaigns(db, [answer])
    elif item.resource == "sequence":
        campaign_id = _campaign_of(db, "sequences", server_id)
        if campaign_id:
            store_sequence(db, campaign_id, answer)
    elif item.resource == "variant":
        row = db.conn.execute(
            "SELECT campaign_id, sequence_id FROM variants WHERE id = ?", [server_id]
        ).fetchone()
        if row:
            store_variant(db, row[0], row[1], answer)
    elif item.resource == "lead":
        campaign_id = _campaign_of(db, "leads", server_id)
        if campaign_id:
            db["leads"].upsert(lead_row(campaign_id, answer), pk="id")
    elif item.resource == "blocklist":
        db.conn.execute(
            "UPDATE blocklist SET email = COALESCE(?, email), created_at = ?, is_local = 0"
            " WHERE id = ?",
            [answer.get("email"), answer.get("created_at"), server_id],
        )
    return server_id


def current_id(db: Database, row_id: str) -> str:
    """The id a row has now: its server id when `row_id` was a placeholder since
    renamed, else `row_id` itself."""
    found = db.conn.execute(
        "SELECT server_id FROM placeholder_renames WHERE placeholder = ?", [row_id]
    ).fetchone()
    return found[0] if found else row_id


def rename(db: Database, resource: str, old_id: str, new_id: str) -> None:
    """Give placeholder `old_id` its server id `new_id` everywhere it is referenced.

    When a pull already brought the server row, the placeholder is merged into it:
    queued replies move over, the placeholder row goes.
    """
    table = RESOURCE_TABLES[resource]
    db.conn.execute(
        "INSERT OR REPLACE INTO placeholder_renames (placeholder, server_id) VALUES (?, ?)",
        [old_id, new_id],
    )
    exists = db.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", [new_id]).fetchone()
    if exists:
        if resource == "conversation":
            db.conn.execute(
                "UPDATE messages SET conversation_id = ?, position = position"
                " WHERE conversation_id = ? AND outbox_id IS NOT NULL",
                [new_id, old_id],
            )
            row = db.conn.execute("SELECT seq FROM conversations WHERE id = ?", [old_id]).fetchone()
            if row:
                search.unindex(db, [row[0]])
        elif resource == "sequence":
            db.conn.execute(
                "UPDATE variants SET sequence_id = ? WHERE sequence_id = ?", [new_id, old_id]
            )
        db.conn.execute(f"DELETE FROM {table} WHERE id = ?", [old_id])
    else:
        # ON UPDATE CASCADE carries messages, attachments and variants along.
        db.conn.execute(f"UPDATE {table} SET id = ?, is_local = 0 WHERE id = ?", [new_id, old_id])
    if resource == "conversation":
        db.conn.execute("UPDATE conversations SET is_local = 0 WHERE id = ?", [new_id])
    db.conn.execute(
        "UPDATE outbox SET resource_id = ? WHERE resource = ? AND resource_id = ?",
        [new_id, resource, old_id],
    )
    db.conn.execute(
        "UPDATE outbox SET context = replace(context, ?, ?) WHERE instr(context, ?) > 0",
        [f'"{old_id}"', f'"{new_id}"', f'"{old_id}"'],
    )
    db.conn.execute(
        "UPDATE conflict_log SET resource_id = ? WHERE resource = ? AND resource_id = ?",
        [new_id, resource, old_id],
    )
