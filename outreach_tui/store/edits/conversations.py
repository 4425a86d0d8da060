"""Triage edits on conversations: label, read state, replies, new conversations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from outreach_tui.core.plain_html import html_to_text
from outreach_tui.store.codec import dumps, now_iso
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.edits.body import check_body
from outreach_tui.store.edits.common import EditError, edit_field, require_row
from outreach_tui.store.effective import refresh_rows
from outreach_tui.store.fields import LABELS
from outreach_tui.store.ingest.conversations import refresh_summary
from outreach_tui.store.outbox import OutboxItem, enqueue, new_local_id

# Queued messages sort after every server message of their thread.
LOCAL_POSITION_BASE = 1_000_000


def _ids(conversation_ids: str | Iterable[str]) -> list[str]:
    if isinstance(conversation_ids, str):
        return [conversation_ids]
    return list(dict.fromkeys(conversation_ids))


def set_label(db: Database, conversation_ids: str | Iterable[str], label: str) -> list[OutboxItem]:
    """Override the label of conversations (one of the 11 labels)."""
    if label not in LABELS:
        raise EditError(f"unknown label {label!r}; expected one of: {', '.join(LABELS)}")
    return _label(db, _ids(conversation_ids), label)


def revert_label(db: Database, conversation_ids: str | Iterable[str]) -> list[OutboxItem]:
    """Clear the override: the conversations show the AI label again."""
    return _label(db, _ids(conversation_ids), None)


def _label(db: Database, ids: Sequence[str], label: str | None) -> list[OutboxItem]:
    items = []
    with write_transaction(db):
        for cid in ids:
            item = label_one(db, cid, label)
            if item is not None:
                items.append(item)
    return items


def label_one(db: Database, conversation_id: str, label: str | None) -> OutboxItem | None:
    """Set (or, with None, clear) one conversation's override; the item, or None when
    nothing changed. Call inside the caller's transaction for many."""
    row = require_row(db, "conversation", conversation_id, "id, server_override")
    # "No change" is the override state the server holds, not the label it shows.
    return edit_field(
        db,
        "conversation",
        conversation_id,
        "label_override",
        label,
        context={"origin": row["server_override"]},
    )


def mark_read(db: Database, conversation_ids: str | Iterable[str]) -> list[OutboxItem]:
    """Mark conversations read (every message, as the API does)."""
    return _read(db, _ids(conversation_ids), True)


def mark_unread(db: Database, conversation_ids: str | Iterable[str]) -> list[OutboxItem]:
    """Mark conversations unread (back into triage)."""
    return _read(db, _ids(conversation_ids), False)


def _read(db: Database, ids: Sequence[str], is_read: bool) -> list[OutboxItem]:
    items = []
    with write_transaction(db):
        for cid in ids:
            item = edit_field(db, "conversation", cid, "is_read", is_read)
            if item is not None:
                items.append(item)
    return items


def _insert_local_message(
    db: Database,
    conversation_id: str,
    item: OutboxItem,
    *,
    subject: str,
    content: str,
    inbox_id: str | None,
    to: Sequence[Mapping[str, Any]],
) -> None:
    from_email = ""
    if inbox_id:
        row = db.conn.execute("SELECT email FROM inboxes WHERE id = ?", [inbox_id]).fetchone()
        from_email = row[0] if row else ""
    db.conn.execute(
        "INSERT INTO messages (conversation_id, position, direction, inbox_id, subject,"
        " text_body, html_body, from_email, to_recipients, email_date, is_read, outbox_id)"
        " VALUES (?, ?, 'outgoing', ?, ?, ?, ?, ?, ?, ?, 1, ?)",
        [
            conversation_id,
            LOCAL_POSITION_BASE + item.id,
            inbox_id,
            subject,
            html_to_text(content),
            content,
            from_email,
            dumps(list(to)),
            now_iso(),
            item.id,
        ],
    )


def queue_reply(db: Database, conversation_id: str, content: str) -> OutboxItem:
    """Queue a reply (HTML `content`); it shows at once at the end of the thread."""
    if not content.strip():
        raise EditError("the reply is empty")
    # Measured on the text the HTML carries: the size the user sees in what they wrote.
    check_body(html_to_text(content), "reply")
    with write_transaction(db):
        row = require_row(
            db, "conversation", conversation_id, "id, subject, inbox_id, sender_email, sender_name"
        )
        item = enqueue(db, "conversation", conversation_id, "reply", {"content": content})
        subject = row["subject"]
        if subject and not subject.lower().startswith("re:"):
            subject = f"Re: {subject}"
        _insert_local_message(
            db,
            conversation_id,
            item,
            subject=subject,
            content=content,
            inbox_id=row["inbox_id"],
            to=[{"email": row["sender_email"], "name": row["sender_name"]}],
        )
        refresh_summary(db, conversation_id)
        refresh_rows(db, "conversation", [conversation_id])
        return item


def compose_conversation(
    db: Database,
    *,
    to: Sequence[Mapping[str, Any]],
    subject: str,
    content: str,
    inbox_id: str | None = None,
) -> OutboxItem:
    """Start a new conversation: a local placeholder thread until the server creates it.

    `to` is a list of {"email", "name"}; `inbox_id` None lets the server pick the first
    active inbox. Returns the `create` item (its `resource_id` is the placeholder id).
    """
    recipients = [
        {"email": r["email"].strip(), "name": r.get("name")}
        for r in to
        if isinstance(r.get("email"), str) and "@" in r["email"]
    ]
    if not recipients or len(recipients) != len(to):
        raise EditError("every recipient needs an email address (at least one recipient)")
    if not content.strip():
        raise EditError("the message is empty")
    check_body(html_to_text(content), "message")
    body: dict[str, Any] = {"to": recipients, "subject": subject, "content": content}
    if inbox_id is not None:
        require_row(db, "inbox", inbox_id, "id")
        body["inbox_id"] = inbox_id
    placeholder = new_local_id()
    now = now_iso()
    with write_transaction(db):
        db.conn.execute(
            "INSERT INTO conversations (id, folder, inbox_id, is_local, created_at, updated_at)"
            " VALUES (?, 'primary', ?, 1, ?, ?)",
            [placeholder, inbox_id, now, now],
        )
        item = enqueue(db, "conversation", placeholder, "create", body)
        _insert_local_message(
            db,
            placeholder,
            item,
            subject=subject,
            content=content,
            inbox_id=inbox_id,
            to=recipients,
        )
        refresh_summary(db, placeholder)
        refresh_rows(db, "conversation", [placeholder])
        return item
