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
from outreach_tui.ui.backend.status import CONNECTING, MESSAGE_LIMIT, StatusLine


class StatusBar(Widget):
    """One line at the bottom of every screen; a message that does not fit beside the
    state goes on its own line(s) below, wrapped, never cut."""

    DEFAULT_CSS = """
    StatusBar {
        height: auto;
        max-height: 4;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, status: StatusLine, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.status = status

    def on_mount(self) -> None:
        # layout=True: a message may take the bar to more lines or back to one
        self.status.changed.subscribe(self, lambda _info: self.refresh(layout=True))

    def render(self) -> Text:
        info = self.status.info
        text = Text()
        text.append(sanitize_line(info.profile, 30) or "outreach-tui", style="bold")
        text.append("  ")
        if info.syncing == CONNECTING:
            text.append("◌ connecting…", style="cyan")  # neither state until it answers
        elif info.online is None:
            text.append("○ not connected", style="dim")
        elif info.online:
            text.append("● online", style="green")
        else:
            text.append("● offline", style="red")
        if info.syncing and info.syncing != CONNECTING:
            text.append(f"  ⟳ {sanitize_line(info.syncing, 60)}", style="cyan")
        if info.sync_failed and not info.syncing:
            text.append("  last sync failed", style="bold red")
        if info.last_synced:
            # The last *successful* sync, whatever happened since.
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
        width = max(self.size.width, 20)
        text.truncate(width, overflow="ellipsis")  # the state stays on one line
        message = self.status.shown_on(self.screen)
        if message:
            line = sanitize_line(message, MESSAGE_LIMIT)
            if text.cell_len + 3 + len(line) <= width:
                text.append("  │ ", style="dim")
            else:
                text.append("\n")
            text.append(line, style="italic")
        return text
