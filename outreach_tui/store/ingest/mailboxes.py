"""Ingest of sending mailboxes (table `inboxes`), their campaign links and warmup statistics."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.codec import now_iso
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.effective import marked_ids, refresh_rows
from outreach_tui.store.ingest.common import cached_hashes, flag, hash_without, pick, with_ids
from outreach_tui.store.ingest.result import IngestResult

_READ_ONLY_TEXT = ("email", "domain", "provider", "connection_type", "connection_status")
_EDITABLE_TEXT = ("first_name", "last_name", "reply_to", "signature")
_EDITABLE_BOOL = ("is_active", "is_warming")
_EDITABLE_INT = ("daily_campaign_limit", "daily_warmup_limit")


def inbox_row(item: Mapping[str, Any]) -> dict[str, Any]:
    """The `inboxes` columns carried by an API inbox (absent fields left out)."""
    row: dict[str, Any] = {"id": item["id"]}
    for key in (*_READ_ONLY_TEXT, "created_at", "updated_at"):
        if isinstance(item.get(key), str):
            row[key] = item[key]
    for key in _EDITABLE_TEXT:
        if isinstance(item.get(key), str):
            row[key] = row[f"server_{key}"] = item[key]
    for key in _EDITABLE_BOOL:
        if (value := flag(item, key)) is not None:
            row[key] = row[f"server_{key}"] = value
    for key in _EDITABLE_INT:
        if (value := pick(item, key, int)) is not None:
            row[key] = row[f"server_{key}"] = value
    return row


def upsert_inboxes(db: Database, items: Iterable[Mapping[str, Any]]) -> IngestResult:
    """Store a page of API inboxes (list items or details); one transaction.

    A detail's `campaigns` list replaces the inbox's campaign links.
    """
    by_id, skipped = with_ids(items)
    with write_transaction(db):
        cached = cached_hashes(db, "inboxes", list(by_id))
        new_ids, changed_ids, unchanged = [], [], 0
        for iid, item in by_id.items():
            digest = hash_without(item, "campaigns")
            if isinstance(item.get("campaigns"), list):
                _replace_inbox_campaigns(db, iid, item["campaigns"])
            if cached.get(iid) == digest:
                unchanged += 1
                continue
            (changed_ids if iid in cached else new_ids).append(iid)
            db["inboxes"].upsert({**inbox_row(item), "content_hash": digest}, pk="id")
        refresh_rows(db, "inbox", marked_ids(db, "inbox", new_ids + changed_ids))
    return IngestResult(tuple(new_ids), tuple(changed_ids), unchanged, skipped)


def upsert_inbox_detail(db: Database, item: Mapping[str, Any]) -> IngestResult:
    """Store one inbox from `GET /inboxes/:id` (or a PATCH answer), campaigns included."""
    return upsert_inboxes(db, [item])


def _replace_inbox_campaigns(db: Database, inbox_id: str, campaigns: Iterable[Any]) -> None:
    rows = [
        {
            "campaign_id": c["id"],
            "inbox_id": inbox_id,
            "campaign_name": pick(c, "name", str),
            "campaign_status": pick(c, "status", str),
        }
        for c in campaigns
        if isinstance(c, Mapping) and isinstance(c.get("id"), str)
    ]
    keep = [r["campaign_id"] for r in rows]
    marks = ",".join("?" * len(keep))
    db.conn.execute(
        f"DELETE FROM campaign_inboxes WHERE inbox_id = ? AND pending_op IS NULL"
        f" AND campaign_id NOT IN ({marks})",
        [inbox_id, *keep],
    )
    if rows:
        db["campaign_inboxes"].upsert_all(rows, pk=("campaign_id", "inbox_id"))


def upsert_warmup_stats(db: Database, inbox_id: str, stats: Mapping[str, Any]) -> None:
    """Store `GET /inboxes/:id/warmup/stats` (totals and the daily points, replaced)."""
    daily = [
        (inbox_id, d["date"], pick(d, "sent", int) or 0, pick(d, "spam_count", int) or 0)
        for d in stats.get("daily") or []
        if isinstance(d, Mapping) and isinstance(d.get("date"), str)
    ]
    with write_transaction(db):
        db["warmup_stats"].upsert(
            {
                "inbox_id": inbox_id,
                "sent": pick(stats, "sent", int) or 0,
                "received": pick(stats, "received", int) or 0,
                "saved_from_spam": pick(stats, "saved_from_spam", int) or 0,
                "health_score": pick(stats, "health_score", int),
                "ramp_up_progress": pick(stats, "ramp_up_progress", int),
                "pulled_at": now_iso(),
            },
            pk="inbox_id",
        )
        db.conn.execute("DELETE FROM warmup_daily WHERE inbox_id = ?", [inbox_id])
        db.conn.executemany(
            "INSERT OR REPLACE INTO warmup_daily (inbox_id, date, sent, spam_count)"
            " VALUES (?, ?, ?, ?)",
            daily,
        )
