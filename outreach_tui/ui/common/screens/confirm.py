"""`ConfirmDialog`: one yes/no question with its details, answered from the keyboard.

Used before anything that acts on the server's side of the world at once (launching or
pausing a campaign) or throws work away. `y` confirms; `n` or escape cancels. The detail
text may quote the cache (names, subjects): it is shown as `Text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; dismisses with True (y) or False (n, escape)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 64; max-width: 95%; height: auto; max-height: 80%; padding: 1 2;
        border: round $accent; background: $panel;
    }
    ConfirmDialog .title { text-style: bold; margin-bottom: 1; }
    ConfirmDialog .hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, title: str, detail: Text | str, yes: str = "Yes") -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail if isinstance(detail, Text) else Text(detail)
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), classes="title")
            yield Static(self.detail)
            yield Static(key_hints(("y", self.yes), ("n/esc", "Cancel")), classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def key_menu(rows: Iterable[tuple[str, str | Text]]) -> Text:
    """A dialog's one-key choices, a line each (the key in reverse video, then what it
    does), ending with `esc  Cancel`. A label given as `Text` keeps its styles."""
    text = Text()
    for key, label in rows:
        text.append(f" {key} ", style="bold reverse")
        text.append("  ")
        text.append(label)
        text.append("\n")
    text.append("esc", style="bold reverse")
    text.append("  Cancel")
    return text


def key_hints(*pairs: tuple[str, str]) -> Text:
    """`key label` pairs as a dialog's hint line (keys in reverse video)."""
    text = Text()
    for key, label in pairs:
        text.append(f" {key} ", style="bold reverse")
        text.append(f" {label}   ")
    return text
