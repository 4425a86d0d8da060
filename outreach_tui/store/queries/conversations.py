"""Read queries of the conversation screens: keyset windows, offsets, counts, threads.

The default order is `last_activity` descending, `id` descending as the tie-break. Every
filter column is the effective one (pending edits included) and each filter has an index
that leads with it, so a window costs the same at 100 or 100,000 conversations. With
search text, windows, offsets and positions walk the full-text index in recency order
instead (`search.newest_matches`): a page costs about the same for a word in every
conversation as for a rare one. Sorting by sender, label or subject
(`ConversationFilter.sort`) walks that column's index once it is built
(`store.sort_index`), or sorts the filter's rows until then. These functions only read:
run them on a reader connection (`connection.open_reader`).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.codec import loads
from outreach_tui.store.connection import data_version
from outreach_tui.store.fields import LABEL_NONE
from outreach_tui.store.queries.conversation_plan import (
    ROW_COLUMNS,
    FilterPlan,
    plan_for,
    row_of,
)
from outreach_tui.store.queries.conversation_search import (
    count_matches,
    search_position,
    search_rows,
)
from outreach_tui.store.records import (
    AttachmentRow,
    ConversationCursor,
    ConversationFilter,
    ConversationRow,
    LabelCounts,
    MessageRow,
    Thread,
)
from outreach_tui.store.sort_index import sort_value


def cursor_of(row: ConversationRow, flt: ConversationFilter) -> ConversationCursor:
    """`row`'s position in the list's order under `flt` (for `conversation_window`)."""
    return ConversationCursor(row.last_activity, row.id, sort_value(row, flt.sort))


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
    plan = plan_for(db, flt, probe_search=False)
    if plan.walks_search:
        return search_rows(db, plan, after=after, before=before, limit=limit)
    if before is not None:
        keyset, params = plan.beyond(before, backward=True)
        sql = (
            f"SELECT {ROW_COLUMNS} FROM conversations c WHERE {plan.where}{keyset}"
            f" {plan.asc()} LIMIT ?"
        )
        rows = db.conn.execute(sql, [*plan.params, *params, limit])
        return [row_of(r) for r in reversed(rows.fetchall())]
    keyset, params = "", []
    if after is not None:
        keyset, params = plan.beyond(after)
    sql = (
        f"SELECT {ROW_COLUMNS} FROM conversations c WHERE {plan.where}{keyset}"
        f" {plan.desc()} LIMIT ?"
    )
    return [row_of(r) for r in db.conn.execute(sql, [*plan.params, *params, limit])]


def _count(db: Database, plan: FilterPlan, extra: str = "", params: Sequence[Any] = ()) -> int:
    """COUNT(*) of the rows `plan` shows, narrowed by `extra` (" AND …" with `params`).

    When the plan hides snoozed conversations, every row's test against `snoozes` cost
    ~40 ms per 800,000 rows (measured at 1,000,000): the rows are counted without it and
    the few snoozed ones among them subtracted.
    """
    if plan.awake_where is None:
        sql = f"SELECT COUNT(*) FROM conversations c WHERE {plan.where}{extra}"
        return db.conn.execute(sql, [*plan.params, *params]).fetchone()[0]
    every = f"SELECT COUNT(*) FROM conversations c WHERE {plan.awake_where}{extra}"
    snoozed = (
        "SELECT COUNT(*) FROM snoozes s CROSS JOIN conversations c ON c.seq = s.seq"
        f" WHERE {plan.awake_where}{extra}"
    )
    values = [*plan.params, *params]
    return (
        db.conn.execute(every, values).fetchone()[0]
        - (db.conn.execute(snoozed, values).fetchone()[0])
    )


def count_conversations(
    db: Database,
    flt: ConversationFilter = ConversationFilter(),  # noqa: B008
) -> int:
    """Number of conversations under `flt`."""
    plan = plan_for(db, flt, probe_search=False)
    if plan.search is not None:
        return count_matches(db, plan)
    return _count(db, plan)


def label_counts(
    db: Database,
    flt: ConversationFilter = ConversationFilter(),  # noqa: B008
) -> LabelCounts:
    """Counts for the sidebar/tabs of a filter (see `LabelCounts`)."""
    plan = plan_for(db, flt, with_label=False)
    by_label = {
        (label if label is not None else LABEL_NONE): n
        for label, n in db.conn.execute(
            f"SELECT c.label, COUNT(*) FROM conversations c WHERE {plan.where} GROUP BY c.label",
            plan.params,
        )
    }
    unread = _count(db, plan_for(db, flt, with_unread=False), " AND c.is_read = 0")
    return LabelCounts(total=count_conversations(db, flt), unread=unread, by_label=by_label)


def matching_condition(db: Database, flt: ConversationFilter) -> tuple[str, list[Any]]:
    """(SQL condition over `conversations c`, its parameters): the rows `flt` shows, for
    statements that act on all of them at once (`edits.bulk`)."""
    plan = plan_for(db, flt)
    return plan.where, plan.params


def get_conversation(db: Database, conversation_id: str) -> ConversationRow | None:
    """One conversation's list row, or None."""
    values = db.conn.execute(
        f"SELECT {ROW_COLUMNS} FROM conversations c WHERE c.id = ?", [conversation_id]
    ).fetchone()
    return row_of(values) if values else None


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
        if flt.sort != "date" or flt.sort_reversed:
            raise ValueError("ConversationList keeps keys in date order only")
        self.db = db
        self.filter = flt
        self.step = step
        self._keys: list[ConversationCursor] = []
        self._complete = False  # every key up to the end is known
        self._total: int | None = None
        self._plan: FilterPlan | None = None
        self._version: tuple[int, int] | None = None

    def _current_plan(self) -> FilterPlan:
        version = (data_version(self.db), self.db.conn.total_changes)
        if version != self._version or self._plan is None:
            self._plan = plan_for(self.db, self.filter)
            self._keys, self._complete, self._total = [], False, None
            self._version = version
        return self._plan

    def _key_after(self, plan: FilterPlan, start: ConversationCursor | None, skip: int) -> bool:
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

    def _extend(self, plan: FilterPlan, *, block: int | None = None, down_to: Any = None) -> None:
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
            self._total = _count(self.db, plan)
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
            f"SELECT {ROW_COLUMNS} FROM conversations c WHERE {plan.where}"
            f" AND ({plan.la}, {plan.cid}) <= (?, ?) {plan.desc()} LIMIT ? OFFSET ?"
        )
        cursor = self.db.conn.execute(
            sql, [*plan.params, start.last_activity, start.id, limit, offset - block * self.step]
        )
        return [row_of(r) for r in cursor]

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
    plan = plan_for(db, flt, probe_search=False)
    if plan.walks_search:
        return search_rows(db, plan, skip=max(offset, 0), limit=max(limit, 0))
    sql = (
        f"SELECT {ROW_COLUMNS} FROM conversations c WHERE {plan.where} {plan.desc()}"
        " LIMIT ? OFFSET ?"
    )
    return [row_of(r) for r in db.conn.execute(sql, [*plan.params, max(limit, 0), max(offset, 0)])]


