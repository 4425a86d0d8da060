"""The SQL of a conversation filter (`plan_for`) and the list row it selects (`row_of`).

Shared by the read queries of `conversations` and the search walk of
`conversation_search`: the conditions on alias `c`, their parameters, the order, and,
for search text, the FTS query apart from the other conditions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.fields import LABEL_NONE
from outreach_tui.store.records import ConversationFilter, ConversationRow
from outreach_tui.store.search import DRIVE_FROM_MATCHES_BELOW, SEQ_SPAN, fts_query

ROW_COLUMNS = (
    "c.id, c.folder, c.subject, c.snippet, c.sender_email, c.sender_name, c.label,"
    " c.ai_label, c.label_override, c.is_read, c.is_positive, c.last_activity,"
    " c.message_count, c.campaign_id, c.inbox_id, c.lead_id, c.local_state, c.is_local"
)
# Below this many matches a search is driven from the FTS matches (see `plan_for`).
SEARCH_DRIVE_LIMIT = DRIVE_FROM_MATCHES_BELOW


def row_of(values: tuple[Any, ...]) -> ConversationRow:
    return ConversationRow(
        id=values[0],
        folder=values[1],
        subject=values[2],
        snippet=values[3],
        sender_email=values[4],
        sender_name=values[5],
        label=values[6],
        ai_label=values[7],
        label_override=values[8],
        is_read=bool(values[9]),
        is_positive=bool(values[10]),
        last_activity=values[11],
        message_count=values[12],
        campaign_id=values[13],
        inbox_id=values[14],
        lead_id=values[15],
        local_state=values[16],
        is_local=bool(values[17]),
    )


@dataclass(frozen=True)
class FilterPlan:
    """The SQL of a filter: conditions on alias `c`, their parameters, and the column
    expressions to order and page by."""

    where: str
    params: list[Any]
    # "+c.col" stops SQLite from walking an index for that column; see `plan_for`.
    la: str = "c.last_activity"
    cid: str = "c.id"
    # The FTS query of the search text (None without one), and the filter's other
    # conditions and parameters (what `where` holds besides the search).
    search: str | None = None
    rest: str = "1"
    rest_params: tuple[Any, ...] = ()

    def desc(self) -> str:
        return f"ORDER BY {self.la} DESC, {self.cid} DESC"

    def asc(self) -> str:
        return f"ORDER BY {self.la} ASC, {self.cid} ASC"


def _search_matches(db: Database, query: str, cap: int) -> int:
    """Number of documents matching `query`, counted up to `cap` (cheap below it)."""
    return db.conn.execute(
        "SELECT COUNT(*) FROM (SELECT 1 FROM conversation_fts WHERE conversation_fts MATCH ?"
        " LIMIT ?)",
        [query, cap],
    ).fetchone()[0]


def plan_for(
    db: Database,
    flt: ConversationFilter,
    *,
    with_label: bool = True,
    with_unread: bool = True,
    probe_search: bool = True,
) -> FilterPlan:
    """The SQL for a filter.

    With search text SQLite cannot know how many conversations match, and picks one plan
    for all: walking the recency index and probing the matches is fast for common words
    but scans the whole folder for rare ones. So the matches are counted first (capped)
    and, when few, the query is driven from them (`+c.col` disables the other indexes)
    and sorted: measured at 100,000 conversations, median 0.8 ms instead of 7.6 ms.
    (That choice is for the `ConversationList` and the counts; windows, offsets and
    positions with search text walk the full-text index (`conversation_search`) and pass
    `probe_search=False`: the count would cost more than their walk.)
    """
    drive = False
    search_query: str | None = None
    if flt.search is not None and flt.search.strip():
        search_query = fts_query(flt.search)
        if search_query is not None and probe_search:
            drive = _search_matches(db, search_query, SEARCH_DRIVE_LIMIT + 1) <= (
                SEARCH_DRIVE_LIMIT
            )
    col = "+c." if drive else "c."
    parts: list[str] = []
    params: list[Any] = []
    if flt.folder is not None:
        parts.append(f"{col}folder = ?")
        params.append(flt.folder)
    chosen = flt.label_choice if with_label else ()
    if chosen:
        named = [label for label in chosen if label != LABEL_NONE]
        tests = [f"{col}label IS NULL"] if LABEL_NONE in chosen else []
        if len(named) == 1:
            tests.append(f"{col}label = ?")
        elif named:
            tests.append(f"{col}label IN ({', '.join('?' * len(named))})")
        params.extend(named)
        parts.append(tests[0] if len(tests) == 1 else f"({' OR '.join(tests)})")
    if with_unread and flt.unread:
        parts.append(f"{col}is_read = 0")
    if flt.campaign_id is not None:
        parts.append(f"{col}campaign_id = ?")
        params.append(flt.campaign_id)
    if flt.inbox_id is not None:
        parts.append(f"{col}inbox_id = ?")
        params.append(flt.inbox_id)
    rest, rest_params = " AND ".join(parts) or "1", tuple(params)
    if flt.search is not None and flt.search.strip():
        if search_query is None:
            parts.append("0")  # only punctuation: nothing can match
        else:
            parts.append(
                f"c.seq IN (SELECT rowid % {SEQ_SPAN} FROM conversation_fts"
                " WHERE conversation_fts MATCH ?)"
            )
            params.append(search_query)
    return FilterPlan(
        " AND ".join(parts) or "1",
        params,
        f"{col}last_activity",
        f"{col}id",
        search_query,
        rest,
        rest_params,
    )
