"""A virtual table of inboxes: a header, prebuilt cells, only visible lines rendered.

Textual's `DataTable` measures every cell of every row when rows change (260 ms on the UI
thread at 500 inboxes); agencies run hundreds of inboxes, and the list reloads while a
sync streams pages in. Here the cells are rich `Text` built off the UI thread (by the
screen's loading worker); `set_rows` only swaps a list, and `render_line` lays out the
one row it is asked for from segments prepared with the cells (`prepare_row`, off the UI
thread too). Rows are few enough (thousands at most) to hold in memory.

The first line is the header (it stays when the rows scroll). One column may have width 0:
it takes the room the others leave (at least `MIN_FLEX`).

Messages: `Highlighted(key | None)` when the cursor moves or the rows change, `Opened(key)`
on enter or a click on the highlighted row. Keys: up/down/j/k, page up/down, home/end.
Component classes: `warmup-table--cursor`, `warmup-table--dim`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

GAP = 2  # spaces between columns
INDENT = 1
MIN_FLEX = 12
FLEX_ROOM = 24  # the flexible column's room before optional columns give way


@dataclass(frozen=True)
class Column:
    """A column: its header, its width in cells (0: the rest of the line), and where its
    text sits."""

    label: str
    width: int
    justify: str = "left"  # or "right"
    drop: int = 0  # 0: always shown; else hidden on narrow lines, 1 first


def shown_columns(columns: Sequence[Column], width: int) -> list[int]:
    """Indexes of the columns shown on a line `width` cells wide: optional ones give way
    (lowest `drop` first) until the flexible column has `FLEX_ROOM`."""
    shown = list(range(len(columns)))
    optional = sorted((c.drop, i) for i, c in enumerate(columns) if c.drop)

    def fixed() -> int:
        return sum(columns[i].width for i in shown) + GAP * (len(shown) - 1) + INDENT

    while optional and width - fixed() < FLEX_ROOM:
        shown.remove(optional.pop(0)[1])
    return shown


def column_widths(columns: Sequence[Column], width: int) -> list[int]:
    """Each column's width on a line `width` cells wide (the flexible one gets the rest)."""
    fixed = sum(c.width for c in columns) + GAP * (len(columns) - 1) + INDENT
    return [c.width or max(width - fixed, MIN_FLEX) for c in columns]


# Only resolves styles (rendering a Text needs a console); nothing is printed with it.
_STYLE_CONSOLE = Console(width=1000, color_system="truecolor", force_terminal=True)


@dataclass(frozen=True)
class PreparedCell:
    """A cell as segments, with its width in cells."""

    segments: tuple[Segment, ...]
    width: int


PreparedRow = tuple[PreparedCell, ...]


def prepare_row(cells: Sequence[Text]) -> PreparedRow:
    """Turn a row's cells into segments once (any thread), so drawing it is cheap."""
    prepared = []
    for cell in cells:
        segments = tuple(s for s in cell.render(_STYLE_CONSOLE) if s.text != "\n")
        prepared.append(PreparedCell(segments, sum(s.cell_length for s in segments)))
    return tuple(prepared)


def layout_row(columns: Sequence[Column], row: PreparedRow, width: int) -> list[Segment]:
    """One row as one line: each cell cut (with an ellipsis) or padded to its column."""
    line = [Segment(" " * INDENT)]
    shown = [i for i in shown_columns(columns, width) if i < len(row)]
    columns = [columns[i] for i in shown]
    widths = column_widths(columns, width)
    for index, (column, cell) in enumerate(zip(columns, [row[i] for i in shown], strict=True)):
        if index:
            line.append(Segment(" " * GAP))
        room = widths[index]
        if cell.width > room:
            cut = Strip(cell.segments, cell.width).crop(0, max(room - 1, 0))
            last = cell.segments[-1].style if cell.segments else None
            line.extend(cut)
            line.append(Segment("…", last))
            continue
        pad = Segment(" " * (room - cell.width))
        if column.justify == "right":
            line.append(pad)
            line.extend(cell.segments)
        else:
            line.extend(cell.segments)
            line.append(pad)
    return line


