"""Sessions of `serve`: one app process each, at most --max-sessions, none outliving the server."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from outreach_tui.simulator import create_app
from outreach_tui.simulator.server import serve_in_thread
from tests.serve.conftest import DEMO, Served, StartServe, is_running, read_app_output, wait_until
from tests.sync.conftest import KEY

CTRL_Q = "\x11"


def _command_line(pid: int) -> list[bytes]:
    """What `ps` shows of a process: its arguments."""
    return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")


async def test_the_third_session_is_refused_and_quitting_an_app_frees_its_place(
    start_serve: StartServe,
) -> None:
    served: Served = start_serve(DEMO)
    async with aiohttp.ClientSession(headers=served.cookie()) as session:
        first = await session.ws_connect(served.ws_url + "?width=100&height=30")
        second = await session.ws_connect(served.ws_url)
        await read_app_output(first)
        await read_app_output(second)
        apps = served.app_pids()
        assert len(apps) == 2

        third = await session.ws_connect(served.ws_url)
        closing = await third.receive(timeout=30)
        assert closing.type == aiohttp.WSMsgType.CLOSE
        assert closing.data == aiohttp.WSCloseCode.TRY_AGAIN_LATER
        assert "Too many sessions: 2 already open" in (closing.extra or "")
        assert sorted(served.app_pids()) == sorted(apps)  # nothing was started for it

        # Quitting the app in the browser ends that session, not the server.
        await first.send_str(json.dumps(["stdin", CTRL_Q]))
        while (message := await first.receive(timeout=60)).type == aiohttp.WSMsgType.BINARY:
            pass
        assert message.type == aiohttp.WSMsgType.CLOSE
        assert message.extra == "The app was closed."
        assert wait_until(lambda: len(served.app_pids()) == 1)
        assert served.process.poll() is None

        # ...and its place is free again.
        again = await session.ws_connect(served.ws_url)
        await read_app_output(again)
        await again.close()
        await second.close()
    assert wait_until(lambda: served.app_pids() == [])
    assert "refused a session: 2 already open" in served.output()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
async def test_a_signal_stops_the_server_and_every_app_process(
    start_serve: StartServe, signum: int
) -> None:
    served: Served = start_serve(DEMO)
    async with aiohttp.ClientSession(headers=served.cookie()) as session:
        websocket = await session.ws_connect(served.ws_url)
        await read_app_output(websocket)
        apps = served.all_pids()
        assert apps

        # In a thread: this loop keeps answering the server's closing handshake meanwhile.
        assert await asyncio.to_thread(served.stop, signum) == 0

        message = await websocket.receive(timeout=30)
        while message.type == aiohttp.WSMsgType.BINARY:
            message = await websocket.receive(timeout=30)
        assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    assert [pid for pid in apps if is_running(pid)] == []
    assert "stopped" in served.output()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG)")
async def test_an_app_does_not_outlive_a_killed_server(start_serve: StartServe) -> None:
    served: Served = start_serve(DEMO)
    async with aiohttp.ClientSession(headers=served.cookie()) as session:
        websocket = await session.ws_connect(served.ws_url)
        await read_app_output(websocket)
        apps = served.app_pids()
        assert apps

        served.process.kill()  # no chance to stop anything itself
        served.process.wait(timeout=30)

        assert wait_until(lambda: not any(is_running(pid) for pid in apps), timeout=60)


async def test_the_api_key_is_never_on_the_app_command_line(
    start_serve: StartServe, isolated_home: Path
) -> None:
    simulator = create_app(api_keys=[KEY], size=20, seed=5)
    with serve_in_thread(simulator) as base_url:
        served: Served = start_serve(
            ["--profile", "work", "--base-url", base_url, "serve", "--port", "0"],
            env={"REACHKIT_API_KEY": KEY},
        )
        async with aiohttp.ClientSession(headers=served.cookie()) as session:
            websocket = await session.ws_connect(served.ws_url)
            await read_app_output(websocket)
            (app,) = served.app_pids()
            argv = _command_line(app)
            await websocket.close()
        assert served.stop() == 0
    simulator.state.simulator.close()

    assert b"--profile" in argv and b"work" in argv
    assert not any(KEY.encode() in part for part in argv)
    assert KEY not in served.output()
    assert "profile 'work'" in served.output()
