"""A thread worker's result reaches the screen only while the worker is the newest run.

The reload workers run `exclusive=True`: starting one cancels the previous run of its
group. A thread cannot be stopped, so the cancelled run still finishes its read, and its
older result would otherwise land after (and over) the newer one. The check runs on the
UI thread, where Textual cancels workers, so no newer run can start between the check
and the apply.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.worker import get_current_worker


def deliver(app: App[Any], apply: Callable[..., object], *args: Any, **kwargs: Any) -> None:
    """From a thread worker: run `apply(*args, **kwargs)` on the UI thread unless the
    worker was cancelled (replaced by a newer run, or its screen closed) meanwhile."""
    worker = get_current_worker()

    def apply_if_current() -> None:
        if not worker.is_cancelled:
            apply(*args, **kwargs)

    app.call_from_thread(apply_if_current)
