"""Ingest of campaigns, their analytics, sequences and variants, and their inbox links.

Campaign list items omit `stats.daily` and `stats.sequences`; those come from the detail
(`GET /campaigns/:id`) or analytics pulls. The change hash therefore covers only the list
projection, so a list page after a detail pull still reads as unchanged. Fields the API
left out keep their cached value. Effective columns of rows with pending edits are
re-derived after the server columns are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.codec import content_hash, dumps
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.effective import marked_ids, refresh_rows
from outreach_tui.store.ingest.common import (
    cached_hashes,
    flag,
    hash_without,
    pick,
    present,
    require_campaign,
    with_ids,
)
from outreach_tui.store.ingest.result import IngestResult

_OPTIONS_INT = ("daily_limit",)
_OPTIONS_BOOL = (
    "stop_on_reply",
    "stop_on_company_reply",
    "text_only",
    "esp_matching",
    "unsubscribe_option",
)
_STATS_INT = (
    "progress",
    "sequence_steps",
    "leads_count",
    "sent",
    "contacted",
    "replies",
    "positive_replies",
    "bounced",
)
_STATS_FLOAT = ("reply_rate", "positive_reply_rate", "bounce_rate")
_NUMBER = (int, float)


def _stats_columns(stats: Any) -> dict[str, Any]:
    row: dict[str, Any] = {k: pick(stats, k, int) for k in _STATS_INT}
    row.update({k: pick(stats, k, _NUMBER) for k in _STATS_FLOAT})
    return present(row)


def campaign_row(item: Mapping[str, Any]) -> dict[str, Any]:
    """The `campaigns` columns carried by an API campaign (absent fields left out)."""
    row: dict[str, Any] = {"id": item["id"]}
    for key in ("name", "status"):
        if isinstance(item.get(key), str):
            row[key] = row[f"server_{key}"] = item[key]
    options = item.get("options")
    for key in _OPTIONS_INT:
        if (value := pick(options, key, int)) is not None:
            row[key] = row[f"server_{key}"] = value
    for key in _OPTIONS_BOOL:
        if (value := flag(options, key)) is not None:
            row[key] = row[f"server_{key}"] = value
    if isinstance(item.get("schedule"), Mapping):
        row["schedule"] = row["server_schedule"] = dumps(item["schedule"])
    row.update(_stats_columns(item.get("stats")))
    if (progress := pick(item, "progress", int)) is not None:
        row["progress"] = progress
    for key in ("created_at", "updated_at"):
        if isinstance(item.get(key), str):
            row[key] = item[key]
    return row


def _list_hash(item: Mapping[str, Any]) -> str:
    stats = item.get("stats")
    projection = dict(item)
    if isinstance(stats, Mapping):
        projection["stats"] = {k: v for k, v in stats.items() if k not in ("daily", "sequences")}
    return content_hash(projection)


def upsert_campaigns(db: Database, items: Iterable[Mapping[str, Any]]) -> IngestResult:
    """Store a page of API campaigns (list items or details); one transaction.

    Replaces each campaign's inbox links with its `inboxes` projection when present;
    a detail's `stats.daily` / `stats.sequences` are stored too.
    """
    by_id, skipped = with_ids(items)
    with write_transaction(db):
        cached = cached_hashes(db, "campaigns", list(by_id))
        new_ids, changed_ids, unchanged = [], [], 0
        for cid, item in by_id.items():
            digest = _list_hash(item)
            if cid in cached and cached[cid] == digest:
                unchanged += 1
            else:
                (changed_ids if cid in cached else new_ids).append(cid)
                db["campaigns"].upsert({**campaign_row(item), "content_hash": digest}, pk="id")
                if isinstance(item.get("inboxes"), list):
                    replace_campaign_inboxes(db, cid, item["inboxes"])
            stats = item.get("stats")
            if isinstance(stats, Mapping):
                _store_breakdowns(db, cid, stats)
        refresh_rows(db, "campaign", marked_ids(db, "campaign", new_ids + changed_ids))
    return IngestResult(tuple(new_ids), tuple(changed_ids), unchanged, skipped)


def upsert_campaign_detail(db: Database, item: Mapping[str, Any]) -> IngestResult:
    """Store one campaign from `GET /campaigns/:id` (daily and per-variant stats included)."""
    return upsert_campaigns(db, [item])


def _store_breakdowns(db: Database, campaign_id: str, stats: Mapping[str, Any]) -> None:
    if isinstance(stats.get("daily"), list):
        db.conn.execute("DELETE FROM campaign_daily WHERE campaign_id = ?", [campaign_id])
        db.conn.executemany(
            "INSERT OR REPLACE INTO campaign_daily (campaign_id, date, sent, replies)"
            " VALUES (?, ?, ?, ?)",
            [
                (campaign_id, d["date"], pick(d, "sent", int) or 0, pick(d, "replies", int) or 0)
                for d in stats["daily"]
                if isinstance(d, Mapping) and isinstance(d.get("date"), str)
            ],
        )
    if isinstance(stats.get("sequences"), list):
        db.conn.execute("DELETE FROM variant_stats WHERE campaign_id = ?", [campaign_id])
        rows = []
        for sequence in stats["sequences"]:
            if not isinstance(sequence, Mapping):
                continue
            for variant in sequence.get("variants") or []:
                if not isinstance(variant, Mapping) or not isinstance(variant.get("id"), str):
                    continue
                rows.append(
                    (
                        variant["id"],
                        campaign_id,
                        pick(sequence, "id", str),
                        pick(sequence, "step", int),
                        flag(variant, "enabled"),
                        pick(variant, "sent", int) or 0,
                        pick(variant, "replies", int) or 0,
                        pick(variant, "reply_rate", _NUMBER) or 0.0,
                        pick(variant, "positive_replies", int) or 0,
                        pick(variant, "positive_reply_rate", _NUMBER) or 0.0,
                    )
                )
        db.conn.executemany(
            "INSERT OR REPLACE INTO variant_stats (variant_id, campaign_id, sequence_id, step,"
            " enabled, sent, replies, reply_rate, positive_replies, positive_reply_rate)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def upsert_campaign_analytics(db: Database, campaign_id: str, analytics: Mapping[str, Any]) -> None:
    """Store `GET /campaigns/:id/analytics`: headline numbers, daily points, variant stats.

    Raises `KeyError` when the campaign is not cached (pull the campaign first).
    """
    with write_transaction(db):
        require_campaign(db, campaign_id)
        columns = _stats_columns(analytics)
        if columns:
            assignments = ", ".join(f"{k} = :{k}" for k in columns)
            db.conn.execute(
                f"UPDATE campaigns SET {assignments} WHERE id = :id", {**columns, "id": campaign_id}
            )
        _store_breakdowns(db, campaign_id, analytics)


def replace_campaign_inboxes(db: Database, campaign_id: str, inboxes: Iterable[Any]) -> None:
    """Make the campaign's inbox links the given projection (queued attach/detach kept)."""
    rows = [
        {
            "campaign_id": campaign_id,
            "inbox_id": i["id"],
            "email": pick(i, "email", str),
            "provider": pick(i, "provider", str),
            "is_active": flag(i, "is_active"),
            "connection_status": pick(i, "connection_status", str),
        }
        for i in inboxes
        if isinstance(i, Mapping) and isinstance(i.get("id"), str)
    ]
    keep = [r["inbox_id"] for r in rows]
    marks = ",".join("?" * len(keep))
    db.conn.execute(
        f"DELETE FROM campaign_inboxes WHERE campaign_id = ? AND pending_op IS NULL"
        f" AND inbox_id NOT IN ({marks})",
        [campaign_id, *keep],
    )
    if rows:
        db["campaign_inboxes"].upsert_all(rows, pk=("campaign_id", "inbox_id"))


