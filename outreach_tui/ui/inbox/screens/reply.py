"""Writing a reply: an in-app editor, or $EDITOR; the text is queued, never lost.

The body is plain text; `core.plain_html.text_to_html` turns it into the HTML the API
takes (nothing typed is interpreted as markup). ctrl+g inserts a snippet filled for the
conversation's lead; the draft's merge tags are rendered before it is queued
(`MergeTagGate`), so `{{first_name}}` never goes out literally.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from outreach_tui.core.draft_tags import fill_known
from outreach_tui.core.sanitize import sanitize_line, sanitize_text
from outreach_tui.store.edits.body import MAX_BODY_BYTES, BodyRejected, check_body
from outreach_tui.store.queries.snippets import Snippet
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.discard import DiscardGuard
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.inbox.screens.merge_gate import MergeTagGate, missing_sentence
from outreach_tui.ui.inbox.screens.snippet_picker import SnippetPicker


class ReplyScreen(ModalScreen[str | None]):
    """Edit a reply; dismisses with the text (ctrl+s) or None (escape twice / discard)."""

    BINDINGS = [
        Binding("ctrl+s", "send", "Queue reply", id="reply.send", priority=True),
        Binding("ctrl+e", "external_editor", "$EDITOR", id="reply.editor", priority=True),
        Binding("ctrl+g", "snippet", "Snippet", id="reply.snippet", priority=True),
        Binding("escape", "cancel", "Cancel", id="reply.cancel", priority=True),
    ]

    DEFAULT_CSS = """
    ReplyScreen { align: center middle; }
    ReplyScreen > Vertical {
        width: 90%; height: 80%; border: round $accent; background: $panel; padding: 0 1;
    }
    ReplyScreen .title { text-style: bold; height: 1; }
    ReplyScreen .hint { color: $text-muted; height: 1; }
    ReplyScreen TextArea { height: 1fr; }
    """

    def __init__(
        self,
        subject: str,
        recipient: str,
        draft: str = "",
        *,
        backend: Backend | None = None,
        variables: Mapping[str, str] | None = None,
        seed_key: str = "",
    ) -> None:
        """`variables`: what merge tags read of the lead (`queries.leads`); `seed_key`
        picks the spintax options (the conversation id); `backend` reads the snippets."""
        super().__init__()
        self.subject = subject
        self.recipient = recipient
        self.draft = draft
        self.backend = backend
        self.variables = dict(variables or {})
        self.seed_key = seed_key
        self.discard = DiscardGuard("this reply", self._say)
        self.gate = MergeTagGate(self._say)

    def _say(self, line: str) -> None:
        self.query_one("#reply-hint", Static).update(line)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Reply to {sanitize_line(self.recipient, 60)} — {sanitize_line(self.subject, 80)}",
                classes="title",
                markup=False,
            )
            yield TextArea(self.draft, id="reply-body", soft_wrap=True, show_line_numbers=False)
            yield Static(
                # ctrl+e ($EDITOR) is in the footer: the line fits 80 columns.
                "ctrl+s queue (sent on the next sync) · ctrl+g snippet · esc cancel",
                classes="hint",
                id="reply-hint",
                markup=False,
            )
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_send(self) -> None:
        text = self.text
        if not text.strip():
            self.notify("The reply is empty.", severity="warning")
            return
        try:
            # The store would refuse it too, but only after the editor closed: checked
            # here, the text stays on screen to be cut down.
            check_body(text, "reply")
        except BodyRejected as error:
            self.query_one("#reply-hint", Static).update(str(error))
            self.notify(str(error), severity="error")
            return
        rendered = self.gate.render(text, self.variables, seed_key=self.seed_key)
        if rendered is None:
            return
        self.dismiss(rendered)

    def action_cancel(self) -> None:
        if self.discard.may_close(bool(self.text.strip())):
            self.dismiss(None)

    def on_text_area_changed(self) -> None:
        self.discard.edited()
        self.gate.edited()

    def action_snippet(self) -> None:
        """Pick a snippet; it is filled for the lead and inserted at the cursor."""
        if self.backend is None:
            self.notify("Snippets are not available here.", severity="warning")
            return
        self.app.push_screen(SnippetPicker(self.backend), self.insert_snippet)

    def insert_snippet(self, snippet: Snippet | None) -> None:
        """Insert `snippet` filled with the lead's variables (replacing an empty draft)."""
        if snippet is None:
            return
        problem = fill_snippet_into(
            self.query_one(TextArea), snippet, self.variables, seed_key=self.seed_key, draft="reply"
        )
        if problem:
            self._say(problem)

    def action_external_editor(self) -> None:
        """Edit the draft in $VISUAL/$EDITOR (the TUI is suspended meanwhile)."""
        editor = external_editor()
        if not editor:
            self.notify("Set $EDITOR to use an external editor.", severity="warning")
            return
        try:
            with self.app.suspend():
                text = edit_in_editor(self.text, editor)
        except Exception as error:  # a missing editor, no terminal to suspend
            self.notify(f"Could not run {editor}: {error}", severity="error")
            return
        self.query_one(TextArea).text = text


def fill_snippet_into(
    area: TextArea,
    snippet: Snippet,
    variables: Mapping[str, str],
    *,
    seed_key: str,
    draft: str,
) -> str | None:
    """Fill `snippet`'s tags known from `variables` and insert it into `area`; the
    sentence to show when some tags stay in the `draft` ("reply", "email"), else None."""
    filled = fill_known(snippet.body, variables, seed_key=seed_key)
    insert_into(area, filled.text)
    if not filled.missing:
        return None
    return (
        f"{missing_sentence(filled.missing)}: the tags stay in the {draft};"
        " edit them, or they go out empty."
    )


def insert_into(area: TextArea, text: str) -> None:
    """Insert `text` at the cursor of `area`; an empty (or blank) draft is replaced.

    A snippet may come from any file (`snippets add --body-file`): escape sequences,
    controls and bidi overrides are dropped before it reaches the editor.
    """
    text = sanitize_text(text, max_chars=MAX_BODY_BYTES).text
    if area.text.strip():
        area.insert(text)
    else:
        area.text = text
        area.move_cursor(area.document.end)
    area.focus()


def external_editor() -> str | None:
    """The user's editor command: $VISUAL, else $EDITOR (None when neither is set)."""
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or None


def edit_in_editor(
    text: str,
    editor: str,
    run: Callable[[list[str]], object] = lambda argv: subprocess.run(argv, check=False),
) -> str:
    """Open `text` in `editor` (a shell-style command line) on a private temporary file
    and return what the file holds when the editor exits; raises OSError when it cannot
    start. The file lives in a fresh directory only this user can read."""
    with tempfile.TemporaryDirectory(prefix="outreach-reply-") as folder:
        path = Path(folder) / "reply.txt"
        path.write_text(text, encoding="utf-8")
        run([*shlex.split(editor), str(path)])
        return path.read_text(encoding="utf-8", errors="replace")
