"""The help screen (`?` / F1): the bindings of the screen you came from, with their ids.

The ids are what `config.toml`'s `[keymap]` table remaps, e.g. `"inbox.label" = "L"`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static


class HelpScreen(ModalScreen[None]):
    """A table of key -> action for the focused screen."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss_help", "Close", id="help.close")]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 90; max-width: 100%; height: 80%; border: round $accent; background: $panel;
        padding: 0 1;
    }
    HelpScreen .title { text-style: bold; }
    HelpScreen .hint { color: $text-muted; }
    HelpScreen DataTable { height: 1fr; }
    HelpScreen .notes { height: auto; margin-top: 1; }
    """

    def __init__(self, title: str, rows: list[tuple[str, str, str]], notes: str = "") -> None:
        """`rows`: (keys as shown, what it does, binding id); `notes`: what the keys
        alone do not say (the screen's `HELP_NOTES`)."""
        super().__init__()
        self.title_text = title
        self.rows = rows
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Keys — {self.title_text}", classes="title", markup=False)
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            # Text labels: "[keymap]" in a plain string would be read as markup and vanish.
            table.add_columns(Text("Key"), Text("Action"), Text("Id (for [keymap] in config.toml)"))
            for row in self.rows:
                # Text cells: a plain str cell would be parsed as markup (a key like "[").
                table.add_row(*(Text(cell) for cell in row))
            yield table
            if self.notes:
                yield Static(self.notes, classes="notes", markup=False)
            yield Static(
                "ctrl+p opens the command palette (every screen and action, themes).",
                classes="hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def action_dismiss_help(self) -> None:
        self.dismiss(None)


def describe_bindings(
    bindings: Mapping[str, ActiveBinding], key_display: Callable[[Binding], str]
) -> list[tuple[str, str, str]]:
    """Rows for the help table from `Screen.active_bindings`: one row per action.

    Only the app's own bindings (they all have an id for `[keymap]`): Textual's generic
    ones (scroll left, focus next, …) are not what a person looks up here."""
    keys: dict[tuple[str, str], list[str]] = {}
    descriptions: dict[tuple[str, str], str] = {}
    for active in bindings.values():
        binding = active.binding
        if not binding.id:
            continue
        identity = (binding.action, binding.id or "")
        shown = key_display(binding)
        if shown not in keys.setdefault(identity, []):
            keys[identity].append(shown)
        descriptions[identity] = binding.description or binding.action
    return [
        (" / ".join(shown), descriptions[identity], identity[1]) for identity, shown in keys.items()
    ]
