"""ctrl+o: the outbox screen resolves what the sync could not push — keep mine / take
theirs for conflicts, retry / discard for refused changes, withdraw for pending ones —
and the status bar counts each state."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store import outbox
from outreach_tui.store.connection import open_reader, open_writer
from outreach_tui.store.edits import block_email, update_campaign
from outreach_tui.store.edits import conversations as edits
from outreach_tui.store.outbox import conflicts
from outreach_tui.store.queries import conversations as conversation_queries
from outreach_tui.store.records import ConversationFilter, ConversationRow
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.outbox.screens.outbox import OutboxScreen

from .conftest import (
    make_app,
    open_inbox,
    outbox_items,
    stored_row,
    wait_for,
    wait_for_screen,
    wait_for_text,
)

NAMES = ("f1", "f2", "c1", "c2", "p1")  # two to fail, two to conflict, one pending
LABELS = ("interested", "referral", "question", "neutral")


def _prepare(db_path: Path, rows: list[ConversationRow]) -> dict[str, int]:
    """Two refused changes, two conflicts, one pending change; returns item ids by name."""
    db = open_writer(db_path)
    try:
        for row, label in zip(rows[:4], LABELS, strict=True):
            edits.set_label(db, [row.id], label)
        claimed = {item.resource_id: item.id for item in outbox.claim_next(db, limit=10)}
        ids = {name: claimed[row.id] for name, row in zip(NAMES[:4], rows[:4], strict=True)}
        outbox.mark_failed(db, ids["f1"], "label not allowed for this conversation")
        outbox.mark_failed(db, ids["f2"], "conversation archived")
        outbox.put_in_conflict(db, ids["c1"], "not_interested")
        outbox.put_in_conflict(db, ids["c2"], "wrong_person")
        [pending] = edits.set_label(db, [rows[4].id], "meeting_requested")
        ids["p1"] = pending.id
    finally:
        db.close()
    return ids


def _states(db_path: Path) -> dict[int, str]:
    return {item.id: item.state for item in outbox_items(db_path)}


async def test_outbox_screen_resolves_every_kind_of_item(synced_db: Path) -> None:
    db = open_reader(synced_db)
    try:
        rows = conversation_queries.conversation_window(
            db, ConversationFilter(folder="primary"), limit=10
        )[5:]
    finally:
        db.close()
    ids = _prepare(synced_db, rows)
    by_id = {ids[name]: row for name, row in zip(NAMES, rows[:5], strict=True)}
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_inbox(pilot)
        # The status bar counts each state (in-flight counts as pending).
        await wait_for_text(pilot, "↑1 pending", "!2 failed", "?2 conflict")
        await pilot.press("ctrl+o")
        await wait_for_screen(pilot, OutboxScreen)
        table = app.screen.query_one("#outbox-items", DataTable)
        await wait_for(pilot, lambda: table.row_count == 5)
        await wait_for_text(
            pilot,
            "label not allowed for this conversation",
            "server (theirs) vs yours (mine)",
            "-not_interested",
            "+question",
            "↑1 pending",  # the status bar is on this screen too
        )
        # Conflicts come first. Keep mine: pending again, on top of the server's value.
        await pilot.press("m")
        await wait_for(pilot, lambda: _states(synced_db)[ids["c1"]] == outbox.PENDING)
        [kept] = [i for i in outbox_items(synced_db) if i.id == ids["c1"]]
        assert kept.base == "not_interested"
        # Take theirs: the item goes, the server's label is the label. (The reload puts the
        # kept item below the other conflict; the key must wait for it.)
        await wait_for(pilot, lambda: _highlighted_id(app) == ids["c2"])
        await pilot.press("t")
        await wait_for(pilot, lambda: ids["c2"] not in _states(synced_db))
        assert stored_row(synced_db, by_id[ids["c2"]].id).label == "wrong_person"
        # Retry a refused change: pending again.
        await wait_for(pilot, lambda: table.row_count == 4 and _highlighted_id(app) == ids["f1"])
        await pilot.press("r")
        await wait_for(pilot, lambda: _states(synced_db)[ids["f1"]] == outbox.PENDING)
        # Discard the other: the local label goes back to the server's.
        await wait_for(pilot, lambda: _highlighted_id(app) == ids["f2"])
        await wait_for_text(pilot, "Refused by the server: conversation archived")
        await pilot.press("d")
        await wait_for(pilot, lambda: ids["f2"] not in _states(synced_db))
        row = by_id[ids["f2"]]
        assert stored_row(synced_db, row.id).label == row.label
        # Withdraw a pending change (undo before the push).
        await wait_for(pilot, lambda: table.row_count == 3)
        assert _row_state(table, 0) == "pending"
        await pilot.press("t")  # not a conflict: refused in one line
        await wait_for_text(pilot, "Pick a conflict item to take theirs.")
        await pilot.press("d")
        await wait_for(pilot, lambda: table.row_count == 2)
        assert sorted(_states(synced_db)) == sorted([ids["c1"], ids["p1"]])
        await wait_for_text(pilot, "↑2 pending")
        db = open_reader(synced_db)
        try:
            log = {(e.resource_id, e.resolution) for e in conflicts.conflict_log(db)}
        finally:
            db.close()
        assert log == {
            (by_id[ids["c1"]].id, "kept_mine"),
            (by_id[ids["c2"]].id, "took_theirs"),
        }
        await wait_for_text(pilot, "kept mine", "took theirs")
        await pilot.press("escape")
        await wait_for_screen(pilot, InboxScreen)


def _highlighted_id(app: object) -> int | None:
    """The outbox item under the cursor, as the screen's latest reload sees it."""
    screen = app.screen  # type: ignore[attr-defined]
    item = screen.current if isinstance(screen, OutboxScreen) else None
    return item.id if item is not None else None


