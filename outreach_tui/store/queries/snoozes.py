"""Reading snoozes (see `store.edits.snooze`): when the next one is due, which
conversations are snoozed and until when."""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from outreach_tui.store.id_lists import in_chunks

# The rows the lists hide (every view but the Snoozed one), as SQL on alias `c`.
SNOOZED_SQL = "c.seq IN (SELECT seq FROM snoozes)"


def any_snoozed(db: Database) -> bool:
    """True when some conversation is snoozed (the lists skip the test otherwise)."""
    return db.conn.execute("SELECT 1 FROM snoozes LIMIT 1").fetchone() is not None


def count_snoozed(db: Database) -> int:
    """Number of snoozed conversations (the Snoozed tab's count)."""
    return db.conn.execute("SELECT COUNT(*) FROM snoozes").fetchone()[0]


def next_wake(db: Database) -> str | None:
    """The earliest `until` of all snoozes (UTC text), None when nothing is snoozed."""
    return db.conn.execute("SELECT MIN(until) FROM snoozes").fetchone()[0]


def snoozed_until(db: Database, conversation_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """id -> (until, snoozed_at) of the snoozed conversations among `conversation_ids`."""
    found: dict[str, tuple[str, str]] = {}
    for chunk, marks in in_chunks(conversation_ids):
        for cid, until, snoozed_at in db.conn.execute(
            "SELECT c.id, s.until, s.snoozed_at FROM snoozes s"
            f" JOIN conversations c ON c.seq = s.seq WHERE c.id IN ({marks})",
            chunk,
        ):
            found[cid] = (until, snoozed_at)
    return found
