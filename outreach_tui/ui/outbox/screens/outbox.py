"""The outbox screen: what is waiting to be pushed, what the server refused, conflicts.

Keep mine / take theirs for conflicts (with a diff of both versions), retry or discard a
refused change, withdraw one not pushed yet; and the conflict log, where every server
value a triage action overwrote stays visible.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from outreach_tui.core.sanitize import sanitize_line, sanitize_text
from outreach_tui.store import outbox
from outreach_tui.store.outbox import OutboxItem, conflicts
from outreach_tui.store.queries.outbox_items import ItemSummary, summarize
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.status_bar import StatusBar

_SHOWN_STATES = (outbox.CONFLICT, outbox.FAILED, outbox.PENDING, outbox.IN_FLIGHT)


Loaded = tuple[list[OutboxItem], dict[int, ItemSummary], list[conflicts.ConflictEntry]]


def _value(value: Any, width: int = 60) -> str:
    if isinstance(value, str):
        return sanitize_line(value, width)
    return sanitize_line(json.dumps(value, ensure_ascii=True), width)


def conflict_diff(item: OutboxItem) -> Text:
    """Both versions of a conflicting field, as a line diff (theirs -> mine)."""
    theirs = "" if item.theirs is None else str(item.theirs)
    mine = "" if item.value is None else str(item.value)
    text = Text()
    text.append(f"{item.resource} {item.field} — server (theirs) vs yours (mine)\n", style="bold")
    lines = difflib.unified_diff(
        sanitize_text(theirs).text.splitlines(),
        sanitize_text(mine).text.splitlines(),
        "theirs",
        "mine",
        lineterm="",
    )
    for line in lines:
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
        text.append(line + "\n", style=style)
    return text


class OutboxScreen(Screen[None]):
    """Pending, refused and conflicting changes, and the conflict log."""

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="outbox.back"),
        Binding("m", "keep_mine", "Keep mine", id="outbox.keep_mine"),
        Binding("t", "take_theirs", "Take theirs", id="outbox.take_theirs"),
        Binding("r", "retry", "Retry", id="outbox.retry"),
        Binding("d", "discard", "Discard/withdraw", id="outbox.discard"),
    ]

    DEFAULT_CSS = """
    OutboxScreen #outbox-items { height: 1fr; }
    OutboxScreen #outbox-detail { height: auto; max-height: 12; padding: 0 1; background: $boost; }
    OutboxScreen #conflict-log { height: 10; }
    OutboxScreen .heading { text-style: bold; padding: 0 1; }
    """

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.items: dict[int, OutboxItem] = {}
        self.summaries: dict[int, ItemSummary] = {}
        self.view = CacheView(self, backend, self.read, self._show, what="the outbox")

    def compose(self) -> ComposeResult:
        yield Static("Outbox — changes waiting for the server", classes="heading", markup=False)
        yield DataTable(id="outbox-items", cursor_type="row")
        yield Static(id="outbox-detail")
        yield Static("Conflict log — server values your actions replaced", classes="heading")
        yield DataTable(id="conflict-log", cursor_type="row")
        yield StatusBar(self.backend.status, id="status")
        yield AppFooter()

    def on_mount(self) -> None:
        items = self.query_one("#outbox-items", DataTable)
        items.add_columns("#", "State", "Change", "On", "Text / server's answer")
        log = self.query_one("#conflict-log", DataTable)
        log.add_columns("When", "Change", "Server had", "You set", "Outcome")
        self.view.start()
        items.focus()

    @staticmethod
    def read(db: Database) -> Loaded:
        """The items shown, each described for people, and the latest conflict log (on a
        worker thread)."""
        items = outbox.list_items(db, _SHOWN_STATES)
        summaries = {item.id: summarize(db, item) for item in items}
        return items, summaries, conflicts.conflict_log(db, limit=200)

    def _show(self, loaded: Loaded) -> None:
        items, summaries, log = loaded
        self.summaries = summaries
        table = self.query_one("#outbox-items", DataTable)
        cursor = table.cursor_row
        table.clear()
        self.items = {item.id: item for item in items}
        for item in sorted(items, key=lambda i: (_SHOWN_STATES.index(i.state), i.id)):
            summary = summaries[item.id]
            note = item.last_error or ("server has: " + _value(item.theirs) if item.theirs else "")
            table.add_row(
                str(item.id),
                item.state,
                sanitize_line(summary.action, 22),
                sanitize_line(summary.target, 34),
                sanitize_line(note or summary.text, 40),
                key=str(item.id),
            )
        if items:
            table.move_cursor(row=min(cursor, len(items) - 1))
        else:
            self.query_one("#outbox-detail", Static).update("Nothing waiting: all caught up.")
        log_table = self.query_one("#conflict-log", DataTable)
        log_table.clear()
        for entry in log:
            log_table.add_row(
                sanitize_line(entry.at[:19].replace("T", " "), 20),
                f"{entry.resource} {entry.field or ''}",
                _value(entry.theirs, 40),
                _value(entry.mine, 40),
                entry.resolution.replace("_", " "),
            )

    @property
    def current(self) -> OutboxItem | None:
        table = self.query_one("#outbox-items", DataTable)
        if not self.items or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.items.get(int(key)) if key is not None else None

    @on(DataTable.RowHighlighted, "#outbox-items")
    def _highlighted(self) -> None:
        item = self.current
        detail = self.query_one("#outbox-detail", Static)
        if item is None:
            detail.update("")
            return
        text = Text()
        summary = self.summaries.get(item.id)
        if summary is not None:  # the whole row, which the table may cut
            text.append(sanitize_line(summary.action, 60), style="bold")
            text.append(f" — {sanitize_line(summary.target, 200)}\n")
            if summary.text:
                text.append(f"{sanitize_line(summary.text, 300)}\n", style="italic")
        if item.state == outbox.CONFLICT:
            text.append_text(conflict_diff(item))
        elif item.state == outbox.FAILED:
            text.append(
                f"Refused by the server: {sanitize_line(item.last_error, 300)}\n"
                "r retries as is; d discards it (your local value goes back to the server's)."
            )
        else:
            text.append("Waiting for the next sync. d withdraws it (undo).")
        detail.update(text)

    def _act(self, states: tuple[str, ...], action: Any, verb: str) -> None:
        item = self.current
        if item is None or item.state not in states:
            self.notify(f"Pick a {' or '.join(states)} item to {verb}.", severity="warning")
            return
        self.backend.edit(lambda db: action(db, item.id), done=f"{verb.capitalize()}: #{item.id}")

    def action_keep_mine(self) -> None:
        self._act((outbox.CONFLICT,), outbox.keep_mine, "keep mine")

    def action_take_theirs(self) -> None:
        self._act((outbox.CONFLICT,), outbox.take_theirs, "take theirs")

    def action_retry(self) -> None:
        self._act((outbox.FAILED,), outbox.retry, "retry")

    def action_discard(self) -> None:
        item = self.current
        if item is not None and item.state == outbox.PENDING:
            self._act((outbox.PENDING,), outbox.withdraw, "withdraw")
        else:
            self._act((outbox.FAILED,), outbox.discard, "discard")

    def action_back(self) -> None:
        self.app.pop_screen()
