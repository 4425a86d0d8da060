"""The workspace blocklist: check an address, add one, remove one, pull the list.

A check answers from the cache at once and, when a server is configured, asks
`GET /blocklist/check` too (the cache may be behind). Adds and removals go through the
outbox like every edit.
"""

from __future__ import annotations

from typing import cast

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store import sync_state
from outreach_tui.store.edits import EditError, block_email, unblock
from outreach_tui.store.edits.leads import email_address
from outreach_tui.store.queries import blocklist as blocklist_queries
from outreach_tui.store.queries.blocklist import BlocklistRow
from outreach_tui.sync import pull
from outreach_tui.sync.progress import SyncRun
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.backend.messages import PullFinished
from outreach_tui.ui.campaigns.screens.dialogs import TextPromptScreen
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.status_bar import StatusBar

_MARKS = {"pending": "↑ pending", "failed": "! refused", "conflict": "? conflict"}


def cached_verdict(rows: list[BlocklistRow], email: str) -> bool:
    """True when `email` is on the cached blocklist (case-insensitive)."""
    wanted = email.strip().casefold()
    return any(row.email.casefold() == wanted for row in rows)


def verdict_text(email: str, blocked: bool, source: str) -> Text:
    """``"ann@acme.test: blocked (server)"``, coloured."""
    text = Text(f"{sanitize_line(email, 80)}: ", style="bold")
    text.append("blocked" if blocked else "not blocked", style="red" if blocked else "green")
    text.append(f" ({source})", style="dim")
    return text


def server_verdict_text(email: str, blocked: bool, rows: list[BlocklistRow]) -> Text:
    """The server's answer, reconciled with what is queued here."""
    cached = next((r for r in rows if r.email.casefold() == email.strip().casefold()), None)
    if not blocked and cached is not None and cached.local_state is not None:
        text = Text(f"{sanitize_line(email, 80)}: ", style="bold")
        text.append("blocked here, not on the server yet", style="yellow")
        text.append(" (syncs next)", style="dim")
        return text
    if blocked and cached is None:
        text = verdict_text(email, True, "server")
        text.append(" — the cached list is behind: p pulls it", style="dim")
        return text
    return verdict_text(email, blocked, "server")


class BlocklistScreen(Screen[None]):
    """Blocked addresses of the workspace."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="blocklist.back"),
        Binding("c", "check", "Check", id="blocklist.check"),
        Binding("a", "add", "Add", id="blocklist.add"),
        Binding("d,delete", "remove", "Remove", id="blocklist.remove"),
        Binding("p", "pull", "Pull", id="blocklist.pull"),
    ]

    DEFAULT_CSS = """
    BlocklistScreen #blocklist-bar { height: 1; padding: 0 1; background: $boost; }
    BlocklistScreen #blocklist-answer { height: 1; padding: 0 1; }
    BlocklistScreen DataTable { height: 1fr; }
    """

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.rows: list[BlocklistRow] = []
        self.pulled_at: str | None = None
        self._asked_pull = False
        self._server_answer: tuple[str, dict[str, bool]] = ("", {})
        self.view = CacheView(self, backend, self.read, self._apply, what="the blocklist")

    def compose(self) -> ComposeResult:
        yield Static(id="blocklist-bar")
        yield Static(id="blocklist-answer")
        table: DataTable[Text] = DataTable(id="blocklist", cursor_type="row", zebra_stripes=True)
        yield table
        yield StatusBar(self.backend.status, id="status")
        yield AppFooter()

    @property
    def table(self) -> DataTable[Text]:
        return cast("DataTable[Text]", self.query_one("#blocklist", DataTable))

    def on_mount(self) -> None:
        self.sub_title = "Blocklist"
        table = self.table
        table.add_column("Email", key="email", width=60)
        table.add_column("Added", key="added", width=12)
        table.add_column("State", key="state", width=12)
        table.focus()
        self.view.start()

    @staticmethod
    def read(db: Database) -> tuple[list[BlocklistRow], str | None]:
        """The cached blocklist and when it was pulled (worker thread)."""
        return (
            blocklist_queries.list_blocklist(db),
            sync_state.get_sync_state(db, "blocklist").last_pulled_at,
        )

    def _apply(self, loaded: tuple[list[BlocklistRow], str | None]) -> None:
        if not self.is_attached or not self.query("#blocklist"):
            return  # the screen went away while the read ran
        rows, pulled_at = loaded
        self.rows, self.pulled_at = rows, pulled_at
        table = self.table
        cursor = table.cursor_row
        table.clear()
        for row in rows:
            table.add_row(
                Text(sanitize_line(row.email, 80)),
                Text((row.created_at or "")[:10], style="dim"),
                Text(_MARKS.get(row.local_state or "", ""), style="yellow"),
                key=row.id,
            )
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
        bar = Text(f"{len(rows):,} blocked address{'es' if len(rows) != 1 else ''}", style="bold")
        when = f"pulled {pulled_at[:16].replace('T', ' ')} UTC" if pulled_at else "never pulled"
        bar.append(f"   {when} · c check · a add · d remove · p pull", style="dim")
        self.query_one("#blocklist-bar", Static).update(bar)
        if pulled_at is None and not self._asked_pull and self.backend.can_sync:
            self._asked_pull = True
            self.action_pull()

    def _answer(self, text: Text) -> None:
        self.query_one("#blocklist-answer", Static).update(text)

    # --- actions ------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_check(self) -> None:
        def chosen(email: str | None) -> None:
            if email:
                self.check(email)

        self.app.push_screen(TextPromptScreen("Is this address blocked?", "name@domain"), chosen)

    def check(self, email: str) -> None:
        """Answer from the cache now, and from the server when one is configured."""
        self._answer(verdict_text(email, cached_verdict(self.rows, email), "cache"))
        if not self.backend.can_sync:
            return
        answer: dict[str, bool] = {}

        async def ask(run: SyncRun) -> None:
            answer["blocked"] = await run.client.check_blocklist(email.strip())

        self._server_answer = (email, answer)
        self.backend.pull(f"blocklist-check:{email}", ask, "the server's answer", reply_to=self)

    def action_add(self) -> None:
        def chosen(email: str | None) -> None:
            if email:
                self.backend.edit(
                    lambda db: block_email(db, email),
                    done=f"Blocked {sanitize_line(email, 60)} (syncs next)",
                )

        def refused(text: str) -> str | None:
            try:
                address = email_address(text)
            except EditError as error:
                return str(error)
            if cached_verdict(self.rows, address):
                return f"{address} is already on the blocklist"
            return None

        prompt = TextPromptScreen("Block this address", "name@domain", check=refused)
        self.app.push_screen(prompt, chosen)

    def action_remove(self) -> None:
        if not self.rows:
            return
        row = self.rows[min(self.table.cursor_row, len(self.rows) - 1)]
        self.backend.edit(
            lambda db: unblock(db, row.id),
            done=f"Unblocked {sanitize_line(row.email, 60)} (ctrl+o undoes before the sync)",
        )

    def action_pull(self) -> None:
        self.backend.pull("blocklist", pull.pull_blocklist, "the blocklist", reply_to=self)

    @on(PullFinished)
    def _pulled(self, event: PullFinished) -> None:
        if event.key.startswith("blocklist-check:"):
            email, answer = self._server_answer
            if event.error or "blocked" not in answer:
                self.backend.status.say(event.error or "The server gave no answer.")
                return
            self._answer(server_verdict_text(email, answer["blocked"], self.rows))
            self.backend.status.say("")
            return
        if event.error:
            self.backend.status.say(event.error)
            return
        self.backend.status.say("Blocklist pulled.")
