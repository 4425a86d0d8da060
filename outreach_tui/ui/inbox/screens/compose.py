"""Composing a new conversation: pick the sending inbox, recipients, subject, body.

ctrl+g inserts a snippet filled for the first recipient (their cached lead, else their
name); the merge tags of the subject and the body are rendered for that recipient
before it is queued.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static, TextArea

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.edits.body import BodyRejected, check_body
from outreach_tui.store.queries.leads import recipient_variables
from outreach_tui.store.queries.snippets import Snippet
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.discard import DiscardGuard
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.inbox.screens.merge_gate import MergeTagGate
from outreach_tui.ui.inbox.screens.reply import fill_snippet_into
from outreach_tui.ui.inbox.screens.snippet_picker import SnippetPicker

AUTO_INBOX = "__auto__"


@dataclass(frozen=True)
class Draft:
    """What the compose screen returns."""

    inbox_id: str | None
    to: list[dict[str, str | None]]
    subject: str
    body: str


def parse_recipients(text: str) -> list[dict[str, str | None]] | str:
    """`a@x.com, Bob <b@y.com>` -> recipients; a one-line error string when invalid."""
    recipients: list[dict[str, str | None]] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name: str | None = None
        email = part
        if part.endswith(">") and "<" in part:
            name, _, email = part[:-1].rpartition("<")
            name = name.strip().strip('"') or None
        email = email.strip()
        if "@" not in email or " " in email or email.startswith("@") or email.endswith("@"):
            return f"not an email address: {sanitize_line(part, 60)}"
        recipients.append({"email": email, "name": name})
    if not recipients:
        return "add at least one recipient"
    return recipients


class ComposeScreen(ModalScreen[Draft | None]):
    """A new email; dismisses with a Draft (ctrl+s) or None (escape; twice once typed)."""

    BINDINGS = [
        Binding("ctrl+s", "send", "Queue email", id="compose.send", priority=True),
        Binding("ctrl+g", "snippet", "Snippet", id="compose.snippet", priority=True),
        Binding("escape", "cancel", "Cancel", id="compose.cancel", priority=True),
    ]

    DEFAULT_CSS = """
    ComposeScreen { align: center middle; }
    ComposeScreen > Vertical {
        width: 90%; height: 90%; border: round $accent; background: $panel; padding: 0 1;
    }
    ComposeScreen .title { text-style: bold; }
    ComposeScreen .error { color: $error; height: auto; }
    ComposeScreen TextArea { height: 1fr; }
    """

    def __init__(self, inboxes: list[tuple[str, str]], backend: Backend | None = None) -> None:
        """`inboxes`: (id, email) of the sending inboxes to offer; `backend` reads the
        snippets and what merge tags know of the first recipient."""
        super().__init__()
        self.inboxes = inboxes
        self.backend = backend
        self.discard = DiscardGuard("this email", self._error)
        self.gate = MergeTagGate(self._error)

    def compose(self) -> ComposeResult:
        options = [("First active inbox (server picks)", AUTO_INBOX)] + [
            (sanitize_line(email, 60), inbox_id) for inbox_id, email in self.inboxes
        ]
        with Vertical():
            yield Static("New email", classes="title", markup=False)
            yield Select(options, value=AUTO_INBOX, allow_blank=False, id="compose-inbox")
            yield Input(placeholder="To: a@example.com, Name <b@example.com>", id="compose-to")
            yield Input(placeholder="Subject", id="compose-subject")
            yield TextArea("", id="compose-body", soft_wrap=True)
            yield Static("", classes="error", id="compose-error", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#compose-to", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#compose-error", Static).update(message)

    def action_send(self) -> None:
        recipients = parse_recipients(self.query_one("#compose-to", Input).value)
        if isinstance(recipients, str):
            self._error(recipients)
            return
        subject = self.query_one("#compose-subject", Input).value.strip()
        if not subject:
            self._error("the subject is empty")
            return
        body = self.query_one("#compose-body", TextArea).text
        if not body.strip():
            self._error("the message is empty")
            return
        try:
            check_body(body, "message")  # before the dialog closes: the draft stays editable
        except BodyRejected as error:
            self._error(str(error))
            return
        variables, seed_key = self._recipient(recipients)
        parts = {"subject": subject, "body": body}
        rendered = self.gate.render_parts(parts, variables, seed_key=seed_key)
        if rendered is None:
            return
        subject, body = rendered["subject"].strip(), rendered["body"]
        if not subject:
            self._error("the subject is empty once its merge tags are filled")
            return
        inbox = self.query_one("#compose-inbox", Select).value
        inbox_id = None if inbox == AUTO_INBOX or not isinstance(inbox, str) else inbox
        self.dismiss(Draft(inbox_id, recipients, subject, body))

    def _typed(self) -> bool:
        fields = (
            self.query_one("#compose-to", Input).value,
            self.query_one("#compose-subject", Input).value,
            self.query_one("#compose-body", TextArea).text,
        )
        return any(text.strip() for text in fields)

    def action_cancel(self) -> None:
        if self.discard.may_close(self._typed()):
            self.dismiss(None)

    def on_input_changed(self) -> None:
        self.discard.edited()
        self.gate.edited()

    def on_text_area_changed(self) -> None:
        self.discard.edited()
        self.gate.edited()

    def _recipient(
        self, recipients: list[dict[str, str | None]] | str
    ) -> tuple[dict[str, str], str]:
        """What merge tags read of the first recipient, and the spintax seed (their email)."""
        if isinstance(recipients, str) or not recipients:
            return {}, ""
        email = recipients[0]["email"] or ""
        if self.backend is None:
            return {"email": email}, email
        name = recipients[0].get("name") or ""
        return recipient_variables(self.backend.reader, email, name), email

    def action_snippet(self) -> None:
        """Pick a snippet; it is filled for the first recipient and inserted in the body."""
        if self.backend is None:
            self.notify("Snippets are not available here.", severity="warning")
            return
        self.app.push_screen(SnippetPicker(self.backend), self.insert_snippet)

    def insert_snippet(self, snippet: Snippet | None) -> None:
        """Insert `snippet` filled for the first recipient typed so far."""
        if snippet is None:
            return
        recipients = parse_recipients(self.query_one("#compose-to", Input).value)
        variables, seed_key = self._recipient(recipients)
        area = self.query_one("#compose-body", TextArea)
        problem = fill_snippet_into(area, snippet, variables, seed_key=seed_key, draft="email")
        if problem:
            self._error(problem)
