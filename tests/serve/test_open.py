"""`serve --open`: the browser gets a private file that forwards to the page, never the token
on its command line."""

from __future__ import annotations

import stat
import webbrowser
from pathlib import Path

import pytest

from outreach_tui.serve.browser import open_in_browser

URL = "http://127.0.0.1:8088/?token=abc&x=<y>"


def test_the_browser_is_given_a_private_file_not_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda target: opened.append(target) or True)

    path = open_in_browser(URL)

    assert path is not None
    try:
        assert opened == [path.as_uri()]
        assert "token" not in opened[0]
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        text = path.read_text(encoding="utf-8")
        assert "url=http://127.0.0.1:8088/?token=abc&amp;x=&lt;y&gt;" in text
    finally:
        path.unlink()


def test_no_browser_leaves_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda target: opened.append(target) and False)

    assert open_in_browser(URL) is None
    assert opened
    assert not any(Path(target.removeprefix("file://")).exists() for target in opened)
