"""Read queries of the cached warmup statistics of the sending mailboxes
(`GET /inboxes/:id/warmup/stats`: totals and the daily points). The health overview built
on them, with `core.warmup`'s warnings, is `mailboxes.health_overview`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class WarmupDay:
    """One day of warmup activity."""

    date: str
    sent: int
    spam_count: int


@dataclass(frozen=True)
class WarmupStats:
    """`GET /inboxes/:id/warmup/stats` as cached, with when it was pulled."""

    inbox_id: str
    sent: int
    received: int
    saved_from_spam: int
    health_score: int | None
    ramp_up_progress: int | None
    pulled_at: str | None
    daily: tuple[WarmupDay, ...]


def warmup_stats(db: Database, inbox_id: str) -> WarmupStats | None:
    """The cached warmup statistics of an inbox, or None before the first pull."""
    r = db.conn.execute(
        "SELECT inbox_id, sent, received, saved_from_spam, health_score, ramp_up_progress,"
        " pulled_at FROM warmup_stats WHERE inbox_id = ?",
        [inbox_id],
    ).fetchone()
    if r is None:
        return None
    daily = tuple(
        WarmupDay(*d)
        for d in db.conn.execute(
            "SELECT date, sent, spam_count FROM warmup_daily WHERE inbox_id = ? ORDER BY date",
            [inbox_id],
        )
    )
    return WarmupStats(*r, daily=daily)


def warmup_stats_by_inbox(db: Database) -> dict[str, WarmupStats]:
    """The cached warmup statistics of every mailbox that has some, by inbox id."""
    daily: dict[str, list[WarmupDay]] = {}
    for r in db.conn.execute(
        "SELECT inbox_id, date, sent, spam_count FROM warmup_daily ORDER BY inbox_id, date"
    ):
        daily.setdefault(r[0], []).append(WarmupDay(*r[1:]))
    return {
        r[0]: WarmupStats(*r, daily=tuple(daily.get(r[0], ())))
        for r in db.conn.execute(
            "SELECT inbox_id, sent, received, saved_from_spam, health_score, ramp_up_progress,"
            " pulled_at FROM warmup_stats"
        )
    }
