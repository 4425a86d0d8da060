"""Keep mine / take theirs for a variant edited here while someone changed it on the server.

The push left the edit's outbox item(s) in `conflict` (long text is never overwritten);
this dialog shows, per conflicting field, a line diff from the server's version (theirs:
the item's `theirs`) to the user's (mine: `campaign_queries.variant_versions`), and
dismisses with "mine", "theirs" or None (decide later). Both texts come from strangers'
hands (a colleague, the server): sanitized, drawn as `Text`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from outreach_tui.core.sanitize import sanitize_text
from outreach_tui.store.outbox import OutboxItem

MINE, THEIRS = "mine", "theirs"
FIELD_NAMES = {"subject": "Subject", "body_html": "Body", "enabled": "Enabled"}


@dataclass(frozen=True)
class VariantConflict:
    """A variant's conflicting items with both versions of its text."""

    label: str  # e.g. "Step 2 · B"
    items: tuple[OutboxItem, ...]
    versions: dict[str, Any] | None  # campaign_queries.variant_versions

    def texts(self, item: OutboxItem) -> tuple[str, str]:
        """(theirs, mine) of the item's field as text."""
        mine = item.value
        if self.versions is not None and item.field in self.versions["mine"]:
            mine = self.versions["mine"][item.field]
        theirs = item.theirs
        if theirs is None and self.versions is not None:
            theirs = self.versions["theirs"].get(item.field or "")
        return ("" if theirs is None else str(theirs), "" if mine is None else str(mine))


def diff_text(field: str, theirs: str, mine: str) -> Text:
    """A line diff theirs -> mine: removed lines red (-), added green (+), context dim."""
    out = Text()
    out.append(f"{FIELD_NAMES.get(field, field)}\n", style="bold")
    lines = list(
        difflib.unified_diff(
            sanitize_text(theirs).text.splitlines(),
            sanitize_text(mine).text.splitlines(),
            "theirs (server)",
            "mine",
            lineterm="",
            n=2,
        )
    )
    if not lines:
        out.append("  (the same text on both sides)\n", style="dim")
    for line in lines:
        if line.startswith(("---", "+++")):
            style = "bold"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        else:
            style = "dim"
        out.append(line + "\n", style=style)
    return out


class ConflictDialog(ModalScreen[str | None]):
    """Both versions of a conflicting variant; m keeps mine, t takes theirs, esc decides later."""

    BINDINGS = [
        Binding("m", "answer('mine')", "Keep mine", id="sequences.conflict_mine"),
        Binding("t", "answer('theirs')", "Take theirs", id="sequences.conflict_theirs"),
        Binding("escape", "answer(None)", "Later", id="sequences.conflict_later"),
    ]
    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > Vertical {
        width: 100; height: auto; max-height: 90%; padding: 1 2;
        border: round $warning; background: $panel;
    }
    ConflictDialog .title { text-style: bold; }
    ConflictDialog VerticalScroll { height: auto; max-height: 24; margin: 1 0; }
    ConflictDialog .hint { color: $text-muted; }
    """

    def __init__(self, conflict: VariantConflict) -> None:
        super().__init__()
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        diff = Text()
        for item in self.conflict.items:
            theirs, mine = self.conflict.texts(item)
            diff.append_text(diff_text(item.field or "", theirs, mine))
            diff.append("\n")
        keys = Text()
        for key, label in (("m", "Keep mine"), ("t", "Take theirs"), ("esc", "Decide later")):
            keys.append(f" {key} ", style="bold reverse")
            keys.append(f" {label}   ")
        with Vertical():
            yield Static(
                Text(f"{self.conflict.label} was changed on the server while you edited it"),
                classes="title",
            )
            yield Static(
                Text(
                    "Keep mine sends your version (it replaces the server's); take theirs "
                    "drops your edit. Both stay in the conflict log (ctrl+o).",
                    style="dim",
                )
            )
            with VerticalScroll():
                yield Static(diff, id="conflict-diff")
            yield Static(keys, classes="hint")

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)
