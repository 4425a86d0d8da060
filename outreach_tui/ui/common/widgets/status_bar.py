"""The status bar: workspace, online state, sync progress, outbox counts, inboxes that need
attention (the warmup header's figure, `core.warmup.attention_text`), request budget.

All of it is plain text built here (never markup), so a hostile error message from a
server shows as the characters it is.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.core.warmup import attention_text
from outreach_tui.ui.backend.status import StatusLine


class StatusBar(Widget):
    """One line at the bottom of every screen."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, status: StatusLine, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.status = status

    def on_mount(self) -> None:
        self.status.changed.subscribe(self, lambda _info: self.refresh())

    def render(self) -> Text:
        info = self.status.info
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(sanitize_line(info.profile, 30) or "outreach-tui", style="bold")
        text.append("  ")
        if info.online is None:
            text.append("○ not connected", style="dim")
        elif info.online:
            text.append("● online", style="green")
        else:
            text.append("● offline", style="red")
        if info.syncing:
            text.append(f"  ⟳ {sanitize_line(info.syncing, 60)}", style="cyan")
        elif info.last_synced:
            text.append(f"  synced {info.last_synced}", style="dim")
        outbox = []
        if info.pending:
            outbox.append((f"↑{info.pending} pending", "yellow"))
        if info.failed:
            outbox.append((f"!{info.failed} failed", "red"))
        if info.conflict:
            outbox.append((f"?{info.conflict} conflict", "magenta"))
        for label, style in outbox:
            text.append("  ")
            text.append(label, style=style)
        if info.inboxes_needing_attention:
            attention = attention_text(info.inboxes_needing_attention)
            text.append(f"  ⚠ {attention}", style="yellow")
        if info.rate_remaining is not None:
            text.append(f"  api {info.rate_remaining} left", style="dim")
        if info.message:
            text.append("  │ ", style="dim")
            text.append(sanitize_line(info.message, 120), style="italic")
        return text
