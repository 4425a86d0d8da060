"""`serve --open`: open the page in the user's browser without the token on a command line.

`webbrowser.open(url)` runs the browser with the URL as an argument, where `ps` shows it
to every user of the machine for as long as that process lives. Instead, the URL goes into
a small HTML file only the user can read (mode 0600), and the browser opens the file,
which forwards to the page (Jupyter does the same).
"""

from __future__ import annotations

import html
import os
import tempfile
import webbrowser
from pathlib import Path


def write_redirect_file(url: str) -> Path:
    """A private HTML file that forwards the browser to `url`; the caller deletes it."""
    descriptor, name = tempfile.mkstemp(prefix="outreach-tui-serve-", suffix=".html")
    escaped = html.escape(url, quote=True)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:  # mkstemp: mode 0600
        file.write(
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<meta http-equiv='refresh' content='0;url={escaped}'>"
            "<title>outreach-tui</title></head>"
            f"<body><a href='{escaped}'>Open outreach-tui</a></body></html>\n"
        )
    return Path(name)


def open_in_browser(url: str) -> Path | None:
    """Open `url` in the default browser via a private redirect file; returns the file.

    None when no browser could be started (the user opens the printed URL instead).
    """
    path = write_redirect_file(url)
    if webbrowser.open(path.as_uri()):
        return path
    path.unlink(missing_ok=True)
    return None
