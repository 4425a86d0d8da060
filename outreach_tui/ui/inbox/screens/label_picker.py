"""The label picker: one key per label, `0`/backspace clears the override."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from outreach_tui.core.labels import CLEAR_OVERRIDE_KEY, LABELS, PickerChoice, label_for_key
from outreach_tui.ui.common.screens.confirm import key_menu


class LabelPicker(ModalScreen[PickerChoice | None]):
    """Pick a label with a single key; dismisses with the choice (None on escape)."""

    BINDINGS = [Binding("escape", "dismiss_picker", "Cancel", id="label_picker.cancel")]

    DEFAULT_CSS = """
    LabelPicker { align: center middle; }
    LabelPicker > Vertical {
        width: 48; height: auto; padding: 1 2;
        border: round $accent; background: $panel;
    }
    LabelPicker .title { text-style: bold; margin-bottom: 1; }
    """

    def __init__(self, counts: dict[str, int] | None = None, title: str = "Set label") -> None:
        super().__init__()
        self.counts = counts or {}
        self.title_text = title

    def compose(self) -> ComposeResult:
        rows: list[tuple[str, str | Text]] = [
            (
                info.key,
                Text.assemble(
                    info.display_name,
                    (f"  ({self.counts[info.value]})" if info.value in self.counts else "", "dim"),
                ),
            )
            for info in LABELS
        ]
        rows.append((CLEAR_OVERRIDE_KEY, "or backspace: back to the AI label"))
        lines = key_menu(rows)
        with Vertical():
            yield Static(self.title_text, classes="title", markup=False)
            yield Static(lines)

    def on_key(self, event: events.Key) -> None:
        choice = label_for_key(event.key)
        if choice is not None:
            event.stop()
            self.dismiss(choice)

    def action_dismiss_picker(self) -> None:
        self.dismiss(None)
