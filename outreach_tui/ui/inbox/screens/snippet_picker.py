"""The snippet picker of reply and compose: type to filter (fuzzy), enter inserts.

Snippets are local to the cache (the API has none), so the picker works offline. ctrl+g
again opens the snippets screen to add, edit or delete them.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from outreach_tui.store.queries.snippets import Snippet, list_snippets
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.inbox.screens.snippets import SnippetsScreen, snippet_option


def rank(snippets: list[Snippet], query: str) -> list[Snippet]:
    """The snippets whose name matches `query` fuzzily, best first (all when empty)."""
    if not query.strip():
        return list(snippets)
    matcher = Matcher(query.strip())
    scored = [(matcher.match(s.name), n, s) for n, s in enumerate(snippets)]
    return [s for score, _, s in sorted(scored, key=lambda t: (-t[0], t[1])) if score > 0]


class SnippetPicker(ModalScreen[Snippet | None]):
    """Pick a snippet by name; dismisses with it (enter) or None (escape)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="snippet_picker.cancel"),
        Binding("enter", "choose", "Insert", id="snippet_picker.choose", priority=True),
        Binding("down", "move(1)", "Next", show=False, id="snippet_picker.down", priority=True),
        Binding("up", "move(-1)", "Previous", show=False, id="snippet_picker.up", priority=True),
        Binding("ctrl+g", "manage", "Manage snippets", id="snippet_picker.manage"),
    ]

    DEFAULT_CSS = """
    SnippetPicker { align: center middle; }
    SnippetPicker > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%; padding: 0 1;
        border: round $accent; background: $panel;
    }
    SnippetPicker .title { text-style: bold; }
    SnippetPicker .hint { color: $text-muted; }
    SnippetPicker OptionList { height: auto; max-height: 14; }
    """

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.snippets: list[Snippet] = []
        self.shown: list[Snippet] = []
        # Read again whenever the cache changed: the snippets screen opened from here
        # (ctrl+g) or `snippets add` in another terminal.
        self.view = CacheView(self, backend, list_snippets, self.apply, what="the snippets")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Insert a snippet (kept in this cache only)", classes="title")
            yield Input(placeholder="Type to filter by name", id="snippet-filter")
            yield OptionList(id="snippet-options")
            yield Static(
                "enter insert · ↑↓ move · ctrl+g add, edit, delete · esc cancel",
                classes="hint",
                id="snippet-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.view.start()

    def apply(self, snippets: list[Snippet]) -> None:
        """Take the snippets read from the cache and refilter."""
        self.snippets = snippets
        self.refilter()

    @on(Input.Changed, "#snippet-filter")
    def refilter(self) -> None:
        """Show the snippets matching the filter, the best one highlighted."""
        self.shown = rank(self.snippets, self.query_one(Input).value)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(snippet_option(s)) for s in self.shown])
        if self.shown:
            options.highlighted = 0
        elif not self.snippets:
            options.add_option(Option(Text("No snippets yet: ctrl+g to add one."), disabled=True))
        else:
            options.add_option(Option(Text("No snippet matches."), disabled=True))

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + step))

    @on(OptionList.OptionSelected)
    def action_choose(self) -> None:
        index = self.query_one(OptionList).highlighted
        if self.shown and index is not None and index < len(self.shown):
            self.dismiss(self.shown[index])

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_manage(self) -> None:
        self.app.push_screen(SnippetsScreen(self.backend))
