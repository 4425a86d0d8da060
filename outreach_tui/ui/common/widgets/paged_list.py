"""A generic virtual list: rows paged from SQLite on demand, a cursor, a selection.

DESIGN.md: huge lists are virtual. This is a `ScrollView` with `render_line` (toolong's
pattern, as in the inbox's `ConversationList`): only visible lines are rendered; rows come
in pages of `PAGE_SIZE` and are kept in a small LRU of `MAX_PAGES` pages. A page next to
a cached one is read by keyset on the UI thread (about a millisecond) when the subclass
offers keyset reads; any other page — a far jump, a reload after the data changed — is
read on a worker thread with its own reader connection while its lines show a
placeholder. So 100,000 rows cost the same to open as 100.

No read holds the UI thread for a frame: a keyset read there runs under a time limit
(`UI_READ_SECONDS`; past it SQLite aborts the statement and the page is read on a worker
instead), and a worker's read is interrupted as soon as a newer load replaces it (a
search typed further, another filter), so a slow stale query does not hold a core.

A subclass says where rows come from and how one looks. Everything below runs on a worker
thread with `db` a private reader, except `rows_after`/`rows_before` (UI thread, must be a
keyset query) and `render_row`:

    count_rows(db, params) -> int                      rows under `params`
    rows_at(db, params, offset, limit) -> list[Row]    a page by position
    position_of(db, params, key) -> int | None         where row `key` is (reload anchor)
    rows_after(db, params, row, limit) -> list | None  keyset page after `row` (optional)
    rows_before(db, params, row, limit) -> list | None keyset page before `row` (optional)
    row_key(row) -> str                                a stable id (cursor, selection)
    render_row(row, index, width, style) -> Strip      one line; `style` has cursor/selection

`params` is the subclass's query (a frozen dataclass, say): `set_params` switches to
another one and reloads; a load started under old params never lands on new ones.

Messages: `Highlighted(row | None)`, `Opened(row)` (enter / double click), `Loaded(total)`.
Keys: up/down/j/k, page up/down, home/end (g/G), enter, x (select). Component classes
`paged-list--cursor`, `paged-list--selected`, `paged-list--dim` for subclasses to style;
`cached_style(component)` gives a component's rich style without a CSS lookup per line.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from sqlite_utils import Database
from textual import events, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, WorkerState, get_current_worker

from outreach_tui.store.connection import ReadInterrupted, open_reader, read_snapshot, time_limit
from outreach_tui.ui.backend import Backend, describe_error
from outreach_tui.ui.backend.messages import Notice
from outreach_tui.ui.backend.workers import deliver
from outreach_tui.ui.common.cache_view import CacheView

RowT = TypeVar("RowT")
# The longest a keyset read may run on the UI thread: half a frame at 60 Hz.
UI_READ_SECONDS = 0.008


@dataclass(frozen=True)
class PageSnapshot(Generic[RowT]):
    """What a background (re)load computed: the count, the cursor's place, pages near it."""

    generation: int
    total: int
    cursor: int
    pages: dict[int, list[RowT]]


