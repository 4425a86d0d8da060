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

CONNECTING = "connecting…"  # `syncing` until the server first answers
MESSAGE_LIMIT = 200  # characters of one status message (it often quotes a server)


@dataclass(frozen=True)
class StatusInfo:
    """Everything the status bar shows."""

    profile: str = ""
    online: bool | None = None  # None: not known yet (no sync attempted this session)
    sync_failed: bool = False  # the last attempt failed (the server down, a refusal)
    syncing: str = ""  # e.g. "conversations:primary 300/1200"
    last_synced: str = ""  # relative, e.g. "2m ago"
    pending: int = 0
    failed: int = 0
    conflict: int = 0
    rate_remaining: int | None = None
    message: str = ""  # the last error or notice, one line
    message_screen: int = 0  # id() of the screen it was said on; 0: every screen
    message_source: str = ""  # "sync" for the sync's own news (the next good sync clears it)
    inboxes_needing_attention: int = 0  # core.warmup's attention_count: inboxes, not warnings


class StatusLine:
    """The status state of one app; `changed` fires with the new `StatusInfo`.

    A message belongs to the screen it was said on (another screen's bar does not show
    it) and stays until the next key pressed on that screen, or until replaced.
    """

    def __init__(self, owner: DOMNode, profile: str) -> None:
        self.owner = owner
        self.info = StatusInfo(profile=profile)
        self.changed: Signal[StatusInfo] = Signal(owner, "status-changed")

    def update(self, **changes: Any) -> None:
        """Replace some fields (UI thread only)."""
        self.info = replace(self.info, **changes)
        self.changed.publish(self.info)

    def say(self, message: str, *, source: str = "", everywhere: bool = False) -> None:
        """Show news or trouble on the current screen's bar (errors never open a modal);
        `everywhere` for news about the whole app (a sync)."""
        screen = 0 if everywhere else id(_current_screen(self.owner))
        self.update(
            message=sanitize_line(message, MESSAGE_LIMIT),
            message_screen=screen,
            message_source=source,
        )

    def key_pressed(self, screen: object) -> None:
        """The user acted on `screen`: its message has been read."""
        info = self.info
        if info.message and info.message_screen in (0, id(screen)):
            self.update(message="", message_screen=0, message_source="")

    def clear_from(self, source: str) -> None:
        """Drop the message if `source` said it (a good sync clears its old failure)."""
        if self.info.message and self.info.message_source == source:
            self.update(message="", message_screen=0, message_source="")

    def shown_on(self, screen: object) -> str:
        """The message `screen`'s bar shows ("" when it belongs to another screen)."""
        info = self.info
        return info.message if info.message_screen in (0, id(screen)) else ""


def _current_screen(owner: DOMNode) -> object | None:
    try:
        return owner.app.screen
    except Exception:  # no screen yet (start-up) or any more (shutting down)
        return None
