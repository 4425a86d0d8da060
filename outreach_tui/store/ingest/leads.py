"""Ingest of leads (per campaign) and blocklist entries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.codec import as_bool, dumps
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.effective import marked_ids, refresh_rows
from outreach_tui.store.id_lists import in_chunks
from outreach_tui.store.ingest.common import (
    cached_hashes,
    existing_ids,
    hash_without,
    pick,
    require_campaign,
    with_ids,
)
from outreach_tui.store.ingest.result import IngestResult


def lead_row(campaign_id: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """The `leads` columns of an API lead."""
    variables = item.get("variables")
    return {
        "id": item["id"],
        "campaign_id": campaign_id,
        "email": pick(item, "email", str) or "",
        "first_name": pick(item, "first_name", str),
        "last_name": pick(item, "last_name", str),
        "status": pick(item, "status", str),
        "is_bounced": as_bool(item.get("is_bounced")),
        "is_unsubscribed": as_bool(item.get("is_unsubscribed")),
        "provider": pick(item, "provider", str),
        "variables": dumps(variables if isinstance(variables, Mapping) else {}),
        # '' rather than NULL: the leads list pages by (created_at, id) row values.
        "created_at": pick(item, "created_at", str) or "",
        "updated_at": pick(item, "updated_at", str),
        "is_local": 0,
    }


def upsert_leads(
    db: Database, campaign_id: str, items: Iterable[Mapping[str, Any]]
) -> IngestResult:
    """Store a page of `GET /campaigns/:id/leads`; one transaction.

    Conversations of these leads get their `campaign_id` (the API does not give it).
    Raises `KeyError` when the campaign is not cached.
    """
    by_id, skipped = with_ids(items)
    with write_transaction(db):
        require_campaign(db, campaign_id)
        cached = cached_hashes(db, "leads", list(by_id))
        rows, new_ids, changed_ids = [], [], []
        for lid, item in by_id.items():
            digest = hash_without(item)
            if cached.get(lid) == digest:
                continue
            (changed_ids if lid in cached else new_ids).append(lid)
            rows.append({**lead_row(campaign_id, item), "content_hash": digest})
        if rows:
            db["leads"].upsert_all(rows, pk="id")
        for chunk, marks in in_chunks(list(by_id)):
            db.conn.execute(
                f"UPDATE conversations SET campaign_id = ? WHERE lead_id IN ({marks})"
                f" AND campaign_id IS NOT ?",
                [campaign_id, *chunk, campaign_id],
            )
        refresh_rows(db, "lead", marked_ids(db, "lead", new_ids + changed_ids))
    return IngestResult(tuple(new_ids), tuple(changed_ids), len(by_id) - len(rows), skipped)


def upsert_blocklist(db: Database, items: Iterable[Mapping[str, Any]]) -> IngestResult:
    """Store a page of `GET /blocklist` entries; one transaction."""
    by_id, skipped = with_ids(items)
    with write_transaction(db):
        existing = existing_ids(db, "blocklist", list(by_id))
        rows = [
            {
                "id": bid,
                "email": pick(item, "email", str) or "",
                "created_at": pick(item, "created_at", str),
                "is_local": 0,
            }
            for bid, item in by_id.items()
        ]
        if rows:
            db["blocklist"].upsert_all(rows, pk="id")
    new_ids = tuple(bid for bid in by_id if bid not in existing)
    return IngestResult(new_ids, (), len(by_id) - len(new_ids), skipped)
