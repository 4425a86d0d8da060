"""The status bar: workspace, online state, sync progress, outbox counts, request budget.

All of it is plain text built here (never markup), so a hostile error message from a
server shows as the characters it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

from outreach_tui.core.sanitize import sanitize_line


@dataclass(frozen=True)
class StatusInfo:
    """Everything the status bar shows; widgets replace fields and hand it back."""

    profile: str = ""
    online: bool | None = None  # None: not known yet (no sync attempted this session)
    syncing: str = ""  # e.g. "conversations:primary 300/1200"
    last_synced: str = ""  # relative, e.g. "2m ago"
    pending: int = 0
    failed: int = 0
    conflict: int = 0
    rate_remaining: int | None = None
    message: str = ""  # the last error or notice, one line
    warnings: int = 0


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

    @property
    def info(self) -> StatusInfo:
        """The app's status (every screen's bar shows the same)."""
        info = getattr(self.app, "status_info", None)
        return info if isinstance(info, StatusInfo) else StatusInfo()

    def render(self) -> Text:
        info = self.info
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
        if info.warnings:
            text.append(f"  ⚠ {info.warnings} inbox warning(s)", style="yellow")
        if info.rate_remaining is not None:
            text.append(f"  api {info.rate_remaining} left", style="dim")
        if info.message:
            text.append("  │ ", style="dim")
            text.append(sanitize_line(info.message, 120), style="italic")
        return text
