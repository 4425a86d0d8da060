""" "All matching": one decision for every conversation the inbox's filter shows, even
100,000 of them (`store.edits.bulk`), with their number shown first and one undo."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from outreach_tui.ui.common.screens.confirm import key_menu

# key → what the dialog answers
BULK_KEYS = {"l": "label", "0": "clear", "r": "read", "U": "unread", "s": "snooze"}


class BulkPicker(ModalScreen[str | None]):
    """What to do with all `count` matching conversations; dismisses with "label",
    "clear", "read", "unread", "snooze" or None (escape)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="bulk.cancel")]

    DEFAULT_CSS = """
    BulkPicker { align: center middle; }
    BulkPicker > Vertical {
        width: 60; max-width: 100%; height: auto; padding: 1 2;
        border: round $accent; background: $panel;
    }
    BulkPicker .title { text-style: bold; margin-bottom: 1; }
    BulkPicker .keys { margin-top: 1; }
    BulkPicker .hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, count: int, summary: str) -> None:
        super().__init__()
        self.count = count
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"All {self.count:,} matching conversation{'s' if self.count != 1 else ''}",
                classes="title",
                markup=False,
            )
            yield Static(Text(self.summary), markup=False)
            lines = key_menu(
                [
                    ("l", "Label…"),
                    ("0", "Clear the label (back to the AI's)"),
                    ("r", "Mark read"),
                    ("U", "Mark unread"),
                    ("s", "Snooze…"),
                ]
            )
            yield Static(lines, classes="keys")
            yield Static("z undoes the whole batch.", classes="hint", markup=False)

    def on_key(self, event: events.Key) -> None:
        choice = BULK_KEYS.get(event.key)
        if choice is not None:
            event.stop()
            self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
