"""`DiscardGuard`: how every editor asks before throwing typed text away.

The first esc over unsaved text only warns ("Press esc again to discard …, or keep
typing."); a second esc in a row discards. Typing again re-arms the warning. Reply,
compose and a mailbox's settings share it, so the question reads and works the same.
"""

from __future__ import annotations

from collections.abc import Callable


class DiscardGuard:
    """Decides whether an editor may close on esc; owned by the editor screen."""

    def __init__(self, what: str, say: Callable[[str], object]) -> None:
        """`what` names the text ("this reply"); `say(line)` shows the warning."""
        self.what = what
        self.say = say
        self.warned = False

    def may_close(self, unsaved: bool) -> bool:
        """True when the editor may close now: nothing unsaved, or the second esc."""
        if not unsaved or self.warned:
            return True
        self.warned = True
        self.say(f"Press esc again to discard {self.what}, or keep typing.")
        return False

    def edited(self) -> None:
        """The user typed again: the next esc warns again."""
        self.warned = False
