"""The request pace learned from each server, kept for the next sync of the profile.

The API client learns how fast a server lets it go (`api.pace`); the sync engine reads the
pace here before a run and writes what the run learned after it (the API layer never
touches the cache). One row per API root: a cache pinned with `--db` and used against two
servers keeps both.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from outreach_tui.store.codec import now_iso
from outreach_tui.store.connection import write_transaction


@dataclass(frozen=True)
class StoredPace:
    """A pace as stored: requests per second, announced by the server or learned."""

    requests_per_second: float
    announced: bool
    learned_at: str


def get_pace(db: Database, server: str) -> StoredPace | None:
    """The pace last learned from `server`, None when none was."""
    row = db.conn.execute(
        "SELECT requests_per_second, announced, learned_at FROM request_pace WHERE server = ?",
        [server],
    ).fetchone()
    if row is None:
        return None
    return StoredPace(float(row[0]), bool(row[1]), row[2])


def save_pace(db: Database, server: str, requests_per_second: float, *, announced: bool) -> None:
    """Remember the pace learned from `server` (replacing the previous one)."""
    with write_transaction(db):
        db.conn.execute(
            "INSERT INTO request_pace (server, requests_per_second, announced, learned_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (server) DO UPDATE SET"
            " requests_per_second = excluded.requests_per_second,"
            " announced = excluded.announced, learned_at = excluded.learned_at",
            [server, requests_per_second, int(announced), now_iso()],
        )


def forget_pace(db: Database, server: str) -> None:
    """Forget what was learned from `server` (it no longer limits us)."""
    with write_transaction(db):
        db.conn.execute("DELETE FROM request_pace WHERE server = ?", [server])
