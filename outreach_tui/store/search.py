"""Full-text search over conversations (FTS5): one document per conversation.

The document holds the subject, the message text bodies (capped) and the people: sender
name and email and every participant's name and email. Ingest keeps it in step with the
conversation in the same transaction, except a sync's pages: their documents wait in
`search_pending` and go into the index in batches (`DeferredIndex`).

Its rowid is the conversation's *search key* (`SEARCH_KEY_SQL`): the second of its
`last_activity` in the high bits, its `seq` in the low `SEQ_BITS`. FTS5 walks a match
set in rowid order, so "the newest matches first" is a walk of the index from the top
that stops after a page, whatever the number of matches (`newest_matches`),
and `rowid % SEQ_SPAN` is the conversation's `seq` (a primary-key lookup). The text
is kept in `conversation_search` (seq, key, subject, body, people), the index's external
content table, appended in seq order. The key must follow `last_activity`: whoever
changes it unindexes the document first and indexes it again after.

User text is never handed to FTS5 as query syntax: `fts_query` turns it into quoted
phrases (AND-ed, the last one a prefix), so `"`, `AND(`, `*` or `-` are just text.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Final, Literal

from sqlite_utils import Database

from outreach_tui.store.id_lists import in_chunks

# A 1-2 letter prefix matches a large part of the vocabulary; below this length the last
# word must match whole. 3-letter prefixes have their own index (`prefix = '3'`).
MIN_PREFIX_CHARS = 3
# Below this many matches the offset list of `queries.conversations` (`ConversationList`,
# which still pages with the whole match set) drives a search from the matches.
DRIVE_FROM_MATCHES_BELOW = 2000

SEQ_BITS: Final = 28
SEQ_SPAN: Final = 1 << SEQ_BITS  # 268,435,456 conversations before keys could collide
_MAX_SECOND: Final = (1 << 35) - 1  # year 3058: the key stays below 2**63


def bucket_sql(time_expr: str) -> str:
    """SQL for the second of an ISO-8601 time (0 for '' or before 1970, capped)."""
    return f"MIN(MAX(CAST(COALESCE(strftime('%s', {time_expr}), 0) AS INTEGER), 0), {_MAX_SECOND})"


# The search key of conversation row `c`: monotonic in `last_activity` (ties inside one
# second are sorted exactly by the readers), unique through `seq`.
SEARCH_KEY_SQL: Final = f"({bucket_sql('c.last_activity')} * {SEQ_SPAN} + c.seq % {SEQ_SPAN})"


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for arbitrary user text; None when nothing to match.

    Each whitespace-separated word becomes a quoted phrase (quotes doubled), words are
    AND-ed, and the last one matches as a prefix (search as you type) once it has
    `MIN_PREFIX_CHARS` letters or digits. Words without a letter or digit are dropped:
    they hold no token and would match nothing.
    """
    # Control characters (NUL above all: SQLite ends the string there) become spaces.
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return fts_phrases(text.split(), prefix_last=True)


def fts_phrases(terms: Sequence[str], *, prefix_last: bool) -> str | None:
    """A safe FTS5 MATCH expression that needs every one of `terms` (a word, or several
    words that must appear together); the last one also matches as a prefix when
    `prefix_last` and it is one word of `MIN_PREFIX_CHARS` letters or digits. None when
    no term holds a letter or digit."""
    kept = [t for t in terms if any(ch.isalnum() for ch in t)]
    if not kept:
        return None
    phrases = ['"' + " ".join(t.split()).replace('"', '""') + '"' for t in kept]
    last = kept[-1]
    if (
        prefix_last
        and " " not in last.strip()
        and sum(ch.isalnum() for ch in last) >= (MIN_PREFIX_CHARS)
    ):
        phrases[-1] += " *"
    return " ".join(phrases)


def _keys(db: Database, seqs: Sequence[int]) -> dict[int, int]:
    """seq -> search key of the conversations `seqs`, as their rows are now."""
    found: dict[int, int] = {}
    for chunk, marks in in_chunks(seqs):
        found.update(
            db.conn.execute(
                f"SELECT c.seq, {SEARCH_KEY_SQL} FROM conversations c WHERE c.seq IN ({marks})",
                chunk,
            )
        )
    return found


