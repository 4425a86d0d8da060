"""A bar chart of two daily series with date labels, drawn on `render_line`.

Used where people compare days: a campaign's sent vs replies over 30 days, an inbox's
warmup sent vs spam over 7. Each day gets a pair of bars side by side (one bar per
series; when the widget is too narrow for pairs, the second series is drawn over the
first in the same column). Bars use eighth blocks, so small differences show, and a
non-zero value always shows at least one eighth. Labels: the y-axis maximum (and half of
it on tall charts), a date under every few days (always the last one), a legend with each
series' total, and the values of the highlighted day.

Public API::

    chart = DayChart(series_names=("sent", "replies"))   # or ("sent", "spam")
    chart.set_data([("2026-11-19", 42, 3), ("2026-11-20", 40, 5)])
    chart.highlighted      # ("2026-11-20", 40, 5): the day under the cursor (None if empty)
    chart.cursor           # its index; left/right/home/end move it when the chart has focus

`DayChart(..., shared_scale=False)` gives the second series its own scale, labelled on
the right (for series of very different sizes). The chart is theme-aware through its
component classes; an area recolours a series in its own CSS, e.g.::

    WarmupScreen DayChart > .day-chart--series-2 { color: $error; }

Component classes: `day-chart--series-1`, `day-chart--series-2`, `day-chart--axis`,
`day-chart--label`, `day-chart--cursor` (the highlighted day's background),
`day-chart--empty`. Height comes from CSS (default 12 lines: legend, plot, axis, dates).
Dates must be ``YYYY-MM-DD``; values are non-negative integers (negatives count as 0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from outreach_tui.core.figures import count

DayValues = tuple[str, int, int]

_EIGHTHS = " ▁▂▃▄▅▆▇█"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LABEL_STEPS = (1, 2, 3, 5, 7, 10, 14, 15, 30, 60, 90)
_CHROME_LINES = 3  # legend, axis, dates
_MIN_PLOT_LINES = 2
_MAX_BAR = 3  # wider bars read as blocks, not days


def date_label(date: str) -> str:
    """``"2026-11-04"`` -> ``"Nov 04"`` (English month names, whatever the locale)."""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return date[:6]
    return f"{_MONTHS[day.month - 1]} {day.day:02d}"


def bar_eighths(value: int, maximum: int, rows: int) -> int:
    """Height of a bar in eighths of a line: proportional, at least 1 for any value > 0."""
    if value <= 0 or maximum <= 0:
        return 0
    return max(1, round(min(value, maximum) / maximum * rows * 8))


def cell_fill(eighths: int, row_from_top: int, rows: int) -> int:
    """How many eighths of line `row_from_top` a bar of `eighths` fills (0-8)."""
    below = (rows - 1 - row_from_top) * 8
    return max(0, min(8, eighths - below))


def label_step(slot_width: int, label_width: int = 7) -> int:
    """Days between date labels so labels (plus a space) never touch."""
    for step in _LABEL_STEPS:
        if step * slot_width >= label_width:
            return step
    return _LABEL_STEPS[-1]


class DayChart(Widget, can_focus=True):
    """Two daily series as paired bars with a y-axis, date labels and a legend."""

    BINDINGS = [
        Binding("left,h", "move(-1)", "Earlier day", show=False, id="chart.earlier"),
        Binding("right,l", "move(1)", "Later day", show=False, id="chart.later"),
        Binding("home", "jump(0)", "First day", show=False, id="chart.first"),
        Binding("end", "jump(-1)", "Last day", show=False, id="chart.last"),
    ]

    COMPONENT_CLASSES = {
        "day-chart--series-1",
        "day-chart--series-2",
        "day-chart--axis",
        "day-chart--label",
        "day-chart--cursor",
        "day-chart--empty",
    }

    DEFAULT_CSS = """
    DayChart {
        height: 12;
        background: $surface;
    }
    DayChart > .day-chart--series-1 { color: $primary; }
    DayChart > .day-chart--series-2 { color: $success; }
    DayChart > .day-chart--axis { color: $text-muted; }
    DayChart > .day-chart--label { color: $text-muted; }
    DayChart > .day-chart--cursor { background: $boost; }
    DayChart:focus > .day-chart--cursor { background: $accent 30%; }
    DayChart > .day-chart--empty { color: $text-muted; text-style: italic; }
    """

    class DayHighlighted(Message):
        """The cursor moved to another day."""

        def __init__(self, chart: DayChart, day: DayValues | None) -> None:
            super().__init__()
            self.chart = chart
            self.day = day

    def __init__(
        self,
        series_names: tuple[str, str] = ("sent", "replies"),
        *,
        shared_scale: bool = True,
        empty_text: str = "No activity to chart yet.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.series_names = series_names
        self.shared_scale = shared_scale
        self.empty_text = empty_text
        self._days: list[DayValues] = []
        self._cursor = -1
        self._lines: list[Strip] | None = None
        self._lines_key: tuple[int, int] | None = None
        self._styles: dict[str, Style] = {}

    # --- data ---------------------------------------------------------------------------

    def set_data(self, days: Sequence[tuple[str, int, int]]) -> None:
        """Show these days (oldest first); the cursor stays on its date, else the last day."""
        current = self.highlighted
        self._days = [(str(d), max(int(a), 0), max(int(b), 0)) for d, a, b in days]
        dates = [d for d, _, _ in self._days]
        if current is not None and current[0] in dates:
            self._cursor = dates.index(current[0])
        else:
            self._cursor = len(self._days) - 1
        self._invalidate()

    @property
    def days(self) -> list[DayValues]:
        """The data shown, oldest first."""
        return list(self._days)

    @property
    def cursor(self) -> int:
        """Index of the highlighted day (-1 when there is no data)."""
        return self._cursor

    @property
    def highlighted(self) -> DayValues | None:
        """The highlighted day as (date, first value, second value), or None."""
        if 0 <= self._cursor < len(self._days):
            return self._days[self._cursor]
        return None

    def action_move(self, delta: int) -> None:
        """Highlight the day `delta` days later (negative: earlier)."""
        self._move_to(self._cursor + delta)

    def action_jump(self, index: int) -> None:
        """Highlight the first (0) or last (-1) day."""
        self._move_to(index if index >= 0 else len(self._days) + index)

    def _move_to(self, index: int) -> None:
        if not self._days:
            return
        index = max(0, min(index, len(self._days) - 1))
        if index != self._cursor:
            self._cursor = index
            self._invalidate()
            self.post_message(self.DayHighlighted(self, self.highlighted))

    def on_click(self, event: events.Click) -> None:
        layout = self._layout(self.size.width)
        if layout is None:
            return
        first, slot, left = layout
        column = event.x - left
        if column >= 0 and slot:
            self._move_to(first + column // slot)

    # --- rendering ----------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._lines = None
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None  # theme or CSS changed: colours are baked into the strips

    def on_resize(self) -> None:
        self._lines = None

    def render_line(self, y: int) -> Strip:
        width, height = self.size.width, self.size.height
        if self._lines is None or self._lines_key != (width, height):
            self._lines = self._build(width, height)
            self._lines_key = (width, height)
        if 0 <= y < len(self._lines):
            return self._lines[y]
        return Strip.blank(width, self.rich_style)

    def _style(self, part: str) -> Style:
        # Looked up once per build: CSS style lookups cost more than drawing the chart.
        style = self._styles.get(part)
        if style is None:
            if part == "base":
                style = self.rich_style
            elif part == "cursor-bg":
                style = self.get_component_rich_style("day-chart--cursor")
            else:
                style = self._style("base") + self.get_component_rich_style(f"day-chart--{part}")
            self._styles[part] = style
        return style

    def _maxima(self, days: Sequence[DayValues]) -> tuple[int, int]:
        first = max((a for _, a, _ in days), default=0)
        second = max((b for _, _, b in days), default=0)
        if self.shared_scale:
            both = max(first, second)
            return both, both
        return first, second

    def _axis_width(self) -> int:
        top_first, _ = self._maxima(self._days)
        return len(count(top_first)) + 1

    def _right_axis_width(self) -> int:
        if self.shared_scale:
            return 0
        _, top_second = self._maxima(self._days)
        return len(count(top_second)) + 1

    def _layout(self, width: int) -> tuple[int, int, int] | None:
        """(index of the first day drawn, columns per day, x of the first day)."""
        if not self._days:
            return None
        left = self._axis_width() + 1
        plot_width = max(width - left - self._right_axis_width(), 1)
        shown = min(len(self._days), plot_width)
        slot = max(1, plot_width // shown)
        return len(self._days) - shown, slot, left

    def _build(self, width: int, height: int) -> list[Strip]:
        self._styles = {}
        base = self._style("base")
        if width <= 0 or height <= 0:
            return []
        if not self._days:
            empty = Strip(
                [Segment(set_cell_size(f" {self.empty_text}", width), self._style("empty"))]
            )
            return [empty] + [Strip.blank(width, base)] * (height - 1)
        layout = self._layout(width)
        assert layout is not None
        first, slot, left = layout
        days = self._days[first:]
        rows = max(height - _CHROME_LINES, _MIN_PLOT_LINES)
        lines = [self._legend(width)]
        lines += self._plot(days, first, slot, left, rows, width)
        lines.append(self._axis_line(len(days) * slot, left, width))
        lines.append(self._date_line(days, slot, left, width))
        return lines[:height] + [Strip.blank(width, base)] * max(0, height - len(lines))

    def _legend(self, width: int) -> Strip:
        label = self._style("label")
        segments: list[Segment] = [Segment(" ", label)]
        for index, series_name in enumerate(self.series_names):
            total = sum(day[index + 1] for day in self._days)
            segments.append(Segment("■ ", self._style(f"series-{index + 1}")))
            segments.append(Segment(f"{series_name} {count(total)}   ", label))
        day = self.highlighted
        if day is not None:
            detail = (
                f"{date_label(day[0])}: {self.series_names[0]} {count(day[1])}"
                f" · {self.series_names[1]} {count(day[2])} "
            )
            used = sum(s.cell_length for s in segments)
            gap = width - used - len(detail)
            if gap >= 1:
                segments.append(Segment(" " * gap, label))
                segments.append(Segment(detail, label))
        return Strip(segments).adjust_cell_length(width, self._style("base"))

    def _plot(
        self,
        days: Sequence[DayValues],
        first: int,
        slot: int,
        left: int,
        rows: int,
        width: int,
    ) -> list[Strip]:
        axis, label = self._style("axis"), self._style("label")
        series = (self._style("series-1"), self._style("series-2"))
        cursor_bg = self._style("cursor-bg")
        on_cursor = (series[0] + cursor_bg, series[1] + cursor_bg, self._style("base") + cursor_bg)
        plain = (series[0], series[1], self._style("base"))
        top_first, top_second = self._maxima(self._days)
        heights = [
            (bar_eighths(a, top_first, rows), bar_eighths(b, top_second, rows)) for _, a, b in days
        ]
        # Pairs side by side when a day has room; else the second series over the first.
        bar = min((slot - 1) // 2, _MAX_BAR) if slot >= 3 else 1
        paired = slot >= 2
        axis_width = left - 1
        right_width = self._right_axis_width()
        half_row = rows // 2 if rows >= 6 else -1
        strips = []
        for row in range(rows):
            if row == 0:
                tick, mark = count(top_first), "┤"
            elif row == half_row:
                tick, mark = count(top_first // 2) if top_first >= 2 else "", "┤"
            else:
                tick, mark = "", "│"
            segments = [Segment(tick.rjust(axis_width - 1) + " ", label), Segment(mark, axis)]
            gap = " " * (slot - 2 * bar)
            for offset, (one, two) in enumerate(heights):
                one_style, two_style, gap_style = (
                    on_cursor if first + offset == self._cursor else plain
                )
                fill_one, fill_two = cell_fill(one, row, rows), cell_fill(two, row, rows)
                if paired:
                    segments.append(Segment(_EIGHTHS[fill_one] * bar, one_style))
                    segments.append(Segment(_EIGHTHS[fill_two] * bar, two_style))
                    segments.append(Segment(gap, gap_style))
                elif fill_two:
                    segments.append(Segment(_EIGHTHS[fill_two], two_style))
                else:
                    segments.append(Segment(_EIGHTHS[fill_one], one_style))
            if right_width:
                used = left + len(days) * slot
                pad = max(width - used - right_width, 0)
                tick = ""
                if row == 0:
                    tick = count(top_second)
                elif row == half_row and top_second >= 2:
                    tick = count(top_second // 2)
                segments.append(Segment(" " * pad, self._style("base")))
                segments.append(Segment(" " + tick.ljust(right_width - 1), series[1]))
            strips.append(Strip(segments).adjust_cell_length(width, self._style("base")))
        return strips

    def _axis_line(self, plot_width: int, left: int, width: int) -> Strip:
        axis, label = self._style("axis"), self._style("label")
        segments = [
            Segment("0".rjust(left - 2) + " ", label),
            Segment("└" + "─" * plot_width, axis),
        ]
        return Strip(segments).adjust_cell_length(width, self._style("base"))

    def _date_line(self, days: Sequence[DayValues], slot: int, left: int, width: int) -> Strip:
        step = label_step(slot)
        cells = [" "] * width
        free_until = width + 1  # labels go right to left, a space apart
        for index in range(len(days) - 1, -1, -step):
            text = date_label(days[index][0])
            start = min(left + index * slot, width - len(text))
            if start < left - 1 or start + len(text) + 1 > free_until:
                continue
            cells[start : start + len(text)] = list(text)
            free_until = start
        return Strip([Segment("".join(cells), self._style("label"))], width)
