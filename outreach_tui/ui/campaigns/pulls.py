"""On-demand pulls for the campaign console (a campaign's detail, its leads, the blocklist).

One pull runs at a time per target: a request budget is respected by never starting a
second while the first runs (no loops of requests from the UI). The result comes back as
a `PullFinished` message to the widget that asked, with a one-line summary or error.
"""

from __future__ import annotations

import concurrent.futures
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, cast

from textual.app import App
from textual.message import Message
from textual.widget import Widget

from outreach_tui.sync.progress import SyncReport, SyncRun

if TYPE_CHECKING:
    from outreach_tui.ui.app import OutreachApp

# The pulls running, per app (tests run several apps in one process).
_RUNNING: weakref.WeakKeyDictionary[App[object], set[str]] = weakref.WeakKeyDictionary()


def _running(app: App[object]) -> set[str]:
    return _RUNNING.setdefault(app, set())


class PullFinished(Message):
    """An on-demand pull ended: `error` is one line when it failed."""

    def __init__(self, key: str, report: SyncReport | None, error: str | None) -> None:
        super().__init__()
        self.key = key
        self.report = report
        self.error = error


def pull_on_demand(
    widget: Widget, key: str, step: Callable[[SyncRun], Awaitable[None]], what: str
) -> bool:
    """Start `step` on the writer thread unless a pull named `key` is running.

    Returns False (and says why on the status bar) when it could not start: no server
    configured, or the same pull already running.
    """
    app = cast("OutreachApp", widget.app)
    if not app.writer.can_sync:
        app.status(f"Cannot pull {what}: no server configured (working on the cache).")
        return False
    running = _running(app)
    if key in running:
        app.status(f"Already pulling {what}…")
        return False
    running.add(key)
    app.status(f"Pulling {what}…")
    future = app.writer.run_pull(step)

    def finished(f: concurrent.futures.Future[SyncReport]) -> None:
        running.discard(key)
        error = f.exception()
        if error is None:
            report = f.result()
            problem = report.errors[0] if report.errors else None
            widget.post_message(PullFinished(key, report, problem))
        else:
            message = getattr(error, "message", None) or str(error) or type(error).__name__
            widget.post_message(PullFinished(key, None, f"Could not pull {what}: {message}"))

    future.add_done_callback(finished)
    return True
