"""Which mailboxes send for a campaign (table `campaign_inboxes`): the local effects of
queued attach / detach ops. (Links in email bodies are `core.links`.)

A queued attach adds the link with `pending_op = 'attach'`; a queued detach keeps the row
with `pending_op = 'detach'` (read queries hide it). The server's answer — the full set
of attached inboxes — replaces the links once the push is done.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database


def _attached(db: Database, campaign_id: str) -> dict[str, str | None]:
    return dict(
        db.conn.execute(
            "SELECT inbox_id, pending_op FROM campaign_inboxes WHERE campaign_id = ?",
            [campaign_id],
        ).fetchall()
    )


def mark_attach(db: Database, campaign_id: str, inbox_ids: Iterable[str]) -> list[str]:
    """Show `inbox_ids` as attached; returns those that were not attached already."""
    current = _attached(db, campaign_id)
    added = []
    for inbox_id in dict.fromkeys(inbox_ids):
        state = current.get(inbox_id, "absent")
        if state == "detach":
            # Re-attaching before the detach was pushed: the link never left the server.
            db.conn.execute(
                "UPDATE campaign_inboxes SET pending_op = NULL"
                " WHERE campaign_id = ? AND inbox_id = ?",
                [campaign_id, inbox_id],
            )
            added.append(inbox_id)
        elif state == "absent":
            db.conn.execute(
                "INSERT INTO campaign_inboxes (campaign_id, inbox_id, email, provider,"
                " is_active, connection_status, pending_op)"
                " SELECT ?, ?, i.email, i.provider, i.is_active, i.connection_status, 'attach'"
                " FROM (SELECT 1) LEFT JOIN inboxes i ON i.id = ?",
                [campaign_id, inbox_id, inbox_id],
            )
            added.append(inbox_id)
    return added


def mark_detach(db: Database, campaign_id: str, inbox_ids: Iterable[str]) -> list[str]:
    """Hide `inbox_ids` from the campaign; returns those that were attached."""
    current = _attached(db, campaign_id)
    removed = []
    for inbox_id in dict.fromkeys(inbox_ids):
        if inbox_id in current and current[inbox_id] != "detach":
            db.conn.execute(
                "UPDATE campaign_inboxes SET pending_op = 'detach'"
                " WHERE campaign_id = ? AND inbox_id = ?",
                [campaign_id, inbox_id],
            )
            removed.append(inbox_id)
    return removed


def undo_attach(db: Database, campaign_id: str, inbox_ids: Iterable[str]) -> None:
    """Remove links added by a queued attach that will not be sent."""
    db.conn.executemany(
        "DELETE FROM campaign_inboxes WHERE campaign_id = ? AND inbox_id = ?"
        " AND pending_op = 'attach'",
        [(campaign_id, i) for i in inbox_ids],
    )


def undo_detach(db: Database, campaign_id: str, inbox_ids: Iterable[str]) -> None:
    """Show again links hidden by a queued detach that will not be sent."""
    db.conn.executemany(
        "UPDATE campaign_inboxes SET pending_op = NULL WHERE campaign_id = ? AND inbox_id = ?"
        " AND pending_op = 'detach'",
        [(campaign_id, i) for i in inbox_ids],
    )


def confirm(db: Database, campaign_id: str, inbox_ids: Iterable[str], *, attach: bool) -> None:
    """The server applied an attach (or detach): the pending marks become plain state."""
    if attach:
        db.conn.executemany(
            "UPDATE campaign_inboxes SET pending_op = NULL WHERE campaign_id = ?"
            " AND inbox_id = ? AND pending_op = 'attach'",
            [(campaign_id, i) for i in inbox_ids],
        )
    else:
        db.conn.executemany(
            "DELETE FROM campaign_inboxes WHERE campaign_id = ? AND inbox_id = ?"
            " AND pending_op = 'detach'",
            [(campaign_id, i) for i in inbox_ids],
        )
