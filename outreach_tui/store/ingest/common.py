"""Small pieces shared by the ingest modules: cached hashes, field reading."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.codec import content_hash
from outreach_tui.store.id_lists import in_chunks


def with_ids(items: Iterable[Any]) -> tuple[dict[str, Mapping[str, Any]], int]:
    """Index API objects by their string `id`; count the unusable ones (no id)."""
    by_id: dict[str, Mapping[str, Any]] = {}
    skipped = 0
    for item in items:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str) and item["id"]:
            by_id[item["id"]] = item
        else:
            skipped += 1
    return by_id, skipped


def cached_hashes(db: Database, table: str, ids: Sequence[str]) -> dict[str, str | None]:
    """id -> content_hash of the rows of `table` among `ids` that exist."""
    found: dict[str, str | None] = {}
    for chunk, marks in in_chunks(ids):
        found.update(
            db.conn.execute(
                f"SELECT id, content_hash FROM {table} WHERE id IN ({marks})", chunk
            ).fetchall()
        )
    return found


def hash_without(item: Mapping[str, Any], *keys: str) -> str:
    """The content hash of `item` ignoring top-level `keys` (parts other pulls own)."""
    return content_hash({k: v for k, v in item.items() if k not in keys})


def pick(mapping: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    """`mapping[key]` when it is of `kind`, else None (lenient about missing fields)."""
    if not isinstance(mapping, Mapping):
        return None
    value = mapping.get(key)
    if kind is int or kind == (int, float):
        # bool is an int subclass; a boolean is never a count
        return value if isinstance(value, kind) and not isinstance(value, bool) else None
    return value if isinstance(value, kind) else None


def flag(mapping: Any, key: str) -> int | None:
    """A boolean field as 0/1, None when absent."""
    value = pick(mapping, key, bool)
    return None if value is None else int(value)


def present(row: dict[str, Any]) -> dict[str, Any]:
    """`row` without the None values: columns the API did not send keep their value."""
    return {k: v for k, v in row.items() if v is not None}


def existing_ids(db: Database, table: str, ids: Sequence[str]) -> set[str]:
    """Those of `ids` that have a row in `table`."""
    found: set[str] = set()
    for chunk, marks in in_chunks(ids):
        found.update(
            r[0] for r in db.conn.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", chunk)
        )
    return found


def require_campaign(db: Database, campaign_id: str) -> None:
    """`KeyError` unless the campaign is cached (its children need it: foreign keys)."""
    if db.conn.execute("SELECT 1 FROM campaigns WHERE id = ?", [campaign_id]).fetchone() is None:
        raise KeyError(f"campaign {campaign_id} is not in the cache")