def upsert_sequences(
    db: Database, campaign_id: str, items: Iterable[Mapping[str, Any]]
) -> IngestResult:
    """Store `GET /campaigns/:id/sequences`: the campaign's full list of steps and variants.

    Steps and variants the list no longer holds are removed, except local placeholders
    and rows with pending edits. Raises `KeyError` when the campaign is not cached.
    """
    by_id, skipped = with_ids(items)
    with write_transaction(db):
        require_campaign(db, campaign_id)
        cached = cached_hashes(db, "sequences", list(by_id))
        new_ids, changed_ids, unchanged = [], [], 0
        variant_ids: list[str] = []
        for sid, item in by_id.items():
            variants = [v for v in item.get("variants") or [] if isinstance(v, Mapping)]
            variant_ids.extend(v["id"] for v in variants if isinstance(v.get("id"), str))
            digest = hash_without(item)
            if cached.get(sid) == digest:
                unchanged += 1
                continue
            (changed_ids if sid in cached else new_ids).append(sid)
            store_sequence(db, campaign_id, item, digest)
        _drop_missing_children(db, campaign_id, list(by_id), variant_ids)
        touched = new_ids + changed_ids
        refresh_rows(db, "sequence", marked_ids(db, "sequence", touched))
        refresh_rows(db, "variant", marked_ids(db, "variant", variant_ids))
    return IngestResult(tuple(new_ids), tuple(changed_ids), unchanged, skipped)


