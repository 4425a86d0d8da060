"""Writing a snippet: a name and a text with merge tags, checked before it is saved."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from outreach_tui.core.mergetags import validate
from outreach_tui.store.edits.body import BodyRejected, check_body
from outreach_tui.store.edits.common import EditError
from outreach_tui.store.edits.snippets import check_name
from outreach_tui.store.queries.snippets import Snippet, get_snippet, snippet_key
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.discard import DiscardGuard
from outreach_tui.ui.common.widgets.footer import AppFooter

HINT = "ctrl+s save · esc cancel · tags: {{first_name|there}} {{company}} {{SPINTAX|Hi|Hello}}"


class SnippetEditor(ModalScreen[tuple[str, str] | None]):
    """Edit a snippet's name and text; dismisses with (name, text) or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="snippet_editor.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="snippet_editor.cancel", priority=True),
    ]

    DEFAULT_CSS = """
    SnippetEditor { align: center middle; }
    SnippetEditor > Vertical {
        width: 90%; height: 80%; border: round $accent; background: $panel; padding: 0 1;
    }
    SnippetEditor .title { text-style: bold; height: 1; }
    SnippetEditor .hint { color: $text-muted; height: auto; }
    SnippetEditor TextArea { height: 1fr; }
    """

    def __init__(self, backend: Backend, snippet: Snippet | None = None) -> None:
        super().__init__()
        self.backend = backend
        self.snippet = snippet
        self.discard = DiscardGuard("this snippet", self._say)

    def compose(self) -> ComposeResult:
        with Vertical():
            title = "New snippet" if self.snippet is None else "Edit snippet"
            yield Static(title, classes="title", markup=False)
            yield Input(
                self.snippet.name if self.snippet else "",
                placeholder="Name (unique, at most 80 characters)",
                id="snippet-name",
            )
            yield TextArea(
                self.snippet.body if self.snippet else "",
                id="snippet-body",
                soft_wrap=True,
                show_line_numbers=False,
            )
            yield Static(HINT, classes="hint", id="snippet-editor-hint", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#snippet-name", Input).focus()

    def _say(self, line: str) -> None:
        self.query_one("#snippet-editor-hint", Static).update(line)

    def _problem(self, name: str, body: str) -> str | None:
        """Why (name, body) cannot be saved, or None (the name is looked at first)."""
        try:
            name = check_name(name)
        except EditError as error:
            return str(error)
        taken = get_snippet(self.backend.reader, name)
        own = snippet_key(self.snippet.name) if self.snippet else None
        if taken is not None and snippet_key(taken.name) != own:
            return f"a snippet named {taken.name!r} already exists"
        if not body.strip():
            return "the snippet is empty"
        try:
            check_body(body, "snippet")
        except BodyRejected as error:
            return str(error)
        tag_problem = validate(body)
        if tag_problem is not None:
            return f"merge tag at character {tag_problem.offset + 1}: {tag_problem.message}"
        return None

    def action_save(self) -> None:
        name = self.query_one("#snippet-name", Input).value
        body = self.query_one("#snippet-body", TextArea).text
        problem = self._problem(name, body)
        if problem is not None:
            self._say(problem)
            return
        self.dismiss((name.strip(), body))

    def _unsaved(self) -> bool:
        name = self.query_one("#snippet-name", Input).value
        body = self.query_one("#snippet-body", TextArea).text
        if self.snippet is None:
            return bool(name.strip() or body.strip())
        return (name, body) != (self.snippet.name, self.snippet.body)

    def action_cancel(self) -> None:
        if self.discard.may_close(self._unsaved()):
            self.dismiss(None)

    def on_input_changed(self) -> None:
        self.discard.edited()

    def on_text_area_changed(self) -> None:
        self.discard.edited()
