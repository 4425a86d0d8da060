"""The campaign console's list: every campaign with its headline numbers.

Campaigns are few (tens to hundreds), so a `DataTable` filled from one worker read is
right here; the numbers are the API's own (`stats.*`, cached). Under the table, the
highlighted campaign's last 30 days as Textual `Sparkline`s: a trend is enough there (the
detail has the chart with dates). Sort by any column (click
its header, or `s` / `S`), filter by status (`f`), search names (`/`), create (`c`), open
(enter), delete after typing the name (`D`), the workspace blocklist (`B`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from rich.style import Style
from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from outreach_tui.core.figures import count, percent
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.core.timefmt import parse_timestamp, relative_time
from outreach_tui.store.edits.campaigns import create_campaign
from outreach_tui.store.outbox import OutboxItem
from outreach_tui.store.queries import campaigns as campaign_queries
from outreach_tui.store.queries.campaigns import CampaignRow, DailyPoint
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.campaigns.screens.blocklist import BlocklistScreen
from outreach_tui.ui.campaigns.screens.detail import CampaignDetailScreen
from outreach_tui.ui.campaigns.screens.dialogs import ask_to_delete, create_campaign_prompt
from outreach_tui.ui.campaigns.widgets.numbers import bounce_level, progress_bar
from outreach_tui.ui.campaigns.widgets.trend import CampaignTrend
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.status_bar import StatusBar

SEARCH_DEBOUNCE = 0.2
STATUS_FILTERS: tuple[str | None, ...] = (None, "active", "paused", "draft")
_STATE_MARKS = {"pending": "↑", "failed": "!", "conflict": "?"}

# What one read of the list gives: campaigns, inboxes per campaign, daily series.
CampaignsSnapshot = tuple[list[CampaignRow], dict[str, int], dict[str, list[DailyPoint]]]


@dataclass(frozen=True)
class Column:
    """A column of the list: its header, width and sort key."""

    key: str
    title: str
    width: int
    sort_key: Callable[[CampaignRow, int], Any]
    right: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("name", "Name", 22, lambda c, _: c.name.casefold(), right=False),
    Column("status", "Status", 7, lambda c, _: c.status, right=False),
    Column("progress", "Progress", 12, lambda c, _: c.progress, right=False),
    Column("leads", "Leads", 6, lambda c, _: c.leads_count),
    Column("sent", "Sent", 6, lambda c, _: c.sent),
    Column("contacted", "Contacted", 9, lambda c, _: c.contacted),
    Column("reply_rate", "Reply", 7, lambda c, _: c.reply_rate),
    Column("positive_reply_rate", "Positive", 8, lambda c, _: c.positive_reply_rate),
    Column("bounce_rate", "Bounce", 7, lambda c, _: c.bounce_rate),
    Column("inboxes", "Inb.", 4, lambda _, n: n),
    Column("updated", "Updated", 7, lambda c, _: c.updated_at or ""),
)
_BY_KEY = {column.key: column for column in COLUMNS}
# On a narrow terminal these give way first, least useful first: the rates stay.
_HIDE_ORDER = ("progress", "contacted", "updated", "inboxes", "sent", "leads")
_CELL_PADDING = 2  # DataTable pads each cell with a space on both sides


def visible_columns(width: int) -> tuple[Column, ...]:
    """The columns that fit in `width` cells, dropping the least useful first."""
    shown = list(COLUMNS)
    hidden = iter(_HIDE_ORDER)
    while sum(c.width + _CELL_PADDING for c in shown) + 2 > width:
        key = next(hidden, None)
        if key is None:
            break
        shown = [c for c in shown if c.key != key]
    return tuple(shown)


def visible_campaigns(
    rows: list[CampaignRow],
    inbox_counts: dict[str, int],
    *,
    status: str | None,
    search: str | None,
    sort: str,
    descending: bool,
) -> list[CampaignRow]:
    """The rows under the status filter and name search, sorted (ties by name)."""
    needle = (search or "").casefold()
    chosen = [
        row
        for row in rows
        if (status is None or row.status == status) and needle in row.name.casefold()
    ]
    column = _BY_KEY[sort]
    chosen.sort(key=lambda c: c.name.casefold())
    chosen.sort(key=lambda c: column.sort_key(c, inbox_counts.get(c.id, 0)), reverse=descending)
    return chosen


class CampaignsScreen(Screen[None]):
    """Every campaign, its progress and rates; the way into each one."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="campaigns.open"),
        Binding("c", "create", "New", id="campaigns.create"),
        Binding("slash", "search", "Search", id="campaigns.search"),
        Binding("f", "cycle_status", "Status filter", id="campaigns.status_filter"),
        Binding("s", "cycle_sort", "Sort", id="campaigns.sort"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="campaigns.reverse_sort"),
        Binding("B", "blocklist", "Blocklist", id="campaigns.blocklist"),
        Binding("D", "delete", "Delete", show=False, id="campaigns.delete"),
        Binding("escape", "clear", "Clear", show=False, id="campaigns.clear"),
    ]

    COMPONENT_CLASSES = {
        "campaigns--active",
        "campaigns--paused",
        "campaigns--draft",
        "campaigns--warn",
        "campaigns--alarm",
        "campaigns--dim",
    }

    DEFAULT_CSS = """
    CampaignsScreen #campaigns-bar { height: 1; padding: 0 1; background: $boost; }
    CampaignsScreen #campaigns-search { display: none; height: 3; }
    CampaignsScreen #campaigns-search.visible { display: block; }
    CampaignsScreen DataTable { height: 1fr; }
    CampaignsScreen > .campaigns--active { color: $success; }
    CampaignsScreen > .campaigns--paused { color: $warning; }
    CampaignsScreen > .campaigns--draft { color: $text-muted; }
    CampaignsScreen > .campaigns--warn { color: $warning; text-style: bold; }
    CampaignsScreen > .campaigns--alarm { color: $error; text-style: bold reverse; }
    CampaignsScreen > .campaigns--dim { color: $text-muted; }
    """

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.rows: list[CampaignRow] = []
        self.inbox_counts: dict[str, int] = {}
        self.shown: list[CampaignRow] = []
        self.daily: dict[str, list[DailyPoint]] = {}
        self.status_filter: str | None = None
        self.search: str | None = None
        self.sort = "name"
        self.descending = False
        self._search_timer: Timer | None = None
        self._select_id: str | None = None  # a campaign to put the cursor on once listed
        self._columns: tuple[Column, ...] = ()  # those shown: what the width allows
        self._loaded = False
        self.view = CacheView(self, backend, self.read, self._apply, what="the campaigns")

    def compose(self) -> ComposeResult:
        yield Static(id="campaigns-bar")
        yield Input(placeholder="Search campaign names…", id="campaigns-search")
        table: DataTable[Text] = DataTable(id="campaigns", cursor_type="row", zebra_stripes=True)
        yield table
        yield CampaignTrend(id="trend")
        yield StatusBar(self.backend.status, id="status")
        yield AppFooter()

    @property
    def table(self) -> DataTable[Text]:
        return cast("DataTable[Text]", self.query_one("#campaigns", DataTable))

    @property
    def loaded(self) -> bool:
        """True once the first read landed."""
        return self._loaded

    def on_mount(self) -> None:
        self.sub_title = "Campaigns"
        self._set_columns()
        self.table.focus()
        self.view.start()

    @staticmethod
    def read(db: Database) -> CampaignsSnapshot:
        """The campaigns, their inbox counts and daily series (worker thread)."""
        return (
            campaign_queries.list_campaigns(db),
            campaign_queries.inbox_counts(db),
            campaign_queries.daily_series(db),
        )

    def _apply(self, loaded: CampaignsSnapshot) -> None:
        if not self.is_attached or not self.query("#campaigns"):
            return  # the screen went away while the read ran
        rows, counts, daily = loaded
        self.rows, self.inbox_counts, self.daily = rows, counts, daily
        self._loaded = True
        self._fill()

    # --- drawing ------------------------------------------------------------------------

    def _style(self, part: str) -> Style:
        return self.get_component_rich_style(f"campaigns--{part}")

    def _set_columns(self) -> bool:
        """Lay the table's columns out for its width; True when they changed."""
        wanted = visible_columns(self.table.size.width or self.size.width or 120)
        if wanted == self._columns:
            return False
        self._columns = wanted
        self.table.clear(columns=True)
        for column in wanted:
            self.table.add_column(self._header(column), key=column.key, width=column.width)
        return True

    def on_resize(self) -> None:
        if self._set_columns() and self._loaded:
            self._fill()

    def _header(self, column: Column) -> Text:
        title = column.title
        if column.key == self.sort:
            title += " ▼" if self.descending else " ▲"
        return Text(title, justify="right" if column.right else "left", style="bold")

    def _cells(self, row: CampaignRow) -> list[Text]:
        status_style = self._style(row.status) if row.status in STATUS_FILTERS else Style()
        name = Text(_STATE_MARKS.get(row.local_state or "", " ") + " ", style="bold yellow")
        name.append(sanitize_line(row.name, 80))
        level = bounce_level(row.bounce_rate)
        bounce_style = self._style(level) if level != "ok" else Style()
        updated = ""
        if row.updated_at:
            try:
                updated = relative_time(parse_timestamp(row.updated_at), datetime.now(UTC))
            except ValueError:
                updated = ""

        def right(text: str, style: Style | str = "") -> Text:
            return Text(text, style=style, justify="right")

        cells = {
            "name": name,
            "status": Text(row.status, style=status_style),
            "progress": progress_bar(row.progress, width=7),
            "leads": right(count(row.leads_count)),
            "sent": right(count(row.sent)),
            "contacted": right(count(row.contacted)),
            "reply_rate": right(percent(row.reply_rate)),
            "positive_reply_rate": right(percent(row.positive_reply_rate)),
            "bounce_rate": right(percent(row.bounce_rate), bounce_style),
            "inboxes": right(str(self.inbox_counts.get(row.id, 0))),
            "updated": right(updated, self._style("dim")),
        }
        return [cells[column.key] for column in self._columns]

    def _fill(self) -> None:
        table = self.table
        current = self.current_campaign
        self.shown = visible_campaigns(
            self.rows,
            self.inbox_counts,
            status=self.status_filter,
            search=self.search,
            sort=self.sort,
            descending=self.descending,
        )
        table.clear()
        for column in self._columns:
            table.columns[column.key].label = self._header(column)  # type: ignore[index]
        for row in self.shown:
            table.add_row(*self._cells(row), key=row.id)
        ids = [row.id for row in self.shown]
        if self._select_id in ids:
            table.move_cursor(row=ids.index(self._select_id))
            self._select_id = None
        elif current is not None and current.id in ids:
            table.move_cursor(row=ids.index(current.id))
        self._update_bar()
        self._show_trend()

    def _update_bar(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for status in STATUS_FILTERS:
            name = (status or "all").capitalize()
            style = "bold reverse" if status == self.status_filter else "dim"
            text.append(f" {name} ", style=style)
        column = _BY_KEY[self.sort]
        text.append(f"  sort: {column.title} {'▼' if self.descending else '▲'}", style="dim")
        if self.search:
            text.append(f"  search: {sanitize_line(self.search, 40)!r}", style="bold")
        total = len(self.shown)
        text.append(f"  — {total} campaign{'s' if total != 1 else ''}", style="dim")
        self.query_one("#campaigns-bar", Static).update(text)

    @property
    def current_campaign(self) -> CampaignRow | None:
        """The campaign under the cursor."""
        if not self.shown:
            return None
        index = self.table.cursor_row
        return self.shown[index] if 0 <= index < len(self.shown) else None

    # --- actions ------------------------------------------------------------------------

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._show_trend()

    def _show_trend(self) -> None:
        campaign = self.current_campaign
        points = self.daily.get(campaign.id, []) if campaign else []
        self.query_one(CampaignTrend).show(campaign, points)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    @on(DataTable.HeaderSelected)
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = key, False
        self._fill()

    def action_open(self) -> None:
        campaign = self.current_campaign
        if campaign is not None:
            self.app.push_screen(CampaignDetailScreen(self.backend, campaign.id))

    def action_cycle_status(self) -> None:
        index = STATUS_FILTERS.index(self.status_filter)
        self.status_filter = STATUS_FILTERS[(index + 1) % len(STATUS_FILTERS)]
        self._fill()

    def action_cycle_sort(self) -> None:
        keys = [column.key for column in COLUMNS]
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        # Numbers read best largest first; names and statuses A to Z.
        self.descending = _BY_KEY[self.sort].right
        self._fill()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self._fill()

    def action_search(self) -> None:
        search = self.query_one("#campaigns-search", Input)
        search.add_class("visible")
        search.focus()

    @on(Input.Changed, "#campaigns-search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        text = event.value.strip() or None

        def apply() -> None:
            self.search = text
            self._fill()

        self._search_timer = self.set_timer(SEARCH_DEBOUNCE, apply)

    @on(Input.Submitted, "#campaigns-search")
    def _search_submitted(self) -> None:
        self.table.focus()

    def action_clear(self) -> None:
        """Escape: leave the search box, then clear the search."""
        search = self.query_one("#campaigns-search", Input)
        if search.has_focus:
            self.table.focus()
            if not search.value:
                search.remove_class("visible")
            return
        if self.search:
            search.value = ""
            search.remove_class("visible")
            self.search = None
            self._fill()

    def action_create(self) -> None:
        """Name a new draft; it is selected in the list and opened to be set up."""

        def created(item: OutboxItem) -> None:
            self._select_id = item.resource_id
            self.status_filter = None  # a draft must be listed, whatever the filter was
            search = self.query_one("#campaigns-search", Input)
            search.value = ""
            search.remove_class("visible")
            self.search = None
            self._fill()
            detail = CampaignDetailScreen(self.backend, item.resource_id)

            def closed(_: object) -> None:
                # Its id may have changed meanwhile (a sync created it on the server).
                self._select_id = detail.campaign_id
                self._fill()

            self.app.push_screen(detail, closed)

        def named(name: str | None) -> None:
            if name:
                self.backend.edit(
                    lambda db: create_campaign(db, name),
                    done=f"Created draft {sanitize_line(name, 40)} (syncs next)",
                    on_result=created,
                )

        self.app.push_screen(create_campaign_prompt(), named)

    def action_delete(self) -> None:
        campaign = self.current_campaign
        if campaign is None:
            return

        ask_to_delete(self.app, self.backend, campaign)

    def action_blocklist(self) -> None:
        self.app.push_screen(BlocklistScreen(self.backend))
