"""`AppProcess`: the web-driver protocol both ways, and a stop that always ends the child."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

from outreach_tui.serve.app_process import AppProcess
from tests.serve.conftest import is_running

FAKE_APP = Path(__file__).with_name("fake_app.py")


class Browser:
    """What the server would forward to the browser."""

    def __init__(self) -> None:
        self.output = bytearray()
        self.urls: list[str] = []
        self.changed = asyncio.Condition()

    async def write(self, data: bytes) -> None:
        async with self.changed:
            self.output += data
            self.changed.notify_all()

    async def open_url(self, url: str, new_tab: bool) -> None:
        async with self.changed:
            self.urls.append(url)
            self.changed.notify_all()

    async def wait_until(self, predicate: Callable[[], bool]) -> None:
        async with asyncio.timeout(30), self.changed:
            await self.changed.wait_for(predicate)

    async def wait_for(self, text: bytes) -> None:
        await self.wait_until(lambda: text in self.output)


def _app(browser: Browser, behaviour: str) -> AppProcess:
    return AppProcess(
        [sys.executable, str(FAKE_APP), behaviour],
        on_output=browser.write,
        on_open_url=browser.open_url,
    )


async def test_output_links_and_a_restarted_app_reach_the_browser() -> None:
    browser = Browser()
    app = _app(browser, "obedient")
    await app.start(100, 30)

    await browser.wait_for(b"hello from the app")
    assert b"warning" not in browser.output  # what came before the prelude is not the app's
    await browser.wait_until(lambda: browser.urls == ["https://example.com/x"])

    await app.resize(120, 40)
    await browser.wait_for(b"resized 120x40")
    # The welcome screen's "open the demo" starts another app in the same process: the
    # session goes on, and the new app learns the terminal's size.
    await app.send_input("r")
    await browser.wait_for(b"another app")
    await browser.wait_until(lambda: browser.output.count(b"resized 120x40") == 2)

    await app.stop(grace=5)
    assert app.pid is not None and not is_running(app.pid)
    assert await app.wait() == 0


async def test_stop_ends_an_app_that_ignores_quit_and_sigterm() -> None:
    browser = Browser()
    app = _app(browser, "stubborn")
    await app.start(80, 24)
    await browser.wait_for(b"hello from the app")

    started = time.monotonic()
    await app.stop(grace=0.3)

    assert time.monotonic() - started < 5
    assert app.pid is not None and not is_running(app.pid)
    assert await app.wait() < 0  # killed by a signal


async def test_output_is_drained_after_the_browser_went_away() -> None:
    failures = 0

    async def gone(data: bytes) -> None:
        nonlocal failures
        failures += 1
        raise ConnectionResetError("Cannot write to closing transport")

    app = AppProcess(
        [sys.executable, str(FAKE_APP), "obedient"], on_output=gone, on_open_url=Browser().open_url
    )
    await app.start(80, 24)
    await app.send_input("f")  # 1 MB more than anyone reads, unless the output is drained
    await app.stop(grace=5)

    assert failures == 1  # no more sending into a closed websocket
    assert await app.wait() == 0  # it read "quit" and exited: it never blocked on its output
