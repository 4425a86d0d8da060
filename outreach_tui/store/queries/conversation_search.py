"""Conversation windows, counts and positions under search text: walks of the
full-text index in recency order (`search.newest_matches`), whatever the number of
matches; the filter's other conditions are checked on each walked row."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from outreach_tui.store.queries.conversation_plan import ROW_COLUMNS, FilterPlan, row_of
from outreach_tui.store.records import ConversationCursor, ConversationRow
from outreach_tui.store.search import (
    SEARCH_KEY_SQL,
    SEQ_SPAN,
    bucket_sql,
    newest_matches,
    oldest_matches,
)


def search_rows(
    db: Database,
    plan: FilterPlan,
    *,
    after: ConversationCursor | None = None,
    before: ConversationCursor | None = None,
    skip: int = 0,
    limit: int,
) -> list[ConversationRow]:
    """A window of a search by a walk of the full-text index (`plan.search` set)."""
    assert plan.search is not None
    if before is not None:
        found = oldest_matches(
            db,
            ROW_COLUMNS,
            plan.search,
            where=plan.rest,
            params=plan.rest_params,
            newer_than=(before.last_activity, before.id),
            limit=limit,
        )
        return [row_of(r[3:]) for r in reversed(found)]
    found = newest_matches(
        db,
        ROW_COLUMNS,
        plan.search,
        where=plan.rest,
        params=plan.rest_params,
        older_than=(after.last_activity, after.id) if after is not None else None,
        skip=skip,
        limit=limit,
    )
    return [row_of(r[3:]) for r in found]


def count_matches(
    db: Database, plan: FilterPlan, newer_than: ConversationCursor | None = None
) -> int:
    """Matches of a search under the filter's other conditions (one pass over the
    matches; without other conditions the index counts them alone), newer than
    `newer_than` when given."""
    if plan.rest == "1" and newer_than is None:
        sql = "SELECT COUNT(*) FROM conversation_fts WHERE conversation_fts MATCH ?"
        return db.conn.execute(sql, [plan.search]).fetchone()[0]
    sql = (
        "SELECT COUNT(*) FROM conversation_fts f"
        f" CROSS JOIN conversations c ON c.seq = f.rowid % {SEQ_SPAN}"
        f" WHERE f.conversation_fts MATCH ? AND ({plan.rest})"
    )
    params: list[Any] = [plan.search, *plan.rest_params]
    if newer_than is not None:
        sql += (
            f" AND f.rowid >= {bucket_sql('?')} * {SEQ_SPAN} AND (c.last_activity, c.id) > (?, ?)"
        )
        params += [newer_than.last_activity, newer_than.last_activity, newer_than.id]
    return db.conn.execute(sql, params).fetchone()[0]


def search_position(db: Database, plan: FilterPlan, conversation_id: str) -> int | None:
    """`conversation_position` under a search: the row's own document is looked up by
    its key (not the whole match set), then the newer matches are counted."""
    found = db.conn.execute(
        f"SELECT c.last_activity, c.id, {SEARCH_KEY_SQL} FROM conversations c"
        f" WHERE ({plan.rest}) AND c.id = ?",
        [*plan.rest_params, conversation_id],
    ).fetchone()
    if found is None:
        return None
    matches = db.conn.execute(
        "SELECT 1 FROM conversation_fts WHERE conversation_fts MATCH ? AND rowid = ?",
        [plan.search, found[2]],
    ).fetchone()
    if matches is None:
        return None
    return count_matches(db, plan, newer_than=ConversationCursor(found[0], found[1]))
