"""The inbox's sort picker: one key per column; the current column's key reverses it."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from outreach_tui.ui.common.screens.confirm import key_menu

# key, column, title, (natural order, reversed order) as the rows run.
SORT_KEYS: tuple[tuple[str, str, str, tuple[str, str]], ...] = (
    ("d", "date", "Date", ("newest first", "oldest first")),
    ("s", "sender", "Sender", ("A to Z", "Z to A")),
    ("l", "label", "Label", ("A to Z", "Z to A")),
    ("t", "subject", "Subject", ("A to Z", "Z to A")),
)


def next_sort(current: tuple[str, bool], column: str) -> tuple[str, bool]:
    """The order after choosing `column`: its natural order, or the current order turned
    round when `column` is already the sort column."""
    sort, reversed_ = current
    return (column, not reversed_) if column == sort else (column, False)


class SortPicker(ModalScreen[tuple[str, bool] | None]):
    """Pick the inbox's order with one key; dismisses with (column, reversed) or None."""

    BINDINGS = [Binding("escape", "dismiss_picker", "Cancel", id="sort_picker.cancel")]

    DEFAULT_CSS = """
    SortPicker { align: center middle; }
    SortPicker > Vertical {
        width: 60; max-width: 100%; height: auto; padding: 1 2;
        border: round $accent; background: $panel;
    }
    SortPicker .title { text-style: bold; margin-bottom: 1; }
    """

    def __init__(self, current: tuple[str, bool]) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        sort, reversed_ = self.current
        rows: list[tuple[str, str | Text]] = []
        for key, column, title, (natural, turned) in SORT_KEYS:
            label = Text(f"{title:<9}")
            if column == sort:
                label.append(f"now: {turned if reversed_ else natural}", style="bold")
                label.append(f" · again: {natural if reversed_ else turned}")
            else:
                label.append(natural)
            rows.append((key, label))
        lines = key_menu(rows)
        with Vertical():
            yield Static("Sort conversations by", classes="title")
            yield Static(lines)

    def on_key(self, event: events.Key) -> None:
        for key, column, _title, _orders in SORT_KEYS:
            if event.key == key:
                event.stop()
                self.dismiss(next_sort(self.current, column))
                return

    def action_dismiss_picker(self) -> None:
        self.dismiss(None)
