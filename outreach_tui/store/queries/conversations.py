"""Read queries of the conversation screens: keyset windows, offsets, counts, threads.

Order everywhere: `last_activity` descending, `id` descending as the tie-break. Every
filter column is the effective one (pending edits included) and each filter has an index
that leads with it, so a window costs the same at 100 or 100,000 conversations. With
search text, windows, offsets and positions walk the full-text index in recency order
instead (`search.newest_matches`): a page costs about the same for a word in every
conversation as for a rare one. These functions only read: run them on a reader
connection (`connection.open_reader`).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.codec import loads
from outreach_tui.store.connection import data_version
from outreach_tui.store.fields import LABEL_NONE
from outreach_tui.store.records import (
    AttachmentRow,
    ConversationCursor,
    ConversationFilter,
    ConversationRow,
    LabelCounts,
    MessageRow,
    Thread,
)
from outreach_tui.store.search import (
    DRIVE_FROM_MATCHES_BELOW,
    SEARCH_KEY_SQL,
    SEQ_SPAN,
    bucket_sql,
    fts_query,
    newest_matches,
    oldest_matches,
)

_ROW_COLUMNS = (
    "c.id, c.folder, c.subject, c.snippet, c.sender_email, c.sender_name, c.label,"
    " c.ai_label, c.label_override, c.is_read, c.is_positive, c.last_activity,"
    " c.message_count, c.campaign_id, c.inbox_id, c.lead_id, c.local_state, c.is_local"
)
# Below this many matches a search is driven from the FTS matches (see `_plan`).
SEARCH_DRIVE_LIMIT = DRIVE_FROM_MATCHES_BELOW


def _row(values: tuple[Any, ...]) -> ConversationRow:
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
class _Plan:
    """The SQL of a filter: conditions on alias `c`, their parameters, and the column
    expressions to order and page by."""

    where: str
    params: list[Any]
    # "+c.col" stops SQLite from walking an index for that column; see `_plan`.
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


def _plan(
    db: Database,
    flt: ConversationFilter,
    *,
    with_label: bool = True,
    with_unread: bool = True,
    probe_search: bool = True,
) -> _Plan:
    """The SQL for a filter.

    With search text SQLite cannot know how many conversations match, and picks one plan
    for all: walking the recency index and probing the matches is fast for common words
    but scans the whole folder for rare ones. So the matches are counted first (capped)
    and, when few, the query is driven from them (`+c.col` disables the other indexes)
    and sorted: measured at 100,000 conversations, median 0.8 ms instead of 7.6 ms.
    (That choice is for the `ConversationList` and the counts; windows, offsets and
    positions with search text walk the full-text index, see `_search_rows`, and pass
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
    return _Plan(
        " AND ".join(parts) or "1",
        params,
        f"{col}last_activity",
        f"{col}id",
        search_query,
        rest,
        rest_params,
    )


def _search_rows(
    db: Database,
    plan: _Plan,
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
            _ROW_COLUMNS,
            plan.search,
            where=plan.rest,
            params=plan.rest_params,
            newer_than=(before.last_activity, before.id),
            limit=limit,
        )
        return [_row(r[3:]) for r in reversed(found)]
    found = newest_matches(
        db,
        _ROW_COLUMNS,
        plan.search,
        where=plan.rest,
        params=plan.rest_params,
        older_than=(after.last_activity, after.id) if after is not None else None,
        skip=skip,
        limit=limit,
    )
    return [_row(r[3:]) for r in found]


def conversation_window(
    db: Database,
    flt: ConversationFilter = ConversationFilter(),  # noqa: B008 - frozen, shared safely
    *,
    after: ConversationCursor | None = None,
    before: ConversationCursor | None = None,
    limit: int = 50,
) -> list[ConversationRow]:
    """Up to `limit` rows in display order, just after `after` (older rows) or just
    before `before` (newer rows); the first rows when neither is given."""
    if after is not None and before is not None:
        raise ValueError("give after or before, not both")
    plan = _plan(db, flt, probe_search=False)
    if plan.search is not None:
        return _search_rows(db, plan, after=after, before=before, limit=limit)
    if before is not None:
        sql = (
            f"SELECT {_ROW_COLUMNS} FROM conversations c WHERE {plan.where}"
            f" AND ({plan.la}, {plan.cid}) > (?, ?) {plan.asc()} LIMIT ?"
        )
        rows = db.conn.execute(sql, [*plan.params, before.last_activity, before.id, limit])
        return [_row(r) for r in reversed(rows.fetchall())]
    keyset, params = "", plan.params
    if after is not None:
        keyset = f" AND ({plan.la}, {plan.cid}) < (?, ?)"
        params = [*params, after.last_activity, after.id]
    sql = (
        f"SELECT {_ROW_COLUMNS} FROM conversations c WHERE {plan.where}{keyset}"
        f" {plan.desc()} LIMIT ?"
    )
    return [_row(r) for r in db.conn.execute(sql, [*params, limit])]


def count_conversations(
    db: Database,
    flt: ConversationFilter = ConversationFilter(),  # noqa: B008
) -> int:
    """Number of conversations under `flt`."""
    plan = _plan(db, flt, probe_search=False)
    if plan.search is not None:
        return _count_matches(db, plan)
    return db.conn.execute(
        f"SELECT COUNT(*) FROM conversations c WHERE {plan.where}", plan.params
    ).fetchone()[0]


def _count_matches(db: Database, plan: _Plan, newer_than: ConversationCursor | None = None) -> int:
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


def label_counts(
    db: Database,
    flt: ConversationFilter = ConversationFilter(),  # noqa: B008
) -> LabelCounts:
    """Counts for the sidebar/tabs of a filter (see `LabelCounts`)."""
    plan = _plan(db, flt, with_label=False)
    by_label = {
        (label if label is not None else LABEL_NONE): n
        for label, n in db.conn.execute(
            f"SELECT c.label, COUNT(*) FROM conversations c WHERE {plan.where} GROUP BY c.label",
            plan.params,
        )
    }
    plan = _plan(db, flt, with_unread=False)
    unread = db.conn.execute(
        f"SELECT COUNT(*) FROM conversations c WHERE {plan.where} AND c.is_read = 0",
        plan.params,
    ).fetchone()[0]
    return LabelCounts(total=count_conversations(db, flt), unread=unread, by_label=by_label)


def get_conversation(db: Database, conversation_id: str) -> ConversationRow | None:
    """One conversation's list row, or None."""
    values = db.conn.execute(
        f"SELECT {_ROW_COLUMNS} FROM conversations c WHERE c.id = ?", [conversation_id]
    ).fetchone()
    return _row(values) if values else None


def thread(db: Database, conversation_id: str) -> Thread | None:
    """A conversation with its messages and attachments; queued replies come last,
    carrying their outbox state. None when the conversation is not cached."""
    conversation = get_conversation(db, conversation_id)
    if conversation is None:
        return None
    attachments: dict[int, list[AttachmentRow]] = {}
    for position, aid, filename, content_type, size in db.conn.execute(
        "SELECT message_position, id, filename, content_type, size FROM attachments"
        " WHERE conversation_id = ? ORDER BY message_position, rowid",
        [conversation_id],
    ):
        attachments.setdefault(position, []).append(
            AttachmentRow(aid, filename, content_type, size)
        )
    messages = []
    for r in db.conn.execute(
        "SELECT m.position, m.direction, m.inbox_id, m.subject, m.text_body, m.html_body,"
        " m.from_email, m.to_recipients, m.cc_recipients, m.bcc_recipients, m.email_date,"
        " m.is_read, m.outbox_id, o.state FROM messages m"
        " LEFT JOIN outbox o ON o.id = m.outbox_id"
        " WHERE m.conversation_id = ? ORDER BY m.position",
        [conversation_id],
    ):
        messages.append(
            MessageRow(
                position=r[0],
                direction=r[1],
                inbox_id=r[2],
                subject=r[3],
                text_body=r[4],
                html_body=r[5],
                from_email=r[6],
                to_recipients=tuple(loads(r[7], [])),
                cc_recipients=tuple(loads(r[8], [])),
                bcc_recipients=tuple(loads(r[9], [])),
                email_date=r[10],
                is_read=bool(r[11]),
                attachments=tuple(attachments.get(r[0], ())),
                outbox_id=r[12],
                outbox_state=r[13],
            )
        )
    return Thread(conversation, tuple(messages))


class ConversationList:
    """Offset access to a filtered list, for a virtual scroll view.

    `rows(offset, n)` costs about the same at offset 99,900 as at 0: the key of every
    `step`-th row is kept, and a read starts from the nearest kept key with an OFFSET
    below `step`. Keys are found lazily, each from the previous one by one indexed
    `LIMIT 1 OFFSET step` (the first jump to the end of 100,000 rows costs one index
    scan, ~10 ms; later reads anywhere cost < 1 ms). Everything is dropped after any
    commit (`PRAGMA data_version`, or this connection's own changes, moved).
    """

    def __init__(self, db: Database, flt: ConversationFilter, *, step: int = 256) -> None:
        self.db = db
        self.filter = flt
        self.step = step
        self._keys: list[ConversationCursor] = []
        self._complete = False  # every key up to the end is known
        self._total: int | None = None
        self._plan: _Plan | None = None
        self._version: tuple[int, int] | None = None

    def _current_plan(self) -> _Plan:
        version = (data_version(self.db), self.db.conn.total_changes)
        if version != self._version or self._plan is None:
            self._plan = _plan(self.db, self.filter)
            self._keys, self._complete, self._total = [], False, None
            self._version = version
        return self._plan

    def _key_after(self, plan: _Plan, start: ConversationCursor | None, skip: int) -> bool:
        """Append the key `skip` rows after `start` (the first row when None)."""
        keyset, params = "", list(plan.params)
        if start is not None:
            keyset = f" AND ({plan.la}, {plan.cid}) <= (?, ?)"
            params += [start.last_activity, start.id]
        found = self.db.conn.execute(
            f"SELECT c.last_activity, c.id FROM conversations c WHERE {plan.where}{keyset}"
            f" {plan.desc()} LIMIT 1 OFFSET ?",
            [*params, skip],
        ).fetchone()
        if found is None:
            self._complete = True
            return False
        self._keys.append(ConversationCursor(*found))
        return True

    def _extend(self, plan: _Plan, *, block: int | None = None, down_to: Any = None) -> None:
        """Find keys until block `block` is known, or until a key <= `down_to`."""
        while not self._complete:
            if block is not None and len(self._keys) > block:
                return
            if down_to is not None and self._keys and self._keys[-1] <= down_to:
                return
            if not self._keys:
                self._key_after(plan, None, 0)
            else:
                self._key_after(plan, self._keys[-1], self.step)

    def __len__(self) -> int:
        plan = self._current_plan()
        if self._total is None:
            self._total = self.db.conn.execute(
                f"SELECT COUNT(*) FROM conversations c WHERE {plan.where}", plan.params
            ).fetchone()[0]
        return self._total

    def rows(self, offset: int, limit: int) -> list[ConversationRow]:
        """Rows [offset, offset + limit) of the list (fewer at the end)."""
        plan = self._current_plan()
        if offset < 0 or limit <= 0:
            return []
        block = offset // self.step
        self._extend(plan, block=block)
        if block >= len(self._keys):
            return []
        start = self._keys[block]
        sql = (
            f"SELECT {_ROW_COLUMNS} FROM conversations c WHERE {plan.where}"
            f" AND ({plan.la}, {plan.cid}) <= (?, ?) {plan.desc()} LIMIT ? OFFSET ?"
        )
        cursor = self.db.conn.execute(
            sql, [*plan.params, start.last_activity, start.id, limit, offset - block * self.step]
        )
        return [_row(r) for r in cursor]

    def index_of(self, conversation_id: str) -> int | None:
        """The offset of a conversation in the list, None when the filter excludes it."""
        plan = self._current_plan()
        found = self.db.conn.execute(
            f"SELECT c.last_activity, c.id FROM conversations c WHERE {plan.where} AND c.id = ?",
            [*plan.params, conversation_id],
        ).fetchone()
        if found is None:
            return None
        key = ConversationCursor(*found)
        self._extend(plan, down_to=key)
        # Keys run newest first; the row's block starts at the last key >= the row's key.
        ascending = self._keys[::-1]
        at_or_after = len(self._keys) - bisect.bisect_left(ascending, key)
        block = max(at_or_after - 1, 0)
        start = self._keys[block]
        inside = self.db.conn.execute(
            f"SELECT COUNT(*) FROM conversations c WHERE {plan.where}"
            f" AND ({plan.la}, {plan.cid}) <= (?, ?) AND ({plan.la}, {plan.cid}) > (?, ?)",
            [*plan.params, start.last_activity, start.id, key.last_activity, key.id],
        ).fetchone()[0]
        return block * self.step + inside


def conversations_at(
    db: Database,
    flt: ConversationFilter = ConversationFilter(),  # noqa: B008
    *,
    offset: int,
    limit: int,
) -> list[ConversationRow]:
    """Rows [offset, offset + limit) under `flt`, by plain OFFSET.

    Costs O(offset) (an index scan): for a far jump in a list with nothing cached near
    it; neighbouring pages are cheaper through `conversation_window(after=/before=)`.
    """
    plan = _plan(db, flt, probe_search=False)
    if plan.search is not None:
        return _search_rows(db, plan, skip=max(offset, 0), limit=max(limit, 0))
    sql = (
        f"SELECT {_ROW_COLUMNS} FROM conversations c WHERE {plan.where} {plan.desc()}"
        " LIMIT ? OFFSET ?"
    )
    return [_row(r) for r in db.conn.execute(sql, [*plan.params, max(limit, 0), max(offset, 0)])]


def conversation_position(
    db: Database,
    conversation_id: str,
    flt: ConversationFilter = ConversationFilter(),  # noqa: B008
) -> int | None:
    """The offset of a conversation in the list under `flt`; None when the filter
    excludes it. One indexed range count: cheap near the top, O(offset) at worst."""
    plan = _plan(db, flt, probe_search=False)
    if plan.search is not None:
        return _search_position(db, plan, conversation_id)
    found = db.conn.execute(
        f"SELECT c.last_activity, c.id FROM conversations c WHERE {plan.where} AND c.id = ?",
        [*plan.params, conversation_id],
    ).fetchone()
    if found is None:
        return None
    return db.conn.execute(
        f"SELECT COUNT(*) FROM conversations c WHERE {plan.where}"
        f" AND ({plan.la}, {plan.cid}) > (?, ?)",
        [*plan.params, found[0], found[1]],
    ).fetchone()[0]


def _search_position(db: Database, plan: _Plan, conversation_id: str) -> int | None:
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
    return _count_matches(db, plan, newer_than=ConversationCursor(found[0], found[1]))


def next_unread(
    db: Database, flt: ConversationFilter, after: ConversationCursor | None
) -> tuple[str, int] | None:
    """(id, position under `flt`) of the first unread conversation below `after` in the
    list, wrapping around to the top; None when nothing under `flt` is unread."""
    unread = replace(flt, unread=True)
    rows = conversation_window(db, unread, after=after, limit=1) if after is not None else []
    if not rows:
        rows = conversation_window(db, unread, limit=1)
    if not rows:
        return None
    position = conversation_position(db, rows[0].id, flt)
    return None if position is None else (rows[0].id, position)


def unread_by_folder(db: Database, folders: Sequence[str]) -> dict[str | None, int]:
    """Unread conversations in each of `folders`, and in all of them under None (the
    folder tabs' counts; each an indexed range count)."""
    counts: dict[str | None, int] = {}
    for folder in folders:
        counts[folder] = db.conn.execute(
            "SELECT COUNT(*) FROM conversations WHERE folder = ? AND is_read = 0", [folder]
        ).fetchone()[0]
    counts[None] = db.conn.execute(
        "SELECT COUNT(*) FROM conversations WHERE is_read = 0"
    ).fetchone()[0]
    return counts


def latest_activity(db: Database) -> str | None:
    """The newest `last_activity` in the cache (None when empty)."""
    return db.conn.execute("SELECT MAX(last_activity) FROM conversations").fetchone()[0]


def count_unread_since(db: Database, since: str) -> int:
    """Unread conversations whose last activity is newer than `since` (new replies)."""
    return db.conn.execute(
        "SELECT COUNT(*) FROM conversations WHERE last_activity > ? AND is_read = 0", [since]
    ).fetchone()[0]


def any_campaign_linked(db: Database) -> bool:
    """True when some conversation is linked to a campaign (its lead has been pulled).

    One probe of the campaign index: cheap at any size."""
    return (
        db.conn.execute(
            "SELECT 1 FROM conversations WHERE campaign_id IS NOT NULL LIMIT 1"
        ).fetchone()
        is not None
    )
