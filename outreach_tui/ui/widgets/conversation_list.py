"""The inbox's conversation list: a virtual list that pages rows from SQLite on demand.

Textual's DataTable/OptionList/ListView with every row added take tens of seconds at
100,000 rows. This is a `ScrollView` with `render_line` (toolong's pattern): only visible
lines are rendered, rows come in pages of `PAGE` from the store by keyset query and are
kept in a small LRU. A page next to a cached one is read by keyset (about a millisecond,
fine on the UI thread); anything else — a far jump, a reload after the data changed — is
read on a worker thread with its own connection, and the visible lines show a
placeholder until it lands. So opening 100,000 conversations costs the same as 100.

Everything shown comes from strangers: cells go through `core.sanitize` and are drawn as
plain `Segment`s, never parsed as markup.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from outreach_tui.core.labels import ColourRole, colour_role, display_name
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.core.timefmt import parse_timestamp, relative_time
from outreach_tui.store import queries
from outreach_tui.store.connection import open_reader
from outreach_tui.store.records import ConversationFilter, ConversationRow

PAGE = 50
MAX_PAGES = 64
_STATE_MARKS = {"pending": "↑", "failed": "!", "conflict": "?"}


@dataclass(frozen=True)
class ListSnapshot:
    """What a background (re)load computed: the count, the cursor's place, pages near it."""

    generation: int
    total: int
    cursor: int
    pages: dict[int, list[ConversationRow]]


@lru_cache(maxsize=4096)
def _cell(text: str | None, width: int) -> str:
    """A sanitized cell of exactly `width` columns (wide characters counted right)."""
    return set_cell_size(sanitize_line(text or "", max_chars=max(width * 2, 1)), width)


