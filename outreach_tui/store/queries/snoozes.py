"""Reading snoozes (see `store.edits.snooze`): when the next one is due, which
conversations are snoozed and until when."""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

_CHUNK = 500

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
    for start in range(0, len(conversation_ids), _CHUNK):
        chunk = list(conversation_ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        for cid, until, snoozed_at in db.conn.execute(
            "SELECT c.id, s.until, s.snoozed_at FROM snoozes s"
            f" JOIN conversations c ON c.seq = s.seq WHERE c.id IN ({marks})",
            chunk,
        ):
            found[cid] = (until, snoozed_at)
    return found
