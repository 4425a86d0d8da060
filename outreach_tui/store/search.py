"""Full-text search over conversations (FTS5): one document per conversation.

The document (rowid = `conversations.seq`) holds the subject, the message text bodies
(capped) and the people: sender name and email and every participant's name and email.
Ingest keeps it in step with the conversation in the same transaction.

User text is never handed to FTS5 as query syntax: `fts_query` turns it into quoted
phrases (AND-ed, the last one a prefix), so `"`, `AND(`, `*` or `-` are just text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from sqlite_utils import Database

_CHUNK = 500
# A 1-2 letter prefix matches a large part of the vocabulary and costs ~100 ms at 100,000
# conversations; below this length the last word must match whole.
MIN_PREFIX_CHARS = 3
# Below this many matches a recency-ordered search sorts the matches instead of walking
# the recency index (measured at 100,000 conversations: both plans < 1 ms on their side).
DRIVE_FROM_MATCHES_BELOW = 2000


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for arbitrary user text; None when nothing to match.

    Each whitespace-separated word becomes a quoted phrase (quotes doubled), words are
    AND-ed, and the last one matches as a prefix (search as you type) once it has
    `MIN_PREFIX_CHARS` letters or digits. Words without a letter or digit are dropped:
    they hold no token and would match nothing.
    """
    # Control characters (NUL above all: SQLite ends the string there) become spaces.
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    if not words:
        return None
    phrases = ['"' + w.replace('"', '""') + '"' for w in words]
    if sum(ch.isalnum() for ch in words[-1]) >= MIN_PREFIX_CHARS:
        phrases[-1] += " *"
    return " ".join(phrases)


def index_documents(db: Database, documents: Iterable[tuple[int, str, str, str]]) -> None:
    """Insert (seq, subject, body, people) documents; call `unindex` first for updates."""
    db.conn.executemany(
        "INSERT INTO conversation_fts (rowid, subject, body, people) VALUES (?, ?, ?, ?)",
        documents,
    )


def unindex(db: Database, seqs: Sequence[int]) -> None:
    """Remove the documents of conversations `seqs`."""
    for start in range(0, len(seqs), _CHUNK):
        chunk = list(seqs[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        db.conn.execute(f"DELETE FROM conversation_fts WHERE rowid IN ({marks})", chunk)


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
            "SELECT c.id FROM conversation_fts f JOIN conversations c ON c.seq = f.rowid"
            " WHERE conversation_fts MATCH ? ORDER BY f.rank LIMIT ?"
        )
    else:
        # Few matches: sort them (`+` keeps SQLite off the recency index). Many: walk the
        # recency index and stop at `limit` matches. See `queries._plan`.
        few = (
            db.conn.execute(
                "SELECT COUNT(*) FROM (SELECT 1 FROM conversation_fts"
                " WHERE conversation_fts MATCH ? LIMIT ?)",
                [query, DRIVE_FROM_MATCHES_BELOW + 1],
            ).fetchone()[0]
            <= DRIVE_FROM_MATCHES_BELOW
        )
        plus = "+" if few else ""
        sql = (
            "SELECT c.id FROM conversations c WHERE c.seq IN"
            " (SELECT rowid FROM conversation_fts WHERE conversation_fts MATCH ?)"
            f" ORDER BY {plus}c.last_activity DESC, c.id DESC LIMIT ?"
        )
    return [r[0] for r in db.conn.execute(sql, [query, limit])]