def index_documents(db: Database, documents: Iterable[tuple[int, str, str, str]]) -> None:
    """Insert (seq, subject, body, people) documents; call `unindex` first for updates.

    The conversation rows must be written already: the key comes from their
    `last_activity`. The text goes to `conversation_search` (the index's content table)
    and the index, both in ascending key order: FTS5 flushes its pending terms whenever
    a rowid lower than the previous one arrives, and a page in random order would write
    a tiny segment per document. Inside `deferred_indexing` the index part waits: the
    keys go to `search_pending` and the documents into the index with the next batch.
    """
    docs = list(documents)
    if not docs:
        return
    keys = _keys(db, [d[0] for d in docs])
    rows = sorted((keys[seq], seq, subject, body, people) for seq, subject, body, people in docs)
    db.conn.executemany(
        "INSERT INTO conversation_search (key, seq, subject, body, people) VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    deferral = _DEFERRALS.get(id(db.conn))
    if deferral is not None:
        db.conn.executemany(
            "INSERT INTO search_pending (key) VALUES (?)", [(row[0],) for row in rows]
        )
        deferral.pending += len(rows)
        return
    db.conn.executemany(
        "INSERT INTO conversation_fts (rowid, subject, body, people) VALUES (?, ?, ?, ?)",
        [(key, subject, body, people) for key, _seq, subject, body, people in rows],
    )


def unindex(db: Database, seqs: Sequence[int]) -> None:
    """Remove the documents of conversations `seqs` (before the rows change or go).

    The index forgets a document's terms by reading its text back from
    `conversation_search` (by key), so the text row goes last. A document still waiting
    in `search_pending` was never in the index: only its key and text go (FTS5 would
    corrupt its index "deleting" terms it does not hold).
    """
    for chunk, marks in in_chunks(seqs):
        keys = sorted(
            r[0]
            for r in db.conn.execute(
                f"SELECT key FROM conversation_search WHERE seq IN ({marks})", chunk
            )
        )
        if keys:
            key_marks = ",".join("?" * len(keys))
            waiting = {
                r[0]
                for r in db.conn.execute(
                    f"SELECT key FROM search_pending WHERE key IN ({key_marks})", keys
                )
            }
            if waiting:
                db.conn.execute(f"DELETE FROM search_pending WHERE key IN ({key_marks})", keys)
                keys = [key for key in keys if key not in waiting]
        if keys:
            key_marks = ",".join("?" * len(keys))
            db.conn.execute(f"DELETE FROM conversation_fts WHERE rowid IN ({key_marks})", keys)
        db.conn.execute(f"DELETE FROM conversation_search WHERE seq IN ({marks})", chunk)


@contextlib.contextmanager
def keys_moving(db: Database, seqs: Sequence[int]) -> Iterator[None]:
    """Around a change of `last_activity` that keeps the text (a snoozed conversation
    coming back): the documents of `seqs` leave the index before and return under
    their new keys after."""
    documents: list[tuple[int, str, str, str]] = []
    for chunk, marks in in_chunks(seqs):
        documents += db.conn.execute(
            f"SELECT seq, subject, body, people FROM conversation_search WHERE seq IN ({marks})",
            chunk,
        ).fetchall()
    unindex(db, seqs)
    yield
    index_documents(db, documents)


# Documents a sync holds back before they go into the index together (see
# `deferred_indexing`): 20 pages of 100. FTS5 makes a segment of every ~1 MB of pending
# terms (~600 documents here) whatever the batch; past that, a bigger batch only makes a
# search miss more of the conversations just stored, for a few seconds.
DEFERRED_BATCH: Final = 2000


class DeferredIndex:
    """Search documents held back from the index and put into it in batches.

    Documents that `index_documents` stores inside `holding()` (a sync's pages) get
    their text and their keys in `search_pending` in the page's transaction, and go into
    the index `batch` at a time (`index_pending_when_due`, after a page's transaction)
    and when the `with` block of this object ends, however it ends. Outside `holding()`
    (an edit made between two pages) documents are indexed with their transaction.
    `deferred_indexing` holds everything inside its block.
    """

    def __init__(self, db: Database, batch: int = DEFERRED_BATCH) -> None:
        self.db = db
        self.batch = batch
        self.pending = 0

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Hold the documents stored inside back (joins a hold already on)."""
        key = id(self.db.conn)
        if key in _DEFERRALS:
            yield
            return
        _DEFERRALS[key] = self
        try:
            yield
        finally:
            del _DEFERRALS[key]

    def __enter__(self) -> DeferredIndex:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if error is None:
            if has_pending(self.db):
                index_pending(self.db)
            return
        # Index what was stored before the failure if the database lets us; if not, the
        # documents wait in `search_pending` for the next open (`connection.open_writer`).
        with contextlib.suppress(sqlite3.Error):
            if not self.db.conn.in_transaction and has_pending(self.db):
                index_pending(self.db)


# Writer connections (by id) holding documents back. A writer is used by one thread at
# a time, and so is this entry.
_DEFERRALS: dict[int, DeferredIndex] = {}


# The documents waiting in `search_pending` into the index, in key order (then empty it).
INDEX_PENDING_SQL: Final = (
    "INSERT INTO conversation_fts (rowid, subject, body, people)"
    " SELECT s.key, s.subject, s.body, s.people"
    " FROM search_pending p CROSS JOIN conversation_search s ON s.key = p.key"
    " ORDER BY p.key"
)


def _insert_pending(db: Database) -> int:
    count: int = db.conn.execute(INDEX_PENDING_SQL).rowcount
    db.conn.execute("DELETE FROM search_pending")
    deferral = _DEFERRALS.get(id(db.conn))
    if deferral is not None:
        deferral.pending = 0
    return count


def has_pending(db: Database) -> bool:
    """True when some stored documents are not in the index yet (a sync is between two
    batches, or one was killed before its last batch)."""
    return db.conn.execute("SELECT 1 FROM search_pending LIMIT 1").fetchone() is not None


def index_pending(db: Database) -> int:
    """Put the documents waiting in `search_pending` into the index, in key order, and
    forget them, in one transaction (the caller's when one is open); returns how many."""
    conn = db.conn
    if conn.in_transaction:
        return _insert_pending(db)
    conn.execute("BEGIN IMMEDIATE")
    try:
        count = _insert_pending(db)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return count


def index_pending_when_due(db: Database) -> None:
    """Inside `deferred_indexing`, after a page's transaction: index the documents held
    back once there are a batch of them (in a transaction of its own)."""
    deferral = _DEFERRALS.get(id(db.conn))
    if deferral is not None and deferral.pending >= deferral.batch:
        index_pending(db)


@contextlib.contextmanager
def deferred_indexing(db: Database, batch: int = DEFERRED_BATCH) -> Iterator[DeferredIndex]:
    """Hold back the search documents stored inside the block, index them `batch` at a
    time and all of them when it ends (`DeferredIndex`, holding the whole block).

    Each page's rows, text and `search_pending` keys still commit together, so nothing is
    lost on a crash (opening the cache indexes what was left waiting); the index gets a
    few big sorted batches instead of a small segment per page. A search meanwhile misses
    the conversations stored since the last batch, at most `batch`. Nested in another
    hold, it joins it.
    """
    outer = _DEFERRALS.get(id(db.conn))
    if outer is not None:  # nested: the outer block's batches
        yield outer
        return
    with DeferredIndex(db, batch) as deferred, deferred.holding():
        yield deferred


# Rows fetched past a page to see where its last second ends (see `_walk`).
_SLACK = 16


def _walk(
    db: Database,
    columns: str,
    query: str,
    where: str,
    params: Sequence[object],
    *,
    descending: bool,
    bound: tuple[str, str] | None,
    count: int,
) -> list[tuple[object, ...]]:
    """The first `count` rows of `columns` (conversation `c`) matching `query` and
    `where`, in exact (last_activity, id) order, past `bound` in that direction.

    The walk follows the index's rowid (the search key), which orders by the second of
    `last_activity` only; rows of one second may come in any order. So the walk reads a
    few rows past the page and, when the page's last second goes on beyond them, reads
    that whole second too; the rows are then sorted exactly. Each returned tuple starts
    with (key, last_activity, id).
    """
    lt, ge = ("<", ">=") if descending else (">=", "<")
    sql = (
        f"SELECT f.rowid, c.last_activity, c.id, {columns} FROM conversation_fts f"
        f" CROSS JOIN conversations c ON c.seq = f.rowid % {SEQ_SPAN}"
        f" WHERE f.conversation_fts MATCH ? AND ({where})"
    )
    args: list[object] = [query, *params]
    if bound is not None:
        second = db.conn.execute(f"SELECT {bucket_sql('?')}", [bound[0]]).fetchone()[0]
        edge = (second + 1) * SEQ_SPAN if descending else second * SEQ_SPAN
        sql += (
            f" AND f.rowid {lt} ? AND (c.last_activity, c.id) {'<' if descending else '>'} (?, ?)"
        )
        args += [edge, bound[0], bound[1]]
    order = " ORDER BY f.rowid DESC" if descending else " ORDER BY f.rowid ASC"
    rows = db.conn.execute(sql + order + " LIMIT ?", [*args, count + _SLACK]).fetchall()
    if len(rows) == count + _SLACK:
        last_second = rows[count - 1][0] // SEQ_SPAN
        if rows[-1][0] // SEQ_SPAN == last_second:
            # The page's last second continues past the slack: read all of it.
            edge = last_second * SEQ_SPAN if descending else (last_second + 1) * SEQ_SPAN
            rows = db.conn.execute(sql + f" AND f.rowid {ge} ?" + order, [*args, edge]).fetchall()
    rows.sort(key=lambda r: (r[1], r[2]), reverse=descending)
    return rows[:count]


def newest_matches(
    db: Database,
    columns: str,
    query: str,
    *,
    where: str = "1",
    params: Sequence[object] = (),
    older_than: tuple[str, str] | None = None,
    skip: int = 0,
    limit: int = 50,
) -> list[tuple[object, ...]]:
    """Rows [skip, skip + limit) of the conversations matching FTS `query` and `where`
    (SQL on alias `c`), newest first, older than `older_than` (last_activity, id) when
    given. Reads about `skip + limit` documents whatever the number of matches.

    Each tuple is (search key, last_activity, id, *columns).
    """
    rows = _walk(
        db, columns, query, where, params, descending=True, bound=older_than, count=skip + limit
    )
    return rows[skip:]


def oldest_matches(
    db: Database,
    columns: str,
    query: str,
    *,
    where: str = "1",
    params: Sequence[object] = (),
    newer_than: tuple[str, str],
    limit: int = 50,
) -> list[tuple[object, ...]]:
    """Like `newest_matches` the other way: the `limit` matches just newer than
    `newer_than`, oldest first."""
    return _walk(db, columns, query, where, params, descending=False, bound=newer_than, count=limit)


def search_conversations(
    db: Database,
    text: str,
    *,
    limit: int = 50,
    order: Literal["recency", "rank"] = "recency",
) -> list[str]:
    """Ids of conversations matching `text`, newest first or best match (bm25) first.

    Empty or punctuation-only text matches nothing. For a filtered, scrollable result
    use `queries.conversation_window` with `ConversationFilter(search=...)`.
    """
    query = fts_query(text)
    if query is None:
        return []
    if order == "rank":
        sql = (
            "SELECT c.id FROM conversation_fts f"
            f" CROSS JOIN conversations c ON c.seq = f.rowid % {SEQ_SPAN}"
            " WHERE f.conversation_fts MATCH ? ORDER BY f.rank LIMIT ?"
        )
        return [r[0] for r in db.conn.execute(sql, [query, limit])]
    return [str(row[2]) for row in newest_matches(db, "1", query, limit=limit)]
