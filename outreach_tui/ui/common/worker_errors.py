"""Failed workers become one line in the status bar, never a traceback.

Every worker runs with `exit_on_error=False` (harlequin's rule: failures are handled in
one place). `Worker.StateChanged` does not bubble, so each node that starts workers
mixes this in; the app shows the line (`OutreachApp.status`).
"""

from __future__ import annotations

from typing import Any

from textual.worker import Worker, WorkerState


class WorkerErrorsToStatus:
    """Mix into a widget, screen or app: a worker that fails says so in the status bar."""

    app: Any

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a failed worker as one line (its group and the error)."""
        error = event.worker.error
        if event.state != WorkerState.ERROR or error is None:
            return
        status = getattr(self.app, "status", None)
        if status is not None:
            status(f"{event.worker.group or 'background'}: {type(error).__name__}: {error}")
