"""Ingest of API conversations (with their messages and attachments) — the hot path.

One call = one page = one transaction. A conversation whose content hash and folder match
the cached row is not touched at all (the incremental pull's "unchanged" signal); a
changed one has its server messages, attachments and search document rewritten. Queued
replies (messages with an `outbox_id`) and effective values of rows with pending edits
survive: those rows are re-derived by `effective.refresh_rows` after the server columns
are written.

Label bookkeeping (responses carry only the effective `label`, DESIGN.md "Sync"):
`server_label` is what the server said; `ai_label` follows it only while this client
knows of no override (`server_override` NULL) and has no label edit pending, so it stays
"the label the server reported before the user's override". While an override is known,
a different server label is taken as someone else's override.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from outreach_tui.store import search
from outreach_tui.store.codec import as_bool, loads, recipients_json, sortable_time
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.conversation_summary import ThreadSummary, summarize
from outreach_tui.store.effective import active_items_by_row, refresh_rows
from outreach_tui.store.id_lists import in_chunks
from outreach_tui.store.ingest.result import IngestResult

_UPSERT = """
INSERT INTO conversations (
    id, folder, lead_id, campaign_id, inbox_id, is_positive,
    server_label, ai_label, label, server_is_read, is_read,
    subject, snippet, sender_email, sender_name, message_count, last_activity,
    created_at, updated_at, content_hash
) VALUES (
    :id, COALESCE(:folder, 'primary'), :lead_id, :campaign_id, :inbox_id, :is_positive,
    :label, :label, :label, :is_read, :is_read,
    :subject, :snippet, :sender_email, :sender_name, :message_count, :last_activity,
    :created_at, :updated_at, :content_hash
)
ON CONFLICT (id) DO UPDATE SET
    folder = COALESCE(:folder, conversations.folder),
    campaign_id = CASE WHEN excluded.lead_id IS conversations.lead_id
        THEN COALESCE(excluded.campaign_id, conversations.campaign_id)
        ELSE excluded.campaign_id END,
    lead_id = excluded.lead_id,
    inbox_id = excluded.inbox_id,
    is_positive = excluded.is_positive,
    ai_label = CASE
        WHEN :freeze_label THEN conversations.ai_label
        WHEN conversations.server_override IS NULL OR excluded.server_label IS NULL
            THEN excluded.server_label
        ELSE conversations.ai_label END,
    server_override = CASE
        WHEN :freeze_label OR conversations.server_override IS NULL
            THEN conversations.server_override
        ELSE excluded.server_label END,
    label_override = CASE
        WHEN :freeze_label OR conversations.server_override IS NULL
            THEN conversations.server_override
        ELSE excluded.server_label END,
    server_label = excluded.server_label,
    label = excluded.server_label,
    server_is_read = excluded.server_is_read,
    is_read = excluded.server_is_read,
    subject = excluded.subject,
    snippet = excluded.snippet,
    sender_email = excluded.sender_email,
    sender_name = excluded.sender_name,
    message_count = excluded.message_count,
    -- A snoozed conversation that came back stays where it came back to (edits.snooze).
    last_activity = MAX(excluded.last_activity, COALESCE(conversations.returned_at, '')),
    created_at = excluded.created_at,
    updated_at = excluded.updated_at,
    content_hash = excluded.content_hash,
    is_local = 0