def store_sequence(
    db: Database, campaign_id: str, item: Mapping[str, Any], digest: str | None = None
) -> None:
    """Write one API sequence and its variants (server and effective columns)."""
    delay = pick(item, "delay_days", int)
    db["sequences"].upsert(
        {
            "id": item["id"],
            "campaign_id": campaign_id,
            "step": pick(item, "step", int) or 0,
            "delay_days": delay,
            "server_delay_days": delay,
            "content_hash": digest or hash_without(item),
            "is_local": 0,
        },
        pk="id",
    )
    for position, variant in enumerate(item.get("variants") or []):
        if isinstance(variant, Mapping) and isinstance(variant.get("id"), str):
            store_variant(db, campaign_id, item["id"], variant, position)


def store_variant(
    db: Database,
    campaign_id: str,
    sequence_id: str,
    item: Mapping[str, Any],
    position: int | None = None,
) -> None:
    """Write one API variant; fields the API left out keep their cached value."""
    row: dict[str, Any] = {
        "id": item["id"],
        "sequence_id": sequence_id,
        "campaign_id": campaign_id,
        "is_local": 0,
    }
    if position is not None:
        row["position"] = position
    if isinstance(item.get("letter"), str):
        row["letter"] = item["letter"]
    for key in ("subject", "body_html"):
        if key in item and (item[key] is None or isinstance(item[key], str)):
            row[key] = row[f"server_{key}"] = item[key]
    if "body_text" in item and (item["body_text"] is None or isinstance(item["body_text"], str)):
        row["body_text"] = item["body_text"]
    if (enabled := flag(item, "enabled")) is not None:
        row["enabled"] = row["server_enabled"] = enabled
    db["variants"].upsert(row, pk="id")


def _drop_missing_children(
    db: Database, campaign_id: str, sequence_ids: list[str], variant_ids: list[str]
) -> None:
    keep_marks = ",".join("?" * len(sequence_ids))
    db.conn.execute(
        f"DELETE FROM sequences WHERE campaign_id = ? AND is_local = 0"
        f" AND local_state IS NULL AND id NOT IN ({keep_marks})"
        # a step holding user work stays (its variants would go with it)
        " AND NOT EXISTS (SELECT 1 FROM variants v WHERE v.sequence_id = sequences.id"
        " AND (v.local_state IS NOT NULL OR v.is_local = 1))",
        [campaign_id, *sequence_ids],
    )
    variant_marks = ",".join("?" * len(variant_ids))
    db.conn.execute(
        f"DELETE FROM variants WHERE campaign_id = ? AND is_local = 0"
        f" AND local_state IS NULL AND id NOT IN ({variant_marks})",
        [campaign_id, *variant_ids],
    )
