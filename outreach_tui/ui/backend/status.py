"""The app's one status line: what every screen's `StatusBar` shows.

One object holds the state (`StatusInfo`) and publishes each change on a Textual
`Signal`, so bars on every screen repaint themselves; nobody queries screens for bars.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from textual.dom import DOMNode
from textual.signal import Signal

from outreach_tui.core.sanitize import sanitize_line

MESSAGE_LIMIT = 200  # characters of one status message (it often quotes a server)


@dataclass(frozen=True)
class StatusInfo:
    """Everything the status bar shows."""

    profile: str = ""
    online: bool | None = None  # None: not known yet (no sync attempted this session)
    syncing: str = ""  # e.g. "conversations:primary 300/1200"
    last_synced: str = ""  # relative, e.g. "2m ago"
    pending: int = 0
    failed: int = 0
    conflict: int = 0
    rate_remaining: int | None = None
    message: str = ""  # the last error or notice, one line
    inboxes_needing_attention: int = 0  # core.warmup's attention_count: inboxes, not warnings


class StatusLine:
    """The status state of one app; `changed` fires with the new `StatusInfo`."""

    def __init__(self, owner: DOMNode, profile: str) -> None:
        self.info = StatusInfo(profile=profile)
        self.changed: Signal[StatusInfo] = Signal(owner, "status-changed")

    def update(self, **changes: Any) -> None:
        """Replace some fields (UI thread only)."""
        self.info = replace(self.info, **changes)
        self.changed.publish(self.info)

    def say(self, message: str) -> None:
        """Show one line of news or trouble (errors never open a modal)."""
        self.update(message=sanitize_line(message, MESSAGE_LIMIT))
