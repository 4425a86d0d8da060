"""Writing a reply: an in-app editor, or $EDITOR; the text is queued, never lost.

The body is plain text; `core.plain_html.text_to_html` turns it into the HTML the API
takes (nothing typed is interpreted as markup).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.edits.body import BodyRejected, check_body
from outreach_tui.ui.common.discard import DiscardGuard
from outreach_tui.ui.common.widgets.footer import AppFooter


class ReplyScreen(ModalScreen[str | None]):
    """Edit a reply; dismisses with the text (ctrl+s) or None (escape twice / discard)."""

    BINDINGS = [
        Binding("ctrl+s", "send", "Queue reply", id="reply.send", priority=True),
        Binding("ctrl+e", "external_editor", "$EDITOR", id="reply.editor", priority=True),
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

    def __init__(self, subject: str, recipient: str, draft: str = "") -> None:
        super().__init__()
        self.subject = subject
        self.recipient = recipient
        self.draft = draft
        self.discard = DiscardGuard(
            "this reply", lambda line: self.query_one("#reply-hint", Static).update(line)
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Reply to {sanitize_line(self.recipient, 60)} — {sanitize_line(self.subject, 80)}",
                classes="title",
                markup=False,
            )
            yield TextArea(self.draft, id="reply-body", soft_wrap=True, show_line_numbers=False)
            yield Static(
                "ctrl+s queue (sent on the next sync) · ctrl+e $EDITOR · esc cancel",
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
        self.dismiss(text)

    def action_cancel(self) -> None:
        if self.discard.may_close(bool(self.text.strip())):
            self.dismiss(None)

    def on_text_area_changed(self) -> None:
        self.discard.edited()

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