"""

_INSERT_MESSAGE = """
INSERT INTO messages (
    conversation_id, position, direction, inbox_id, subject, text_body, html_body,
    from_email, to_recipients, cc_recipients, bcc_recipients, email_date, is_read
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

_INSERT_ATTACHMENT = """
INSERT OR REPLACE INTO attachments
    (id, conversation_id, message_position, filename, content_type, size)
VALUES (?, ?, ?, ?, ?, ?)
"""


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _messages_of(item: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    messages = item.get("messages")
    if not isinstance(messages, list):
        return []
    return [m for m in messages if isinstance(m, Mapping)]


def message_row(conversation_id: str, position: int, m: Mapping[str, Any]) -> tuple[Any, ...]:
    """The `messages` row values (see `_INSERT_MESSAGE`) of one API message."""
    get = m.get
    inbox_id, email_date, is_read = get("inbox_id"), get("email_date"), get("is_read")
    return (
        conversation_id,
        position,
        "outgoing" if get("direction") == "outgoing" else "incoming",
        inbox_id if isinstance(inbox_id, str) else None,
        _str(get("subject")),
        _str(get("text_body")),
        _str(get("html_body")),
        _str(get("from_email")),
        recipients_json(get("to_recipients")),
        recipients_json(get("cc_recipients")),
        recipients_json(get("bcc_recipients")),
        email_date if isinstance(email_date, str) else None,
        0 if is_read is False else 1,
    )


def attachment_rows(
    conversation_id: str, position: int, m: Mapping[str, Any]
) -> list[tuple[Any, ...]]:
    """The `attachments` rows of one API message (attachments without an id are dropped)."""
    rows = []
    for a in m.get("attachments") or []:
        if isinstance(a, Mapping) and isinstance(a.get("id"), str) and a["id"]:
            size = a.get("size")
            rows.append(
                (
                    a["id"],
                    conversation_id,
                    position,
                    _str(a.get("filename")),
                    _str(a.get("content_type")),
                    size if isinstance(size, int) else 0,
                )
            )
    return rows


def _summary_params(summary: ThreadSummary) -> dict[str, Any]:
    return {
        "inbox_id": summary.inbox_id,
        "is_read": int(summary.is_read),
        "subject": summary.subject,
        "snippet": summary.snippet,
        "sender_email": summary.sender_email,
        "sender_name": summary.sender_name,
        "message_count": summary.message_count,
        "last_activity": summary.last_activity,
    }


def _lead_campaigns(db: Database, lead_ids: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk, marks in in_chunks(lead_ids):
        found.update(
            db.conn.execute(
                f"SELECT id, campaign_id FROM leads WHERE id IN ({marks})", chunk
            ).fetchall()
        )
    return found


def _cached(db: Database, ids: Sequence[str]) -> dict[str, tuple[str, str, str | None, int]]:
    """id -> (content_hash, folder, local_state, seq) of the cached rows among `ids`."""
    found: dict[str, tuple[str, str, str | None, int]] = {}
    for chunk, marks in in_chunks(ids):
        for row in db.conn.execute(
            f"SELECT id, content_hash, folder, local_state, seq FROM conversations"
            f" WHERE id IN ({marks})",
            chunk,
        ):
            found[row[0]] = (row[1], row[2], row[3], row[4])
    return found


def fingerprint(item: Mapping[str, Any]) -> str:
    """A digest of what can change in a conversation, to detect changes cheaply.

    Emails are immutable once sent, so the digest covers the mutable parts only (label,
    positivity, lead, timestamps, and each message's date, direction, read state and
    attachment ids) instead of hashing every body on every pull.
    """
    messages = _messages_of(item)
    parts = [
        item.get("label"),
        item.get("is_positive"),
        item.get("lead_id"),
        item.get("updated_at"),
        item.get("created_at"),
        len(messages),
    ]
    for m in messages:
        parts.append((m.get("email_date"), m.get("direction"), m.get("is_read"), m.get("inbox_id")))
        if m.get("attachments"):
            parts.append(repr(m.get("attachments")))
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def upsert_conversations(
    db: Database, items: Iterable[Mapping[str, Any]], folder: str | None
) -> IngestResult:
    """Store one page of API conversations seen in `folder` ('primary' or 'others').

    `folder=None` keeps each cached row's folder ('primary' for a new one): for answers
    to pushes, which do not say. Runs in one transaction; returns what changed.
    """
    by_id: dict[str, Mapping[str, Any]] = {}
    skipped = 0
    for item in items:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str) and item["id"]:
            by_id[item["id"]] = item  # a page may repeat an id (page drift): last wins
        else:
            skipped += 1
    with write_transaction(db):
        cached = _cached(db, list(by_id))
        hashes = {cid: fingerprint(item) for cid, item in by_id.items()}
        new_ids = [cid for cid in by_id if cid not in cached]
        changed_ids = [
            cid
            for cid in by_id
            if cid in cached
            and (cached[cid][0] != hashes[cid] or (folder is not None and cached[cid][1] != folder))
        ]
        write_ids = new_ids + changed_ids
        if write_ids:
            _write(db, {cid: by_id[cid] for cid in write_ids}, hashes, folder, cached)
    search.index_pending_when_due(db)
    return IngestResult(
        new_ids=tuple(new_ids),
        changed_ids=tuple(changed_ids),
        unchanged=len(by_id) - len(write_ids),
        skipped=skipped,
    )


def _write(
    db: Database,
    items: dict[str, Mapping[str, Any]],
    hashes: dict[str, str],
    folder: str | None,
    cached: dict[str, tuple[str, str, str | None, int]],
) -> None:
    marked = [cid for cid in items if cid in cached and cached[cid][2] is not None]
    frozen: set[str] = set()
    if marked:
        for cid, row_items in active_items_by_row(db, "conversation", marked).items():
            if any(i["field"] == "label_override" for i in row_items):
                frozen.add(cid)
    lead_ids = [lid for item in items.values() if isinstance(lid := item.get("lead_id"), str)]
    campaigns = _lead_campaigns(db, lead_ids) if lead_ids else {}

    rows: list[dict[str, Any]] = []
    messages: list[tuple[Any, ...]] = []
    attachments: list[tuple[Any, ...]] = []
    summaries: dict[str, ThreadSummary] = {}
    for cid, item in items.items():
        thread = _messages_of(item)
        summary = summarize(thread, item.get("updated_at") or item.get("created_at"))
        summaries[cid] = summary
        lead_id = item.get("lead_id") if isinstance(item.get("lead_id"), str) else None
        label = item.get("label") if isinstance(item.get("label"), str) else None
        rows.append(
            {
                "id": cid,
                "folder": folder,
                "lead_id": lead_id,
                "campaign_id": campaigns.get(lead_id) if lead_id else None,
                "is_positive": as_bool(item.get("is_positive")),
                "label": label,
                "freeze_label": int(cid in frozen),
                "created_at": item.get("created_at"),
                "updated_at": item.get("updated_at"),
                "content_hash": hashes[cid],
                **_summary_params(summary),
            }
        )
        for position, message in enumerate(thread):
            messages.append(message_row(cid, position, message))
            attachments.extend(attachment_rows(cid, position, message))

    conn = db.conn
    existing = [cid for cid in items if cid in cached]
    if existing:
        conn.executemany(
            "DELETE FROM messages WHERE conversation_id = ? AND outbox_id IS NULL",
            [(cid,) for cid in existing],
        )
        conn.executemany(
            "DELETE FROM attachments WHERE conversation_id = ?", [(cid,) for cid in existing]
        )
        search.unindex(db, [cached[cid][3] for cid in existing])
    conn.executemany(_UPSERT, rows)
    conn.executemany(_INSERT_MESSAGE, messages)
    conn.executemany(_INSERT_ATTACHMENT, attachments)

    _wake_on_reply(db, {cid: _messages_of(items[cid]) for cid in existing})

    seqs = {cid: cached[cid][3] for cid in existing}
    new = [cid for cid in items if cid not in cached]
    for chunk, marks in in_chunks(new):
        seqs.update(conn.execute(f"SELECT id, seq FROM conversations WHERE id IN ({marks})", chunk))
    search.index_documents(
        db,
        (
            (seqs[cid], s.subject, s.search_body, s.search_people)
            for cid, s in summaries.items()
            if cid not in marked
        ),
    )
    for cid in marked:
        # Queued replies are part of the thread the list summarises.
        refresh_summary(db, cid, reindex=True, unindexed=True)
    if marked:
        refresh_rows(db, "conversation", marked)


def _wake_on_reply(db: Database, threads: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """End the snoozes (`edits.snooze`) of conversations among `threads` (id -> API
    messages) that received an incoming message after they were snoozed: the message's
    time puts them on top of the list."""
    if not threads:
        return
    woken = []
    # Snoozes are few (a person's handful): all of them, rather than a lookup per page.
    for cid, snoozed_at in db.conn.execute(
        "SELECT c.id, s.snoozed_at FROM snoozes s JOIN conversations c ON c.seq = s.seq"
    ):
        if cid not in threads:
            continue
        incoming = (m.get("email_date") for m in threads[cid] if m.get("direction") != "outgoing")
        if _came_after(max(map(sortable_time, incoming), default=""), snoozed_at):
            woken.append((cid,))
    db.conn.executemany(
        "DELETE FROM snoozes WHERE seq = (SELECT seq FROM conversations WHERE id = ?)", woken
    )


def _came_after(message_time: str, snoozed_at: str) -> bool:
    """Whether a message (sortable time) arrived after a snooze. A server stamping whole
    seconds cannot say so for a message of the snooze's own second: it counts as after
    (a reply shown again beats one hidden for days)."""
    if message_time > snoozed_at:
        return True
    return message_time.endswith(".000000Z") and message_time[:19] == snoozed_at[:19]


def thread_messages(db: Database, conversation_id: str) -> list[dict[str, Any]]:
    """The stored messages of a conversation, API-shaped, in display order."""
    cursor = db.conn.execute(
        "SELECT direction, inbox_id, subject, text_body, html_body, from_email,"
        " to_recipients, cc_recipients, bcc_recipients, email_date, is_read"
        " FROM messages WHERE conversation_id = ? ORDER BY position",
        [conversation_id],
    )
    names = [d[0] for d in cursor.description]
    messages = []
    for values in cursor:
        message = dict(zip(names, values, strict=True))
        for key in ("to_recipients", "cc_recipients", "bcc_recipients"):
            message[key] = loads(message[key], [])
        message["is_read"] = bool(message["is_read"])
        messages.append(message)
    return messages


def refresh_summary(
    db: Database, conversation_id: str, *, reindex: bool = True, unindexed: bool = False
) -> None:
    """Recompute a conversation's list columns (and search document) from stored messages.

    Used when a queued reply is added, confirmed or dropped. `unindexed=True` when the
    caller already removed the search document.
    """
    row = db.conn.execute(
        "SELECT seq, updated_at FROM conversations WHERE id = ?", [conversation_id]
    ).fetchone()
    if row is None:
        return
    seq, updated_at = row
    summary = summarize(thread_messages(db, conversation_id), updated_at)
    params = _summary_params(summary)
    # is_read stays the server's: a queued outgoing reply does not make a thread read.
    params.pop("is_read")
    assignments = ", ".join(f"{k} = :{k}" for k in params if k != "last_activity")
    # A snoozed conversation that came back stays where it came back to (edits.snooze).
    assignments += ", last_activity = MAX(:last_activity, COALESCE(returned_at, ''))"
    if reindex and not unindexed:
        search.unindex(db, [seq])  # before last_activity moves: the key is read from the row
    db.conn.execute(
        f"UPDATE conversations SET {assignments} WHERE id = :id",
        {**params, "id": conversation_id},
    )
    if reindex:
        search.index_documents(
            db, [(seq, summary.subject, summary.search_body, summary.search_people)]
        )
