"""Snoozing conversations: hidden from the lists until a time, then back on top.

Like snippets, snoozes are local to the cache (the API has no such field): no outbox,
nothing to push, and they survive restarts because they are rows. A snoozed
conversation comes back (its `snoozes` row goes) in three ways:
- its time comes (`wake_due`, run by the TUI on a timer and by `inbox list`): its
  `returned_at` becomes that time, lifting its `last_activity` so it sorts on top of
  everything older;
- a new incoming message arrives (ingest: `ingest.conversations`): the message's own
  time puts it on top;
- the person wakes it (`wake`): back now, on top.
Undo (`restore`) puts snoozes back as they were, without moving anything.

Times are UTC text in `codec.sortable_time` form, so they compare as text with
`last_activity`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from outreach_tui.store import search
from outreach_tui.store.codec import sortable_time
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.edits.common import EditError
from outreach_tui.store.id_lists import in_chunks
from outreach_tui.store.queries.snoozes import snoozed_until

# (conversation id, until, snoozed_at) as a snooze was before an action; until None:
# it was not snoozed. What `restore` takes to undo.
SnoozeState = tuple[str, str | None, str | None]


def _seqs(db: Database, conversation_ids: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk, marks in in_chunks(conversation_ids):
        found.update(
            db.conn.execute(
                f"SELECT id, seq FROM conversations WHERE id IN ({marks})", chunk
            ).fetchall()
        )
    return found


def states(db: Database, conversation_ids: Sequence[str]) -> list[SnoozeState]:
    """How `conversation_ids` are snoozed now, for `restore`."""
    current = snoozed_until(db, conversation_ids)
    return [(cid, *current.get(cid, (None, None))) for cid in conversation_ids]


def checked_times(until: str, now: str) -> tuple[str, str]:
    """`until` and `now` in the stored form; `EditError` unless the snooze ends after now."""
    until, now = sortable_time(until), sortable_time(now)
    if not until or until <= now:
        raise EditError("a snooze must end in the future")
    return until, now


def snooze(db: Database, conversation_ids: Sequence[str], until: str, now: str) -> int:
    """Snooze `conversation_ids` until `until` (a later snooze replaces an earlier one).

    Returns how many were found. Raises `EditError` for a time not after `now`.
    """
    until, now = checked_times(until, now)
    with write_transaction(db):
        seqs = _seqs(db, conversation_ids)
        db.conn.executemany(
            "INSERT INTO snoozes (seq, until, snoozed_at) VALUES (?, ?, ?)"
            " ON CONFLICT (seq) DO UPDATE SET until = excluded.until,"
            " snoozed_at = excluded.snoozed_at",
            [(seq, until, now) for seq in seqs.values()],
        )
    return len(seqs)


def wake(db: Database, conversation_ids: Sequence[str], now: str) -> int:
    """End the snoozes of `conversation_ids` at once; they come back on top (at `now`).
    Returns how many were snoozed."""
    now = sortable_time(now)
    with write_transaction(db):
        seqs = _seqs(db, list(snoozed_until(db, conversation_ids)))
        _return(db, [(seq, now) for seq in seqs.values()])
    return len(seqs)


def wake_due(db: Database, now: str) -> list[str]:
    """Bring back every conversation whose snooze ended by `now`, each on top as of
    its own `until`. Returns their ids (empty, and nothing written, when none is due)."""
    now = sortable_time(now)
    if db.conn.execute("SELECT 1 FROM snoozes WHERE until <= ? LIMIT 1", [now]).fetchone() is None:
        return []
    with write_transaction(db):
        due = db.conn.execute(
            "SELECT s.seq, s.until, c.id FROM snoozes s JOIN conversations c ON c.seq = s.seq"
            " WHERE s.until <= ?",
            [now],
        ).fetchall()
        _return(db, [(seq, until) for seq, until, _ in due])
    return [cid for _, _, cid in due]


def _return(db: Database, returns: Sequence[tuple[int, str]]) -> None:
    """Delete the snoozes of (seq, at) pairs and lift each conversation to `at`."""
    if not returns:
        return
    seqs = [seq for seq, _ in returns]
    db.conn.executemany("DELETE FROM snoozes WHERE seq = ?", [(seq,) for seq in seqs])
    with search.keys_moving(db, seqs):  # the search key follows last_activity
        db.conn.executemany(
            "UPDATE conversations SET returned_at = ?, last_activity = MAX(last_activity, ?)"
            " WHERE seq = ?",
            [(at, at, seq) for seq, at in returns],
        )


def restore(db: Database, previous: Iterable[SnoozeState]) -> None:
    """Put snoozes back as `states` read them (undo); nothing moves in the lists."""
    previous = list(previous)
    with write_transaction(db):
        seqs = _seqs(db, [cid for cid, _, _ in previous])
        for cid, until, snoozed_at in previous:
            seq = seqs.get(cid)
            if seq is None:
                continue
            if until is None:
                db.conn.execute("DELETE FROM snoozes WHERE seq = ?", [seq])
            else:
                db.conn.execute(
                    "INSERT OR REPLACE INTO snoozes (seq, until, snoozed_at) VALUES (?, ?, ?)",
                    [seq, until, snoozed_at or until],
                )