class ConversationList(ScrollView, can_focus=True):
    """A scrollable, keyboard-driven list of conversations under a filter."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("home,g", "first", "First", show=False, id="list.first"),
        Binding("end,G", "last", "Last", show=False, id="list.last"),
        Binding("enter", "open", "Open", id="list.open"),
        Binding("x", "toggle_select", "Select", id="list.select"),
    ]

    COMPONENT_CLASSES = {
        "conversation-list--cursor",
        "conversation-list--selected",
        "conversation-list--unread",
        "conversation-list--read",
        "conversation-list--dim",
        "conversation-list--positive",
        "conversation-list--negative",
        "conversation-list--warning",
        "conversation-list--neutral",
        "conversation-list--mark",
    }

    DEFAULT_CSS = """
    ConversationList {
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
    }
    ConversationList > .conversation-list--cursor { background: $accent 40%; }
    ConversationList:focus > .conversation-list--cursor { background: $accent 70%; }
    ConversationList > .conversation-list--selected { background: $primary 25%; }
    ConversationList > .conversation-list--unread { text-style: bold; }
    ConversationList > .conversation-list--read { }
    ConversationList > .conversation-list--dim { color: $text-muted; }
    ConversationList > .conversation-list--positive { color: $success; }
    ConversationList > .conversation-list--negative { color: $error; }
    ConversationList > .conversation-list--warning { color: $warning; }
    ConversationList > .conversation-list--neutral { color: $text-muted; }
    ConversationList > .conversation-list--mark { color: $warning; text-style: bold; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to a row (None when the list is empty)."""

        def __init__(self, row: ConversationRow | None) -> None:
            super().__init__()
            self.row = row

    class Opened(Message):
        """Enter (or a double click) on a row."""

        def __init__(self, row: ConversationRow) -> None:
            super().__init__()
            self.row = row

    class Loaded(Message):
        """A (re)load finished; the list shows `total` rows."""

        def __init__(self, total: int) -> None:
            super().__init__()
            self.total = total

    def __init__(
        self,
        db_path: Path,
        flt: ConversationFilter | None = None,
        *,
        campaign_names: dict[str, str] | None = None,
        inbox_emails: dict[str, str] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.db_path = db_path
        self.filter = flt or ConversationFilter()
        self.campaign_names = campaign_names or {}
        self.inbox_emails = inbox_emails or {}
        self.selected: set[str] = set()
        self._reader = open_reader(db_path)  # UI-thread reads: neighbour pages only
        self._pages: OrderedDict[int, list[ConversationRow]] = OrderedDict()
        self._pending_pages: set[int] = set()
        self._total = 0
        self._generation = 0
        self._loaded = False
        self.now = datetime.now(UTC)

    # --- data ---------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """Rows under the current filter (as of the last load)."""
        return self._total

    @property
    def loaded(self) -> bool:
        """True once the first load has landed."""
        return self._loaded

    def on_mount(self) -> None:
        self.reload()

    def on_unmount(self) -> None:
        self._reader.close()

    def set_filter(self, flt: ConversationFilter) -> None:
        """Show another filter; the cursor goes to the top."""
        self.filter = flt
        self.selected.clear()
        self.reload(anchor_id=None, anchor_index=0)

    def reload(self, anchor_id: str | None = None, anchor_index: int | None = None) -> None:
        """Reload from the store in the background, keeping the cursor on `anchor_id`
        (default: the row under the cursor) or, when it left the list, near its index."""
        if anchor_id is None and anchor_index is None:
            current = self.current_row
            anchor_id = current.id if current is not None else None
            anchor_index = self.cursor
        self._generation += 1
        self._load(self._generation, self.filter, anchor_id, anchor_index or 0)

    @work(thread=True, exclusive=True, group="conversation-list-load", exit_on_error=False)
    def _load(
        self, generation: int, flt: ConversationFilter, anchor_id: str | None, anchor_index: int
    ) -> None:
        db = open_reader(self.db_path)
        try:
            total = queries.count_conversations(db, flt)
            position = None
            if anchor_id is not None:
                position = queries.conversation_position(db, anchor_id, flt)
            cursor = position if position is not None else min(anchor_index, max(total - 1, 0))
            first_page = cursor // PAGE
            pages = {}
            for page in (first_page - 1, first_page, first_page + 1):
                if 0 <= page * PAGE < total:
                    pages[page] = queries.conversations_at(db, flt, offset=page * PAGE, limit=PAGE)
        finally:
            db.close()
        snapshot = ListSnapshot(generation, total, cursor, pages)
        self.app.call_from_thread(self._apply_snapshot, snapshot)

    def _apply_snapshot(self, snapshot: ListSnapshot) -> None:
        if snapshot.generation != self._generation:
            return  # a newer load is on its way
        self._total = snapshot.total
        self._pages = OrderedDict(snapshot.pages)
        self._pending_pages.clear()
        self._loaded = True
        self.now = datetime.now(UTC)
        self.virtual_size = Size(self.size.width, self._total)
        self.cursor = min(snapshot.cursor, max(self._total - 1, 0))
        self._scroll_cursor_into_view(center=True)
        self.refresh()
        self.post_message(self.Loaded(self._total))

    @work(thread=True, group="conversation-list-page", exit_on_error=False)
    def _fetch_page(self, generation: int, flt: ConversationFilter, page: int) -> None:
        db = open_reader(self.db_path)
        try:
            rows = queries.conversations_at(db, flt, offset=page * PAGE, limit=PAGE)
        finally:
            db.close()
        self.app.call_from_thread(self._apply_page, generation, page, rows)

    def _apply_page(self, generation: int, page: int, rows: list[ConversationRow]) -> None:
        self._pending_pages.discard(page)
        if generation != self._generation:
            return
        self._store_page(page, rows)
        self.refresh()
        if self.cursor // PAGE == page:
            self.post_message(self.Highlighted(self.current_row))

    def _store_page(self, page: int, rows: list[ConversationRow]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)

    def row_at(self, index: int) -> ConversationRow | None:
        """The row at `index`, from the cache or a neighbour's keyset; None while loading."""
        if not 0 <= index < self._total:
            return None
        page, slot = divmod(index, PAGE)
        rows = self._pages.get(page)
        if rows is None:
            rows = self._neighbour_page(page)
        if rows is None:
            if page not in self._pending_pages:
                self._pending_pages.add(page)
                self._fetch_page(self._generation, self.filter, page)
            return None
        return rows[slot] if slot < len(rows) else None

    def _neighbour_page(self, page: int) -> list[ConversationRow] | None:
        """Read `page` by keyset from a cached neighbour (cheap at any depth)."""
        before, after = self._pages.get(page - 1), self._pages.get(page + 1)
        if before:
            rows = queries.conversation_window(
                self._reader, self.filter, after=before[-1].cursor, limit=PAGE
            )
        elif after:
            rows = queries.conversation_window(
                self._reader, self.filter, before=after[0].cursor, limit=PAGE
            )
        else:
            return None
        self._store_page(page, rows)
        return rows

    @property
    def current_row(self) -> ConversationRow | None:
        """The row under the cursor (None when empty or not loaded yet)."""
        return self.row_at(self.cursor) if self._total else None

    def rows_for_action(self) -> list[ConversationRow]:
        """The selected rows that are loaded, else the row under the cursor."""
        if self.selected:
            chosen = [
                row for rows in self._pages.values() for row in rows if row.id in self.selected
            ]
            if chosen:
                return chosen
        current = self.current_row
        return [current] if current is not None else []

    # --- cursor -------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_cursor_into_view()
        self.post_message(self.Highlighted(self.current_row))

    def _scroll_cursor_into_view(self, *, center: bool = False) -> None:
        height = max(self.scrollable_content_region.height, 1)
        top = int(self.scroll_offset.y)
        if center and not top <= self.cursor < top + height:
            self.scroll_to(y=max(self.cursor - height // 2, 0), animate=False, immediate=True)
        elif self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def move_cursor(self, index: int) -> None:
        """Put the cursor on `index` (clamped)."""
        if self._total:
            self.cursor = max(0, min(index, self._total - 1))

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + max(self.scrollable_content_region.height - 1, 1))

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - max(self.scrollable_content_region.height - 1, 1))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self._total - 1)

    def action_open(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Opened(row))

    def action_toggle_select(self) -> None:
        row = self.current_row
        if row is None:
            return
        if row.id in self.selected:
            self.selected.discard(row.id)
        else:
            self.selected.add(row.id)
        self.move_cursor(self.cursor + 1)
        self.refresh_line(self.cursor - 1)

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < self._total:
            self.cursor = index
            if event.chain == 2:
                self.action_open()

    # --- rendering ----------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self._total)

    def refresh_line(self, y: int) -> None:
        """Repaint the line of row `y` (no-op when it is off screen)."""
        if 0 <= y < self._total:
            super().refresh_line(y)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        if index >= self._total:
            if index == 0 and self._loaded:
                return Strip(
                    [Segment(_cell("  No conversations here.", width), self._style("dim"))]
                )
            return Strip.blank(width, self.rich_style)
        row = self.row_at(index)
        if row is None:
            return Strip([Segment(_cell("  …", width), self._style("dim"))])
        return self._render_row(row, index, width)

    def _style(self, part: str) -> Style:
        return self.get_component_rich_style(f"conversation-list--{part}")

    def _render_row(self, row: ConversationRow, index: int, width: int) -> Strip:
        base = self.rich_style
        if index == self.cursor:
            base += self._style("cursor")
        elif row.id in self.selected:
            base += self._style("selected")
        weight = self._style("read" if row.is_read else "unread")
        dim = self._style("dim")
        label_style = self._style(_LABEL_STYLE[colour_role(row.label)]) if row.label else dim
        time_text = _relative(row.last_activity, self.now)
        label_text = display_name(row.label) + ("*" if row.overridden else "") if row.label else ""
        columns: list[tuple[str, int, Style]] = [
            ("✓" if row.id in self.selected else " ", 1, self._style("mark")),
            ("●" if not row.is_read else " ", 1, self._style("warning")),
            (_STATE_MARKS.get(row.local_state or "", " "), 1, self._style("mark")),
            (" ", 1, Style()),
            (row.sender_name or row.sender_email, 22, weight),
            (" ", 1, Style()),
        ]
        tail: list[tuple[str, int, Style]] = [(" ", 1, Style()), (label_text, 18, label_style)]
        if width >= 110:
            campaign = self.campaign_names.get(row.campaign_id or "", "")
            tail += [(" ", 1, Style()), (campaign, 14, dim)]
        if width >= 135:
            inbox = self.inbox_emails.get(row.inbox_id or "", "")
            tail += [(" ", 1, Style()), (inbox, 18, dim)]
        tail += [(" ", 1, Style()), (time_text.rjust(9), 9, dim)]
        used = sum(w for _, w, _ in columns) + sum(w for _, w, _ in tail)
        rest = max(width - used, 0)
        subject = sanitize_line(row.subject or "(no subject)", max_chars=rest + 1)
        subject_width = min(cell_len(subject), rest)
        segments = [Segment(_cell(text, w), base + style) for text, w, style in columns]
        segments.append(Segment(_cell(subject, subject_width), base + weight))
        if rest > subject_width:
            snippet = " — " + row.snippet if row.snippet else ""
            segments.append(Segment(_cell(snippet, rest - subject_width), base + dim))
        segments += [Segment(_cell(text, w), base + style) for text, w, style in tail]
        return Strip(segments, width)


_LABEL_STYLE = {
    ColourRole.POSITIVE: "positive",
    ColourRole.NEGATIVE: "negative",
    ColourRole.WARNING: "warning",
    ColourRole.NEUTRAL: "neutral",
}


def _relative(stamp: str | None, now: datetime) -> str:
    if not stamp:
        return ""
    try:
        return relative_time(parse_timestamp(stamp), now)
    except ValueError:
        return ""
