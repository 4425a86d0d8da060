"""Messages the background threads post to the app; handlers on the app own the state.

The writer thread never touches widgets: it posts these (`post_message` is thread-safe),
and `@on` handlers update the screen (harlequin's rule).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump

from outreach_tui.store.sync_lock import SyncBusy
from outreach_tui.sync.progress import SyncProgress, SyncReport


class StoreChanged(Message):
    """The cache changed under a sync (a page was stored, an item pushed)."""


class SyncProgressed(Message):
    """A sync run moved forward."""

    def __init__(self, progress: SyncProgress) -> None:
        super().__init__()
        self.progress = progress


class SyncFinished(Message):
    """A sync run ended; `report` says how (None when it did not run: `error` says why,
    and `busy` is set when another process was syncing the cache)."""

    def __init__(
        self, report: SyncReport | None, error: str = "", *, busy: SyncBusy | None = None
    ) -> None:
        super().__init__()
        self.report = report
        self.error = error
        self.busy = busy


class EditLanded(Message):
    """An edit was applied on the writer thread; `on_result` runs on the UI thread."""

    def __init__(
        self, result: Any, done: str, on_result: Callable[[Any], None] | None = None
    ) -> None:
        super().__init__()
        self.result = result
        self.done = done
        self.on_result = on_result


class PullFinished(Message):
    """An on-demand pull ended (`Backend.pull`): `error` is one line when it failed.

    The app gets it first (to end the pull's de-duplication); the node that asked
    receives its own copy (`for_node` set to None)."""

    def __init__(
        self,
        key: str,
        report: SyncReport | None,
        error: str | None,
        for_node: MessagePump | None = None,
    ) -> None:
        super().__init__()
        self.key = key
        self.report = report
        self.error = error
        self.for_node = for_node


class Notice(Message):
    """A one-line notice for the user (e.g. an edit refused, a file saved)."""

    def __init__(self, text: str, severity: str = "information") -> None:
        super().__init__()
        self.text = text
        self.severity = severity
