"""What the screens use to reach the cache and the server.

`Backend` (reads on workers, edits and pulls on the writer thread, the change signal, the
status line, the background sync), the writer thread it drives and the messages the
threads post back to the app.
"""

from outreach_tui.ui.backend.backend import Backend, describe_error

__all__ = ["Backend", "describe_error"]
