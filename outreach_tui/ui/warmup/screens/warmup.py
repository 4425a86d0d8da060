"""Inbox health: every sending inbox with its warmup numbers and warnings (mode F5).

Sort by health (worst first), by email or by urgency; filter by problem. The warnings are
`core.warmup`'s rules, computed by the store's `health_overview`; the highlighted inbox's
warnings show under the table. Enter opens an inbox (chart, settings, campaigns).

What is counted (`core.warmup.workspace_warnings`, the same for the status bar and
`outreach-tui inboxes`): the header says how many inboxes need attention (a warning or an
error among theirs), the status bar's figure; the Warn column shows each inbox's worst
severity and how many warnings it has, notices and its campaigns' warnings included (what
`inboxes list` lists), so its numbers add up to warnings, not to the header's figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.core.warmup import attention_text
from outreach_tui.store.queries.mailboxes import HealthOverview, InboxHealthRow, health_overview
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.status_bar import StatusBar
from outreach_tui.ui.warmup.refresh import refresh_warmup_stats
from outreach_tui.ui.warmup.screens.detail import WarmupDetailScreen
from outreach_tui.ui.warmup.widgets.badges import (
    connection_text,
    flag_text,
    health_text,
    percent_text,
    ramp_up_bar,
    warning_lines,
    warning_marker,
)
from outreach_tui.ui.warmup.widgets.table import Column, PreparedRow, WarmupTable, prepare_row


@dataclass(frozen=True)
class SortOrder:
    """One way of ordering the list."""

    name: str
    key: Callable[[InboxHealthRow], tuple[object, ...]]


def _worst(row: InboxHealthRow) -> int:
    return max((w.severity for w in row.warnings), default=0)


SORTS = (
    SortOrder(
        "worst health first",
        lambda r: (r.inbox.health_score is None, r.inbox.health_score or 0, r.inbox.email),
    ),
    SortOrder("most urgent first", lambda r: (-_worst(r), -len(r.warnings), r.inbox.email)),
    SortOrder("email", lambda r: (r.inbox.email.lower(), r.inbox.id)),
)


@dataclass(frozen=True)
class ProblemFilter:
    """Which inboxes the list shows: those with one of `codes` (None: every inbox;
    empty: any warning at all)."""

    name: str
    codes: frozenset[str] | None

    def keeps(self, row: InboxHealthRow) -> bool:
        """True when the row passes the filter."""
        if self.codes is None:
            return True
        if not self.codes:
            return bool(row.warnings)
        return any(w.code in self.codes for w in row.warnings)


FILTERS = (
    ProblemFilter("all inboxes", None),
    ProblemFilter("any problem", frozenset()),
    ProblemFilter("connection", frozenset({"connection_error", "connection_pending"})),
    ProblemFilter("health below 80", frozenset({"low_health"})),
    ProblemFilter("spam rising", frozenset({"spam_rising"})),
    ProblemFilter("ramping in a campaign", frozenset({"ramping_in_campaign"})),
    ProblemFilter("campaign without a healthy inbox", frozenset({"campaign_unhealthy_inboxes"})),
)

# Numbers are over the 7 days of warmup stats; "Cmp" counts the campaigns using the inbox.
COLUMNS = (
    Column("Email", 0),
    # `drop`: which give way first on a narrow terminal (email, health and warnings stay)
    Column("Provider", 9, drop=1),
    Column("Connection", 10, drop=6),
    Column("Act", 3, drop=7),
    Column("Warm", 4, drop=8),
    Column("Health", 6, "right"),
    Column("Ramp-up", 11, drop=2),
    Column("Sent", 4, "right", drop=5),
    Column("Recv", 4, "right", drop=3),
    Column("Saved", 5, "right", drop=4),
    Column("Spam", 5, "right"),
    Column("Cmp", 3, "right", drop=9),
    Column("Warn", 4),
)


def _number(value: int | None) -> Text:
    return Text("-", style="dim") if value is None else Text(str(value))


def inbox_cells(row: InboxHealthRow) -> list[Text]:
    """The table cells of one inbox, in COLUMNS order (built off the UI thread)."""
    inbox, stats = row.inbox, row.stats
    email = Text(sanitize_line(inbox.email, 120), no_wrap=True)
    if inbox.local_state:
        email.stylize("italic")
    return [
        email,
        Text(sanitize_line(inbox.provider or "-", 12)),
        connection_text(inbox.connection_status),
        flag_text(inbox.is_active),
        flag_text(inbox.is_warming),
        health_text(inbox.health_score),
        ramp_up_bar(inbox.ramp_up_progress),
        _number(stats.sent if stats else None),
        _number(stats.received if stats else None),
        _number(stats.saved_from_spam if stats else None),
        percent_text(row.spam_rate),
        Text(str(len(row.campaigns))),
        warning_marker(row.warnings),
    ]


class WarmupScreen(Screen[None]):
    """Warmup and inbox health: where a manager sees a failing inbox first."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="warmup.open"),
        Binding("s", "cycle_sort", "Sort", id="warmup.sort"),
        Binding("p", "cycle_filter", "Problem filter", id="warmup.filter"),
        Binding("a", "show_all", "All inboxes", show=False, id="warmup.show_all"),
        Binding("r", "refresh_stats", "Refresh stats", id="warmup.refresh"),
    ]

    DEFAULT_CSS = """
    WarmupScreen #warmup-bar { height: 1; padding: 0 1; background: $boost; }
    WarmupScreen #warmup-warnings {
        height: 7; padding: 0 1; border-top: solid $primary-darken-2;
    }
    """

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.view = CacheView(self, backend, self.read, self._apply, what="the inboxes")
        self.overview: HealthOverview | None = None
        self.sort_index = 0
        self.filter_index = 0
        self.shown: list[InboxHealthRow] = []
        self._cells: dict[str, PreparedRow] = {}

    @property
    def table(self) -> WarmupTable:
        """The inbox table."""
        return self.query_one("#warmup-table", WarmupTable)

    def compose(self) -> ComposeResult:
        yield Static(id="warmup-bar")
        yield WarmupTable(COLUMNS, empty_text="No inbox to show.", id="warmup-table")
        yield Static(id="warmup-warnings")
        yield StatusBar(self.backend.status, id="status")
        yield AppFooter()

    def on_mount(self) -> None:
        self._update_bar()
        self.table.focus()
        self.view.start()  # reloads on every change, keeping the cursor

    @staticmethod
    def read(db: Database) -> tuple[HealthOverview, dict[str, PreparedRow]]:
        """The overview and every row's cells, ready-made (on a worker thread)."""
        overview = health_overview(db)
        cells = {row.inbox.id: prepare_row(inbox_cells(row)) for row in overview.inboxes}
        return overview, cells

    # --- showing ------------------------------------------------------------------------

    def _apply(self, loaded: tuple[HealthOverview, dict[str, PreparedRow]]) -> None:
        self.overview, self._cells = loaded
        self._show()

    def _show(self) -> None:
        """Sort and filter the loaded rows into the table (the cells are ready-made)."""
        if self.overview is None:
            return
        order = SORTS[self.sort_index]
        flt = FILTERS[self.filter_index]
        self.shown = sorted((r for r in self.overview.inboxes if flt.keeps(r)), key=order.key)
        self.table.set_rows([(row.inbox.id, self._cells[row.inbox.id]) for row in self.shown])
        self._update_bar()
        self._show_warnings()

    @property
    def current_row(self) -> InboxHealthRow | None:
        """The highlighted inbox, or None when the list is empty."""
        index = self.table.cursor if self.is_mounted else -1
        return self.shown[index] if 0 <= index < len(self.shown) else None

    def _update_bar(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Inbox health", style="bold")
        overview = self.overview
        if overview is not None:
            total = len(overview.inboxes)
            attention = overview.attention_count  # the status bar's figure
            text.append(f"  {total} inbox{'es' if total != 1 else ''}")
            if attention:
                text.append(f"  ⚠ {attention_text(attention)}", style="yellow")
            if len(self.shown) != total:
                text.append(f"  ({len(self.shown)} shown)", style="dim")
        text.append(f"  sort: {SORTS[self.sort_index].name} (s)", style="dim")
        text.append("  filter: ", style="dim")
        flt = FILTERS[self.filter_index]
        text.append(f"{flt.name}", style="bold" if flt.codes is not None else "dim")
        text.append(" (p)", style="dim")
        self.query_one("#warmup-bar", Static).update(text)

    def _show_warnings(self) -> None:
        panel = self.query_one("#warmup-warnings", Static)
        row = self.current_row
        if self.overview is None:
            panel.update(Text("Loading…", style="dim"))
        elif not self.overview.inboxes:
            panel.update(Text("No inboxes in the cache yet: sync with ctrl+r.", style="dim"))
        elif row is None:
            panel.update(Text("No inbox matches this filter (a: all inboxes).", style="dim"))
        elif not row.warnings:
            panel.update(Text(f"{sanitize_line(row.inbox.email, 120)}: no warning", style="dim"))
        else:
            text = Text(sanitize_line(row.inbox.email, 120), style="bold", no_wrap=True)
            text.append("\n")
            text.append_text(warning_lines(row.warnings, with_subject=False))
            panel.update(text)

    @on(WarmupTable.Highlighted, "#warmup-table")
    def _highlighted(self) -> None:
        self._show_warnings()

    @on(WarmupTable.Opened, "#warmup-table")
    def _opened(self) -> None:
        self.action_open()

    # --- actions ------------------------------------------------------------------------

    def action_open(self) -> None:
        """Open the highlighted inbox's detail."""
        row = self.current_row
        if row is not None:
            self.app.push_screen(WarmupDetailScreen(self.backend, row.inbox.id))

    def action_cycle_sort(self) -> None:
        """Next sort order."""
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self._show()

    def action_cycle_filter(self) -> None:
        """Next problem filter."""
        self.filter_index = (self.filter_index + 1) % len(FILTERS)
        self._show()

    def action_show_all(self) -> None:
        """Drop the problem filter."""
        self.filter_index = 0
        self._show()

    def action_refresh_stats(self) -> None:
        """Pull the highlighted inbox's warmup stats now (one request)."""
        row = self.current_row
        if row is not None and refresh_warmup_stats(self.backend, row.inbox.id):
            self.backend.status.say(f"Refreshing warmup stats of {row.inbox.email}…")