class PagedList(ScrollView, Generic[RowT], can_focus=True):
    """Base of the virtual lists (see the module docstring for the subclass contract)."""

    PAGE_SIZE: ClassVar[int] = 50
    MAX_PAGES: ClassVar[int] = 64
    EMPTY_TEXT: ClassVar[str] = "Nothing here."

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="paged_list.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="paged_list.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="paged_list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="paged_list.page_up"),
        Binding("home,g", "first", "First", show=False, id="paged_list.first"),
        Binding("end,G", "last", "Last", show=False, id="paged_list.last"),
        Binding("enter", "open", "Open", show=False, id="paged_list.open"),
        Binding("x", "toggle_select", "Select", id="paged_list.select"),
    ]

    COMPONENT_CLASSES = {"paged-list--cursor", "paged-list--selected", "paged-list--dim"}

    DEFAULT_CSS = """
    PagedList {
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
    }
    PagedList > .paged-list--cursor { background: $accent 40%; }
    PagedList:focus > .paged-list--cursor { background: $accent 70%; }
    PagedList > .paged-list--selected { background: $primary 25%; }
    PagedList > .paged-list--dim { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to a row (None when the list is empty or it is loading)."""

        def __init__(self, row: Any) -> None:
            super().__init__()
            self.row = row

    class Opened(Message):
        """Enter (or a double click) on a row."""

        def __init__(self, row: Any) -> None:
            super().__init__()
            self.row = row

    class Loaded(Message):
        """A (re)load finished; the list shows `total` rows."""

        def __init__(self, total: int) -> None:
            super().__init__()
            self.total = total

    def __init__(
        self,
        backend: Backend,
        params: Any = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.backend = backend
        self.db_path = backend.db_path
        # Reloads (keeping the cursor) when the cache changed, or when shown again after.
        self.view = CacheView.custom(self, backend, self.reload)
        self.params = params
        self.selected: set[str] = set()
        self.empty_text: str | None = None  # what an empty list says (None: EMPTY_TEXT)
        self._reader: Database | None = None  # UI-thread reads: keyset neighbours only
        self._pages: OrderedDict[int, list[RowT]] = OrderedDict()
        self._pending_pages: set[int] = set()
        self._total = 0
        self._generation = 0
        self._cursor_at_load = 0
        self._styles: dict[str, Style] = {}
        self._loaded = False

    # --- the subclass contract ----------------------------------------------------------

    def count_rows(self, db: Database, params: Any) -> int:
        """Rows under `params` (worker thread)."""
        raise NotImplementedError

    def rows_at(self, db: Database, params: Any, offset: int, limit: int) -> list[RowT]:
        """A page of rows by position (worker thread)."""
        raise NotImplementedError

    def position_of(self, db: Database, params: Any, key: str) -> int | None:
        """Index of row `key` under `params`, None when it is not there (worker thread)."""
        return None

    def rows_after(self, db: Database, params: Any, row: RowT, limit: int) -> list[RowT] | None:
        """Keyset page after `row` (UI thread, must be cheap); None: not supported."""
        return None

    def rows_before(self, db: Database, params: Any, row: RowT, limit: int) -> list[RowT] | None:
        """Keyset page before `row` (UI thread, must be cheap); None: not supported."""
        return None

    def row_key(self, row: RowT) -> str:
        """A stable identity of a row."""
        raise NotImplementedError

    def render_row(self, row: RowT, index: int, width: int, style: Style) -> Strip:
        """One line of exactly `width` cells; `style` carries the cursor/selection look."""
        raise NotImplementedError

    # --- data ---------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """Rows under the current params (as of the last load)."""
        return self._total

    @property
    def loaded(self) -> bool:
        """True once the first load has landed."""
        return self._loaded

    def on_mount(self) -> None:
        self._reader = open_reader(self.db_path)
        self.view.start()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read is one status line, never a traceback."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.post_message(Notice(f"Could not read the list: {describe_error(error)}", "error"))

    def on_unmount(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def set_params(self, params: Any, *, keep_cursor: bool = False) -> None:
        """Show rows under other params; the cursor goes to the top and the selection is
        cleared, or, with `keep_cursor` (the same rows in another order), both stay."""
        self.params = params
        if keep_cursor:
            self.reload()
            return
        self.selected.clear()
        self.reload(anchor_key=None, anchor_index=0)

    def reload(self, anchor_key: str | None = None, anchor_index: int | None = None) -> None:
        """Reload in the background, keeping the cursor on row `anchor_key` (default: the
        row under the cursor) or, when it left the list, near its index."""
        if anchor_key is None and anchor_index is None:
            current = self.current_row
            anchor_key = self.row_key(current) if current is not None else None
            anchor_index = self.cursor
        self._generation += 1
        self._cursor_at_load = self.cursor
        self._load(self._generation, self.params, anchor_key, anchor_index or 0)

    @work(thread=True, exclusive=True, group="paged-list-load", exit_on_error=False)
    def _load(self, generation: int, params: Any, anchor_key: str | None, anchor: int) -> None:
        worker = get_current_worker()
        # One snapshot: a write landing between the count, the anchor's position and the
        # pages would leave the cursor on another row than the anchor.
        try:
            with read_snapshot(self.db_path, cancelled=lambda: worker.is_cancelled) as db:
                total = self.count_rows(db, params)
                position = None
                if anchor_key is not None:
                    position = self.position_of(db, params, anchor_key)
                cursor = position if position is not None else min(anchor, max(total - 1, 0))
                size = self.PAGE_SIZE
                pages = {}
                for page in (cursor // size - 1, cursor // size, cursor // size + 1):
                    if 0 <= page * size < total:
                        pages[page] = self.rows_at(db, params, page * size, size)
        except ReadInterrupted:
            return  # a newer load replaced this one
        snapshot = PageSnapshot(generation, total, cursor, pages)
        deliver(self.app, self._apply_snapshot, snapshot)

    def _apply_snapshot(self, snapshot: PageSnapshot[RowT]) -> None:
        if snapshot.generation != self._generation:
            return  # a newer load is on its way
        if self._loaded and self.cursor != self._cursor_at_load:
            # The user moved while this was read: its cursor would jump back to the old
            # row. Read again around the row the cursor is on now.
            self.reload()
            return
        self._total = snapshot.total
        self._pages = OrderedDict(snapshot.pages)
        self._pending_pages.clear()
        self._loaded = True
        self.virtual_size = Size(self.size.width, self._total)
        self.cursor = min(snapshot.cursor, max(self._total - 1, 0))
        self._scroll_cursor_into_view(center=True)
        self.refresh()
        self.post_message(self.Loaded(self._total))

    @work(thread=True, group="paged-list-page", exit_on_error=False)
    def _fetch_page(self, generation: int, params: Any, page: int) -> None:
        worker = get_current_worker()

        def stale() -> bool:
            return worker.is_cancelled or generation != self._generation

        try:
            with read_snapshot(self.db_path, cancelled=stale) as db:
                rows = self.rows_at(db, params, page * self.PAGE_SIZE, self.PAGE_SIZE)
        except ReadInterrupted:
            return  # replaced by a reload, whose pages clear the pending ones
        deliver(self.app, self._apply_page, generation, page, rows)

    def _apply_page(self, generation: int, page: int, rows: list[RowT]) -> None:
        self._pending_pages.discard(page)
        if generation != self._generation:
            return
        self._store_page(page, rows)
        self.refresh()
        if self.cursor // self.PAGE_SIZE == page:
            self.post_message(self.Highlighted(self.current_row))

    def _store_page(self, page: int, rows: list[RowT]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)

    def row_at(self, index: int) -> RowT | None:
        """The row at `index`, from the cache or a neighbour's keyset; None while loading."""
        if not 0 <= index < self._total:
            return None
        page, slot = divmod(index, self.PAGE_SIZE)
        rows = self._pages.get(page)
        if rows is None:
            rows = self._neighbour_page(page)
        if rows is None:
            if page not in self._pending_pages:
                self._pending_pages.add(page)
                self._fetch_page(self._generation, self.params, page)
            return None
        return rows[slot] if slot < len(rows) else None

    def _neighbour_page(self, page: int) -> list[RowT] | None:
        """Read `page` by keyset from a cached full neighbour (cheap at any depth)."""
        if self._reader is None:
            return None
        before, after = self._pages.get(page - 1), self._pages.get(page + 1)
        rows = None
        try:
            with time_limit(self._reader, UI_READ_SECONDS) as reader:
                if before and len(before) == self.PAGE_SIZE:
                    rows = self.rows_after(reader, self.params, before[-1], self.PAGE_SIZE)
                elif after:
                    rows = self.rows_before(reader, self.params, after[0], self.PAGE_SIZE)
        except ReadInterrupted:
            return None  # too slow for the UI thread: read on a worker
        if rows is None:
            return None
        self._store_page(page, rows)
        return rows

    @property
    def current_row(self) -> RowT | None:
        """The row under the cursor (None when empty or not loaded yet)."""
        return self.row_at(self.cursor) if self._total else None

    def loaded_rows(self) -> list[RowT]:
        """Every row currently cached (in no particular order)."""
        return [row for rows in self._pages.values() for row in rows]

    def rows_for_action(self) -> list[RowT]:
        """The selected rows that are loaded, else the row under the cursor."""
        if self.selected:
            chosen = [row for row in self.loaded_rows() if self.row_key(row) in self.selected]
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
        key = self.row_key(row)
        if key in self.selected:
            self.selected.discard(key)
        else:
            self.selected.add(key)
        self.refresh_line(self.cursor)
        self.move_cursor(self.cursor + 1)

    def clear_selection(self) -> None:
        """Drop the selection."""
        if self.selected:
            self.selected.clear()
            self.refresh()

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

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # theme or CSS changed

    def on_focus(self) -> None:
        self._styles.clear()  # :focus styles the cursor differently
        self.refresh()

    def on_blur(self) -> None:
        self._styles.clear()
        self.refresh()

    def cached_style(self, component: str | None = None, *, partial: bool = False) -> Style:
        """The widget's rich style (`component=None`) or a component class's, looked up
        once until the styles change: a CSS lookup per line would cost more than the line.

        `partial=True` gives only what the component sets itself (e.g. a colour), so it
        can be laid over the cursor's background without hiding it.
        """
        key = f"{component or ''}:{partial}"
        style = self._styles.get(key)
        if style is None:
            if component:
                style = self.get_component_rich_style(component, partial=partial)
            else:
                style = self.rich_style
            self._styles[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        base = self.cached_style()
        if index >= self._total:
            dim = base + self.cached_style("paged-list--dim")
            if index == 0 and self._loaded:
                text = self.empty_text or self.EMPTY_TEXT
                return Strip([Segment(set_cell_size(f"  {text}", width), dim)])
            return Strip.blank(width, base)
        row = self.row_at(index)
        if row is None:
            dim = base + self.cached_style("paged-list--dim")
            return Strip([Segment(set_cell_size("  …", width), dim)])
        style = base
        if index == self.cursor:
            style += self.cached_style("paged-list--cursor")
        elif self.row_key(row) in self.selected:
            style += self.cached_style("paged-list--selected")
        return self.render_row(row, index, width, style)
