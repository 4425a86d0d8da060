"""Triage edits on every conversation a filter shows ("all matching"), with one undo.

A filter can match 100,000 conversations: none of them is loaded as a row. The ids and
the values an undo needs are copied into a TEMP table of the writer connection, by one
INSERT … SELECT on the filter's own condition; the edits then walk that table and queue
one outbox item per changed conversation, all in one transaction. `undo_batch` puts the
copied values back the same way. TEMP tables live as long as the writer connection: an
undo is for this session (the outbox keeps every change either way). A snooze is local
(`edits.snooze`): it is one INSERT … SELECT into `snoozes`, and its undo puts back the
snoozes the batch replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.connection import write_transaction
from outreach_tui.store.edits.common import EditError, edit_field
from outreach_tui.store.edits.conversations import label_one
from outreach_tui.store.edits.snooze import checked_times
from outreach_tui.store.fields import LABELS
from outreach_tui.store.queries.conversations import matching_condition
from outreach_tui.store.records import ConversationFilter

_BATCHES = count(1)
_TABLE = "temp.bulk_undo"


def _snapshot(db: Database, flt: ConversationFilter) -> int:
    """Copy the ids and undo values of `flt`'s rows into a new batch; its number."""
    db.conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bulk_undo (batch INTEGER, id TEXT,"
        " label_override TEXT, is_read INTEGER, snooze_until TEXT, snoozed_at TEXT)"
    )
    batch = next(_BATCHES)
    where, params = matching_condition(db, flt)
    db.conn.execute(
        f"INSERT INTO {_TABLE} (batch, id, label_override, is_read, snooze_until, snoozed_at)"
        f" SELECT ?, c.id, c.label_override, c.is_read, s.until, s.snoozed_at"
        f" FROM conversations c LEFT JOIN snoozes s ON s.seq = c.seq WHERE {where}",
        [batch, *params],
    )
    return batch


def _each(db: Database, batch: int, apply: Callable[[str, Any, Any], Any]) -> int:
    """Run `apply(id, label_override, is_read)` for each row of `batch`; how many
    queued a change."""
    changed = 0
    rows = db.conn.execute(
        f"SELECT id, label_override, is_read FROM {_TABLE} WHERE batch = ? ORDER BY rowid",
        [batch],
    )
    for conversation_id, override, is_read in rows:  # streamed, never all in memory
        if apply(conversation_id, override, is_read) is not None:
            changed += 1
    return changed


def label_matching(db: Database, flt: ConversationFilter, label: str | None) -> tuple[int, int]:
    """Set (None: clear) the label override of every conversation `flt` shows.
    Returns (batch for `undo_batch`, conversations changed)."""
    if label is not None and label not in LABELS:
        raise EditError(f"unknown label {label!r}; expected one of: {', '.join(LABELS)}")
    with write_transaction(db):
        batch = _snapshot(db, flt)
        changed = _each(db, batch, lambda cid, _o, _r: label_one(db, cid, label))
    return batch, changed


def read_matching(db: Database, flt: ConversationFilter, is_read: bool) -> tuple[int, int]:
    """Mark every conversation `flt` shows read or unread. Returns (batch, changed)."""
    with write_transaction(db):
        batch = _snapshot(db, flt)
        changed = _each(
            db, batch, lambda cid, _o, _r: edit_field(db, "conversation", cid, "is_read", is_read)
        )
    return batch, changed


def snooze_matching(db: Database, flt: ConversationFilter, until: str, now: str) -> tuple[int, int]:
    """Snooze every conversation `flt` shows until `until` (a later snooze replaces an
    earlier one). Returns (batch, conversations snoozed); `EditError` for a time not
    after `now`."""
    until, now = checked_times(until, now)
    with write_transaction(db):
        batch = _snapshot(db, flt)
        # rowcount counts the snoozes an upsert replaced as well as the new ones.
        changed = db.conn.execute(
            "INSERT INTO snoozes (seq, until, snoozed_at)"
            f" SELECT c.seq, ?, ? FROM {_TABLE} b JOIN conversations c ON c.id = b.id"
            " WHERE b.batch = ? ON CONFLICT (seq) DO UPDATE SET until = excluded.until,"
            " snoozed_at = excluded.snoozed_at",
            [until, now, batch],
        ).rowcount
    return batch, changed


def _unsnooze(db: Database, batch: int) -> None:
    """The snoozes of `batch`'s rows as they were before it (nothing moves in the lists)."""
    rows = f"SELECT c.seq FROM {_TABLE} b JOIN conversations c ON c.id = b.id WHERE b.batch = ?"
    db.conn.execute(f"DELETE FROM snoozes WHERE seq IN ({rows})", [batch])
    db.conn.execute(
        "INSERT INTO snoozes (seq, until, snoozed_at)"
        f" SELECT c.seq, b.snooze_until, b.snoozed_at FROM {_TABLE} b"
        " JOIN conversations c ON c.id = b.id"
        " WHERE b.batch = ? AND b.snooze_until IS NOT NULL",
        [batch],
    )


def undo_batch(db: Database, batch: int, what: str) -> int:
    """Put back `what` ("label", "read" or "snooze") as it was before `batch`; the batch
    is then forgotten. Returns how many conversations it covered (a change still queued
    is cancelled out rather than queued back)."""
    with write_transaction(db):
        covered = db.conn.execute(
            f"SELECT COUNT(*) FROM {_TABLE} WHERE batch = ?", [batch]
        ).fetchone()[0]
        if what == "label":
            _each(db, batch, lambda cid, override, _r: label_one(db, cid, override))
        elif what == "snooze":
            _unsnooze(db, batch)
        else:
            _each(
                db,
                batch,
                lambda cid, _o, was_read: edit_field(
                    db, "conversation", cid, "is_read", bool(was_read)
                ),
            )
        db.conn.execute(f"DELETE FROM {_TABLE} WHERE batch = ?", [batch])
    return covered
