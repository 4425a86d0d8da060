"""The day chart (shared with the warmup screen): scaling, labels, legend, cursor."""

from __future__ import annotations

import datetime as dt

from textual.app import App, ComposeResult

from outreach_tui.ui.common.widgets.day_chart import (
    DayChart,
    bar_eighths,
    cell_fill,
    date_label,
    label_step,
)


def _days(count: int, start: dt.date = dt.date(2026, 10, 22)) -> list[tuple[str, int, int]]:
    return [((start + dt.timedelta(i)).isoformat(), 10 + i, i % 4) for i in range(count)]


class ChartApp(App[None]):
    def __init__(self, chart: DayChart) -> None:
        super().__init__()
        self.chart = chart

    def compose(self) -> ComposeResult:
        yield self.chart


def _text(chart: DayChart) -> list[str]:
    return [chart.render_line(y).text for y in range(chart.size.height)]


def test_bar_heights_are_proportional_and_never_hide_a_nonzero_value() -> None:
    assert bar_eighths(60, 60, 9) == 72
    assert bar_eighths(30, 60, 9) == 36
    assert bar_eighths(1, 10_000, 9) == 1  # tiny but visible
    assert bar_eighths(0, 60, 9) == 0
    assert bar_eighths(5, 0, 9) == 0


def test_cell_fill_splits_a_bar_into_full_and_partial_lines() -> None:
    # 3 lines, a bar of 12 eighths: bottom line full, middle half, top empty.
    assert [cell_fill(12, row, 3) for row in range(3)] == [0, 4, 8]


def test_date_labels_and_their_spacing() -> None:
    assert date_label("2026-11-04") == "Nov 04"
    assert date_label("garbage!") == "garbag"
    assert label_step(3) == 3  # 3 columns a day: a 6-char label every 3 days
    assert label_step(1) == 7
    assert label_step(16) == 1


async def test_thirty_days_render_with_axis_max_legend_and_date_labels() -> None:
    chart = DayChart(series_names=("sent", "replies"))
    app = ChartApp(chart)
    async with app.run_test(size=(120, 14)) as pilot:
        chart.set_data(_days(30))
        await pilot.pause()
        lines = _text(chart)
    legend, top, *_rest = lines
    assert "■ sent 735" in legend  # 10 + 11 + ... + 39
    assert "■ replies 43" in legend
    assert "Nov 20: sent 39 · replies 1" in legend  # the last day is highlighted
    assert top.lstrip().startswith("39 ┤")
    dates = lines[-1]
    assert "Nov 20" in dates and "Oct 22" not in dates.split("Nov 20")[1]
    labels = dates.split()
    assert len(labels) // 2 >= 8  # a label every few days, none overlapping
    assert "└" in lines[-2]


async def test_separate_scale_labels_the_second_series_on_the_right() -> None:
    chart = DayChart(series_names=("sent", "spam"), shared_scale=False)
    app = ChartApp(chart)
    async with app.run_test(size=(80, 12)) as pilot:
        chart.set_data([("2026-11-19", 40, 2), ("2026-11-20", 20, 4)])
        await pilot.pause()
        lines = _text(chart)
    assert lines[1].lstrip().startswith("40 ┤")
    assert lines[1].rstrip().endswith("4")


async def test_cursor_moves_with_keys_and_keeps_its_date_on_new_data() -> None:
    chart = DayChart()
    app = ChartApp(chart)
    async with app.run_test(size=(100, 12)) as pilot:
        chart.set_data(_days(10))
        chart.focus()
        await pilot.press("left", "left")
        assert chart.highlighted == ("2026-10-29", 17, 3)
        await pilot.press("home")
        assert chart.cursor == 0
        chart.set_data(_days(12, dt.date(2026, 10, 20)))  # same date, new position
        assert chart.highlighted is not None and chart.highlighted[0] == "2026-10-22"
        await pilot.press("end")
        assert chart.cursor == 11
        await pilot.pause()
        assert "Oct 31: sent 21" in _text(chart)[0]


async def test_no_data_says_so() -> None:
    chart = DayChart()
    app = ChartApp(chart)
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        assert "No activity to chart yet." in _text(chart)[0]
        assert chart.highlighted is None


async def test_a_narrow_chart_overlays_the_series_and_keeps_the_latest_days() -> None:
    chart = DayChart()
    app = ChartApp(chart)
    async with app.run_test(size=(24, 14)) as pilot:
        chart.set_data(_days(30))
        await pilot.pause()
        lines = _text(chart)
    assert all(len(line) == 24 for line in lines)
    assert "Nov 20" in lines[-1]  # the newest day is always labelled
