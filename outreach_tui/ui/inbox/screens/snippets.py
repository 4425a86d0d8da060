"""The snippets screen: the saved replies of this cache, added, edited and deleted from
the keyboard (n, e or enter, d). Reached from the snippet picker (ctrl+g in reply and
compose) and from the command palette ("Snippets").

Snippets are local: the API has none, so nothing here is queued for a sync.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.edits.snippets import delete_snippet, save_snippet
from outreach_tui.store.queries.snippets import Snippet, list_snippets
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.common.screens.confirm import ConfirmDialog
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.inbox.screens.snippet_editor import SnippetEditor


def snippet_option(snippet: Snippet, width: int = 60) -> Text:
    """A snippet as one line of a list: its name and the start of its text (never markup)."""
    line = Text(sanitize_line(snippet.name, 40), style="bold")
    first = next((part for part in snippet.body.splitlines() if part.strip()), "")
    line.append("  ")
    line.append(sanitize_line(first, width), style="dim")
    return line


class SnippetsScreen(ModalScreen[None]):
    """List the snippets; n adds one, e (or enter) edits, d deletes after a question."""

    BINDINGS = [
        Binding("n", "new", "New", id="snippets.new"),
        Binding("e", "edit", "Edit", id="snippets.edit"),
        Binding("d", "delete", "Delete", id="snippets.delete"),
        Binding("escape", "close", "Close", id="snippets.close"),
    ]

    DEFAULT_CSS = """
    SnippetsScreen { align: center middle; }
    SnippetsScreen > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%; padding: 0 1;
        border: round $accent; background: $panel;
    }
    SnippetsScreen .title { text-style: bold; }
    SnippetsScreen .hint { color: $text-muted; }
    SnippetsScreen OptionList { height: auto; max-height: 16; }
    """

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.snippets: list[Snippet] = []
        self.keep: str | None = None  # the name the cursor goes to after the next read
        self.view = CacheView(self, backend, list_snippets, self.apply, what="the snippets")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Snippets (saved replies, kept in this cache only)", classes="title")
            yield OptionList(id="snippets-list")
            yield Static(
                "n new · e/enter edit · d delete · esc close — merge tags like "
                "{{first_name|there}} are filled for the recipient when inserted",
                classes="hint",
                markup=False,
            )
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.view.start()

    def apply(self, snippets: list[Snippet]) -> None:
        """Show `snippets`; the cursor stays where it was, or goes to `keep` (a name)."""
        options = self.query_one(OptionList)
        previous = options.highlighted or 0
        self.snippets = snippets
        options.clear_options()
        if not snippets:
            options.add_option(Option(Text("No snippets yet: n to add one."), disabled=True))
            return
        options.add_options([Option(snippet_option(s)) for s in snippets])
        names = [s.name.casefold() for s in snippets]
        keep, self.keep = self.keep, None
        wanted = names.index(keep.casefold()) if keep and keep.casefold() in names else previous
        options.highlighted = min(wanted, len(snippets) - 1)

    def _current(self) -> Snippet | None:
        index = self.query_one(OptionList).highlighted
        if self.snippets and index is not None and index < len(self.snippets):
            return self.snippets[index]
        return None

    def _save(self, old: Snippet | None, result: tuple[str, str] | None) -> None:
        if result is None:
            return
        name, body = result
        replace = old.name if old is not None else None
        self.backend.edit(
            lambda db: save_snippet(db, name, body, replace=replace),
            done=f"Snippet {sanitize_line(name, 40)} saved",
            on_result=lambda saved: setattr(self, "keep", saved.name),
        )

    def action_new(self) -> None:
        self.app.push_screen(SnippetEditor(self.backend), lambda r: self._save(None, r))

    @on(OptionList.OptionSelected)
    def action_edit(self) -> None:
        snippet = self._current()
        if snippet is not None:
            self.app.push_screen(
                SnippetEditor(self.backend, snippet), lambda r: self._save(snippet, r)
            )

    def action_delete(self) -> None:
        snippet = self._current()
        if snippet is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.backend.edit(
                    lambda db: delete_snippet(db, snippet.name),
                    done=f"Snippet {sanitize_line(snippet.name, 40)} deleted",
                )

        detail = snippet_option(snippet)
        self.app.push_screen(ConfirmDialog("Delete this snippet?", detail, "Delete"), answered)

    def action_close(self) -> None:
        self.dismiss(None)