def _row_state(table: DataTable[str], row: int) -> str:
    return str(table.get_row_at(row)[1])


async def test_outbox_rows_say_what_a_person_recognises(synced_db: Path) -> None:
    db = open_writer(synced_db)
    try:
        [row] = conversation_queries.conversation_window(
            db, ConversationFilter(folder="primary"), limit=1
        )
        edits.queue_reply(db, row.id, "<p>Hi Rafael, Tuesday &amp; 3pm work.</p>")
        edits.set_label(db, [row.id], "interested")
        campaign_id = db.conn.execute("SELECT id, name FROM campaigns LIMIT 1").fetchone()
        update_campaign(db, campaign_id[0], daily_limit=75)
        block_email(db, "spam.trap@bad.test")
    finally:
        db.close()
    app = make_app(synced_db)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_inbox(pilot)
        await pilot.press("ctrl+o")
        await wait_for_screen(pilot, OutboxScreen)
        table = app.screen.query_one("#outbox-items", DataTable)
        await wait_for(pilot, lambda: table.row_count == 4)
        cells = [[str(c) for c in table.get_row_at(i)][2:] for i in range(4)]
        # The detail under the table has the whole row, with the counterpart.
        table.move_cursor(row=0)
        await wait_for_text(pilot, sanitize_line(row.sender_email, 60))
    subject = sanitize_line(row.subject, 200)[:14]
    assert cells[0][0] == "Reply" and cells[0][1].startswith(subject)
    assert cells[0][2] == "Hi Rafael, Tuesday & 3pm work."  # the words, not the HTML
    assert cells[1][0] == "Label → Interested" and cells[1][1].startswith(subject)
    assert cells[2][:2] == ["Daily limit → 75", sanitize_line(f"campaign {campaign_id[1]}", 34)]
    assert cells[3][:2] == ["Block", "spam.trap@bad.test"]
    assert not any("{" in cell or "<p>" in cell for line in cells for cell in line)