class WarmupTable(ScrollView, can_focus=True):
    """Inbox rows with a cursor; rows are (key, cells) and never read from disk here."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="warmup_table.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="warmup_table.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="warmup_table.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="warmup_table.page_up"),
        Binding("home,g", "first", "First", show=False, id="warmup_table.first"),
        Binding("end,G", "last", "Last", show=False, id="warmup_table.last"),
        Binding("enter", "open", "Open", show=False, id="warmup_table.open"),
    ]

    COMPONENT_CLASSES = {"warmup-table--header", "warmup-table--cursor", "warmup-table--dim"}

    DEFAULT_CSS = """
    WarmupTable { height: 1fr; }
    WarmupTable > .warmup-table--header { text-style: bold; background: $panel; }
    WarmupTable > .warmup-table--cursor { background: $surface-lighten-1; text-style: bold; }
    WarmupTable:focus > .warmup-table--cursor { background: $accent 40%; }
    WarmupTable > .warmup-table--dim { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, always_update=False, init=False)

    class Highlighted(Message):
        """The highlighted row changed (None: the table is empty)."""

        def __init__(self, table: WarmupTable, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> WarmupTable:
            """The table (for `@on(..., selector)`)."""
            return self.table

    class Opened(Message):
        """Enter (or a click) on a row."""

        def __init__(self, table: WarmupTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> WarmupTable:
            """The table (for `@on(..., selector)`)."""
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        empty_text: str = "Nothing here.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = tuple(columns)
        self.empty_text = empty_text
        self._keys: list[str] = []
        self._cells: list[PreparedRow] = []
        self._lines: dict[tuple[int, bool, int], Strip] = {}

    # --- data ---------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        """The row keys, top to bottom."""
        return list(self._keys)

    @property
    def row_count(self) -> int:
        """How many rows."""
        return len(self._keys)

    @property
    def current_key(self) -> str | None:
        """The highlighted row's key (None when empty)."""
        return self._keys[self.cursor] if 0 <= self.cursor < len(self._keys) else None

    def set_rows(self, rows: Sequence[tuple[str, PreparedRow]]) -> None:
        """Show these rows; the cursor stays on its key when it is still there."""
        keep = self.current_key
        self._keys = [key for key, _ in rows]
        self._cells = [cells for _, cells in rows]
        self._lines.clear()
        self.virtual_size = Size(self.size.width, len(self._keys) + 1)
        index = self._keys.index(keep) if keep in self._keys else 0
        self.set_reactive(WarmupTable.cursor, min(index, max(len(self._keys) - 1, 0)))
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current_key))

    def move_cursor(self, index: int) -> None:
        """Highlight row `index` (clamped)."""
        if self._keys:
            self.cursor = max(0, min(index, len(self._keys) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current_key))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height - 1  # under the header
        top = int(self.scroll_offset.y)
        if height <= 0:
            return
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    # --- keys and mouse -----------------------------------------------------------------

    def action_cursor_down(self) -> None:
        """Next row."""
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        """Previous row."""
        self.move_cursor(self.cursor - 1)

    def action_page_down(self) -> None:
        """A screenful down."""
        self.move_cursor(self.cursor + max(self.scrollable_content_region.height - 2, 1))

    def action_page_up(self) -> None:
        """A screenful up."""
        self.move_cursor(self.cursor - max(self.scrollable_content_region.height - 2, 1))

    def action_first(self) -> None:
        """First row."""
        self.move_cursor(0)

    def action_last(self) -> None:
        """Last row."""
        self.move_cursor(len(self._keys) - 1)

    def action_open(self) -> None:
        """Say the highlighted row was opened."""
        key = self.current_key
        if key is not None:
            self.post_message(self.Opened(self, key))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            return  # the header
        index = int(self.scroll_offset.y) + event.y - 1
        if 0 <= index < len(self._keys):
            if index == self.cursor or event.chain == 2:
                self.action_open()
            else:
                self.cursor = index

    # --- rendering ----------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._keys) + 1)
        self._lines.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # colours are baked into the cached strips

    def _header(self, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("warmup-table--header")
        text = Text(" " * INDENT, no_wrap=True, end="")
        columns = [self.columns[i] for i in shown_columns(self.columns, width)]
        for index, (column, room) in enumerate(
            zip(columns, column_widths(columns, width), strict=True)
        ):
            if index:
                text.append(" " * GAP)
            label = column.label[:room]
            text.append(label.rjust(room) if column.justify == "right" else label.ljust(room))
        segments = list(text.render(self.app.console))
        return Strip(segments).apply_style(style).adjust_cell_length(width, style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width)
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self._keys):
            if index == 0:
                dim = self.rich_style + self.get_component_rich_style("warmup-table--dim")
                return Strip([Segment(f" {self.empty_text}", dim)]).adjust_cell_length(
                    width, self.rich_style
                )
            return Strip.blank(width, self.rich_style)
        is_cursor = index == self.cursor
        cache_key = (index, is_cursor, width)
        strip = self._lines.get(cache_key)
        if strip is None:
            style: Style = self.rich_style
            if is_cursor:
                style += self.get_component_rich_style("warmup-table--cursor")
            segments = layout_row(self.columns, self._cells[index], width)
            strip = Strip(segments).apply_style(style).adjust_cell_length(width, style)
            self._lines[cache_key] = strip
        return strip
