"""Run as a process of its own (`python -m tests.ui.bulk_pilot DB N`): the real app on a
cache of N unread conversations, `X` → mark read → `z`, driven by a pilot; prints JSON
with the counts seen and the process's peak RSS (VmHWM), which a test process shared with
other tests could not measure. Used by `test_bulk_matching.py`."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from outreach_tui.store.connection import open_reader, open_writer, write_transaction
from outreach_tui.store.queries.conversations import count_conversations
from outreach_tui.store.records import ConversationFilter
from outreach_tui.ui.inbox.screens.bulk import BulkPicker
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from tests.ui.conftest import make_app, open_inbox, terminal_lines, wait_for, wait_for_screen

UNREAD = ConversationFilter(folder="primary", unread=True)


def fill(path: Path, count: int) -> None:
    """`count` unread conversations, written as ingest leaves them (list columns only:
    no thread is opened here)."""
    db = open_writer(path)
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO conversations (id, folder, subject, sender_email, sender_name,"
            " last_activity, server_is_read, is_read, server_label, ai_label, label)"
            " VALUES (?, 'primary', ?, ?, ?, ?, 0, 0, 'neutral', 'neutral', 'neutral')",
            (
                (
                    f"conv-{i:06d}",
                    f"Subject {i}",
                    f"lead{i}@example.test",
                    f"Lead {i}",
                    f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:{i % 60:02d}.000000Z",
                )
                for i in range(count)
            ),
        )
    db.close()


def unread(path: Path) -> int:
    db = open_reader(path)
    try:
        return count_conversations(db, UNREAD)
    finally:
        db.close()


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


async def drive(path: Path, count: int) -> dict[str, object]:
    app = make_app(path)
    seen: dict[str, object] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        await wait_for(pilot, lambda: conversations.total == count, 60)
        await pilot.press("X")
        await wait_for_screen(pilot, BulkPicker, 60)
        seen["dialog"] = "\n".join(terminal_lines(app))
        await pilot.press("r")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: unread(path) == 0, 180)
        seen["after"] = unread(path)
        await pilot.press("z")
        await wait_for(pilot, lambda: unread(path) == count, 180)
        seen["undone"] = unread(path)
    seen["peak_rss_mb"] = peak_rss_mb()
    return seen


def main() -> None:
    path, count = Path(sys.argv[1]), int(sys.argv[2])
    fill(path, count)
    print(json.dumps(asyncio.run(drive(path, count))))


if __name__ == "__main__":
    main()
