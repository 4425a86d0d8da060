"""A reload that was replaced by a newer one never lands over the newer result."""

from __future__ import annotations

import threading

from textual import work
from textual.app import App, ComposeResult
from textual.widgets import Static

from outreach_tui.ui.backend.workers import deliver


class TwoReloads(App[None]):
    """Two runs of one exclusive reader; the first is held until the second has landed."""

    def __init__(self) -> None:
        super().__init__()
        self.first_reading = threading.Event()
        self.release_first = threading.Event()
        self.shown: list[str] = []
        self.reads_done: list[str] = []  # runs whose deliver() has returned

    def compose(self) -> ComposeResult:
        yield Static()

    @work(thread=True, exclusive=True, group="reload")
    def reload(self, value: str, hold: threading.Event | None = None) -> None:
        if hold is not None:
            self.first_reading.set()
            hold.wait(5)
        deliver(self, self.show_value, value)
        self.reads_done.append(value)

    def show_value(self, value: str) -> None:
        self.shown.append(value)


async def _wait_until(pilot: object, condition: object, limit: int = 200) -> None:
    for _ in range(limit):
        if condition():  # type: ignore[operator]
            return
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    raise AssertionError("the condition never held")


async def test_a_replaced_run_finishing_last_does_not_overwrite_the_newer_result() -> None:
    app = TwoReloads()
    async with app.run_test() as pilot:
        first = app.reload("old data", app.release_first)
        await _wait_until(pilot, app.first_reading.is_set)  # its thread is running
        second = app.reload("new data")
        await _wait_until(pilot, lambda: app.shown == ["new data"])
        assert first.is_cancelled
        app.release_first.set()  # the old read finishes now, after the newer one landed
        await _wait_until(pilot, lambda: "old data" in app.reads_done)
        assert app.shown == ["new data"]
        assert second.is_finished


async def test_the_only_run_lands() -> None:
    app = TwoReloads()
    async with app.run_test() as pilot:
        app.reload("data")
        await _wait_until(pilot, lambda: app.shown == ["data"])