def conversation_position(
    db: Database,
    conversation_id: str,
    flt: ConversationFilter = ConversationFilter(),  # noqa: B008
) -> int | None:
    """The offset of a conversation in the list under `flt`; None when the filter
    excludes it. One indexed range count: cheap near the top, O(offset) at worst."""
    plan = plan_for(db, flt, probe_search=False)
    if plan.walks_search:
        return search_position(db, plan, conversation_id)
    found = db.conn.execute(
        f"SELECT c.last_activity, c.id, {plan.key or 'NULL'} FROM conversations c"
        f" WHERE {plan.where} AND c.id = ?",
        [*plan.params, conversation_id],
    ).fetchone()
    if found is None:
        return None
    cursor = ConversationCursor(*found)
    if plan.key is None:
        keyset, params = plan.beyond(cursor, backward=True)
        return db.conn.execute(
            f"SELECT COUNT(*) FROM conversations c WHERE {plan.where}{keyset}",
            [*plan.params, *params],
        ).fetchone()[0]
    # Two range counts on the column's index (rows of smaller value, then the row's
    # equals above it): one count with an OR read every row before (100 ms at 100,000).
    before = "<" if not plan.reverse else ">"
    smaller = db.conn.execute(
        f"SELECT COUNT(*) FROM conversations c WHERE {plan.where} AND {plan.key} {before} ?",
        [*plan.params, cursor.sort_value],
    ).fetchone()[0]
    equal_above = db.conn.execute(
        f"SELECT COUNT(*) FROM conversations c WHERE {plan.where} AND {plan.key} = ?"
        f" AND ({plan.la}, {plan.cid}) > (?, ?)",  # equals run newest first
        [*plan.params, cursor.sort_value, cursor.last_activity, cursor.id],
    ).fetchone()[0]
    return smaller + equal_above


def next_unread(
    db: Database, flt: ConversationFilter, after: ConversationCursor | None
) -> tuple[str, int] | None:
    """(id, position under `flt`) of the first unread conversation below `after` in the
    list, wrapping around to the top; None when nothing under `flt` is unread."""
    return _next_within(db, flt, replace(flt, unread=True), after)


def next_needing_decision(
    db: Database, flt: ConversationFilter, after: ConversationCursor | None
) -> tuple[str, int] | None:
    """(id, position under `flt`) of the first conversation below `after` that still
    needs a decision (no label of the user's, an AI label in `NEEDS_DECISION_LABELS`),
    wrapping around to the top; None when there is none under `flt`."""
    return _next_within(db, flt, replace(flt, needs_decision=True), after)


def _next_within(
    db: Database,
    flt: ConversationFilter,
    narrowed: ConversationFilter,
    after: ConversationCursor | None,
) -> tuple[str, int] | None:
    """The first row of `narrowed` (a narrowing of `flt`) below `after`, else its first
    row; with its position in the list under `flt`."""
    rows = conversation_window(db, narrowed, after=after, limit=1) if after is not None else []
    if not rows:
        rows = conversation_window(db, narrowed, limit=1)
    if not rows:
        return None
    position = conversation_position(db, rows[0].id, flt)
    return None if position is None else (rows[0].id, position)


def unread_by_folder(db: Database, folders: Sequence[str]) -> dict[str | None, int]:
    """Unread conversations in each of `folders`, and in all of them under None (the
    folder tabs' counts; each an indexed range count). Snoozed ones are not counted."""
    counts: dict[str | None, int] = {}
    for folder in (*folders, None):
        counts[folder] = _count(db, plan_for(db, ConversationFilter(folder=folder, unread=True)))
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
