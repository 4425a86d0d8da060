"""The aiohttp server behind `outreach-tui serve`: the page, its assets, one app per websocket.

Every request passes the token gate (`access.TokenGate`) before any handler runs. A
websocket from a page of this server starts one app process (`AppProcess`), up to
`max_sessions` at a time; beyond that the websocket is closed at once with a reason the
page shows. SIGINT and SIGTERM stop the server: every session's app is asked to quit, then
signalled, then killed, and reaped before the server returns, so no app outlives it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import itertools
import json
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from aiohttp import WSCloseCode, WSMsgType, web

from outreach_tui.serve.access import Handler, TokenGate, same_origin
from outreach_tui.serve.app_process import AppProcess
from outreach_tui.serve.page import CONTENT_SECURITY_POLICY, render_page

# The browser's terminal size arrives in the websocket URL; anything outside this is a
# broken or hostile client, not a screen.
_MAX_CELLS = 1000
# How long an app gets to quit (and then to obey SIGTERM) before the next step.
STOP_GRACE_SECONDS = 5.0
CLOSE_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class ServeSettings:
    """What to serve and how: the app's command line (no secret in it) and the limits."""

    app_argv: Sequence[str]
    title: str
    max_sessions: int = 2
    stop_grace: float = STOP_GRACE_SECONDS


def static_folder() -> Path:
    """textual-serve's bundled page assets: xterm.js and textual.js, their CSS, the fonts."""
    return Path(str(files("textual_serve") / "static"))


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on `host:port` (port 0: the system picks a free one).

    Raises OSError (address in use, no such address).
    """
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:  # a name such as localhost: let the resolver choose
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family)


def public_url(sock: socket.socket) -> str:
    """The base URL a browser uses to reach `sock` (no token)."""
    host, port = sock.getsockname()[:2]
    if ipaddress.ip_address(host).is_unspecified:
        host = socket.gethostname()  # 0.0.0.0 is where we listen, not an address to open
    elif ipaddress.ip_address(host).version == 6:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _say(message: str) -> None:
    # Progress goes to stderr, one line each, and never carries the token.
    print(f"outreach-tui serve: {message}", file=sys.stderr, flush=True)


class SessionServer:
    """The aiohttp application and the sessions it runs."""

    def __init__(self, settings: ServeSettings, gate: TokenGate) -> None:
        self.settings = settings
        self.gate = gate
        self._apps: dict[int, AppProcess] = {}  # by session number
        self._reserved = 0
        self._numbers = itertools.count(1)
        self._stopping = False
        self._all_ended = asyncio.Event()
        self._all_ended.set()

    def application(self) -> web.Application:
        """The aiohttp application: the token gate first, then the page, assets, websocket."""
        # The headers middleware is outermost, so a 403 of the gate carries them too.
        app = web.Application(middlewares=[_security_headers, self.gate.middleware()])
        app.add_routes(
            [
                web.get("/", self.handle_page),
                web.get("/ws", self.handle_websocket),
                # browsers ask for it on their own; an empty answer keeps the console clean
                web.get("/favicon.ico", _no_content),
                web.static("/static", static_folder(), show_index=False),
            ]
        )
        return app

    async def handle_page(self, request: web.Request) -> web.Response:
        """The page hosting the terminal; its script opens the websocket."""
        try:
            font_size = min(max(int(request.query.get("fontsize", "16")), 8), 48)
        except ValueError:
            font_size = 16
        return web.Response(
            text=render_page(self.settings.title, font_size),
            content_type="text/html",
            headers={"Cache-Control": "no-store"},
        )

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """One session: start an app for this websocket and pass bytes both ways."""
        if not same_origin(request):
            return web.Response(status=403, text="403 forbidden: websocket from another site\n")
        # timeout: how long a close waits for the browser's answer (aiohttp's default, 10 s,
        # would hold a stopping server that long for each tab that stopped answering).
        websocket = web.WebSocketResponse(heartbeat=15, timeout=CLOSE_TIMEOUT_SECONDS)
        await websocket.prepare(request)
        if self._stopping:
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"The server is stopping.")
            return websocket
        if self._reserved >= self.settings.max_sessions:
            count = self.settings.max_sessions
            reason = (
                f"Too many sessions: {count} already open (the server's --max-sessions). "
                "Close one, then try again."
            )
            _say(f"refused a session: {count} already open")
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=reason.encode())
            return websocket
        self._reserved += 1
        self._all_ended.clear()
        try:
            await self._run_session(request, websocket)
        finally:
            self._reserved -= 1
            if self._reserved == 0:
                self._all_ended.set()
        return websocket

    async def _run_session(self, request: web.Request, websocket: web.WebSocketResponse) -> None:
        number = next(self._numbers)

        async def send_output(data: bytes) -> None:
            await websocket.send_bytes(data)

        async def open_url(url: str, new_tab: bool) -> None:
            await websocket.send_str(json.dumps(["open_url", {"url": url, "new_tab": new_tab}]))

        app = AppProcess(self.settings.app_argv, on_output=send_output, on_open_url=open_url)
        self._apps[number] = app
        reason = "The app was closed."
        tasks: list[asyncio.Task[object]] = []
        try:
            try:
                await app.start(_cells(request, "width", 80), _cells(request, "height", 24))
            except OSError as error:
                reason = "The app could not start."
                _say(f"session {number}: cannot start the app: {error.strerror}")
                return
            _say(f"session {number} started (app pid {app.pid})")
            forward = asyncio.create_task(self._forward_input(websocket, app))
            ended = asyncio.create_task(app.wait())
            tasks += [forward, ended]
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            if not ended.done():
                reason = "The browser closed the session."
            await app.stop(self.settings.stop_grace)
            code = await ended
            if code != 0 and not self._stopping:
                tail = app.stderr_tail.strip().splitlines()[-1:] or ["(nothing on stderr)"]
                reason = f"The app stopped with exit code {code}."
                _say(f"session {number}: the app exited with code {code}: {tail[0]}")
        finally:
            await app.stop(self.settings.stop_grace)  # also on cancellation: never an orphan
            for task in tasks:
                task.cancel()
            del self._apps[number]
            if self._stopping:
                reason = "The server stopped."
            with contextlib.suppress(ConnectionError):
                await websocket.close(code=WSCloseCode.OK, message=reason.encode()[:120])
            _say(f"session {number} ended ({reason.rstrip('.').lower()})")

    async def _forward_input(self, websocket: web.WebSocketResponse, app: AppProcess) -> None:
        """Browser -> app: keystrokes, size, focus; malformed messages are ignored."""
        with contextlib.suppress(ConnectionError):  # the browser went away: the session ends
            await self._forward_messages(websocket, app)

    async def _forward_messages(self, websocket: web.WebSocketResponse, app: AppProcess) -> None:
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app.send_input(data)
            elif kind == "resize" and isinstance(data, dict):
                width, height = data.get("width"), data.get("height")
                if _valid_cells(width) and _valid_cells(height):
                    await app.resize(width, height)  # type: ignore[arg-type]
            elif kind == "ping" and isinstance(data, str):
                await websocket.send_json(["pong", data])
            elif kind == "focus":
                await app.focus()
            elif kind == "blur":
                await app.blur()

    async def stop_all(self) -> None:
        """Stop every session's app (quit, SIGTERM, SIGKILL) and wait until all have ended."""
        self._stopping = True
        apps = list(self._apps.values())
        if apps:
            _say(f"stopping {len(apps)} session(s)")
        await asyncio.gather(
            *(app.stop(self.settings.stop_grace) for app in apps), return_exceptions=True
        )
        # The handlers close their websockets once their app has ended.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._all_ended.wait(), self.settings.stop_grace)


@web.middleware
async def _security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    if not response.prepared:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        # The page's address once carried the token: never send it on as a Referer.
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


async def _no_content(request: web.Request) -> web.Response:
    return web.Response(status=204)


def _valid_cells(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= _MAX_CELLS


def _cells(request: web.Request, name: str, default: int) -> int:
    try:
        value = int(request.query.get(name, default))
    except ValueError:
        return default
    return value if _valid_cells(value) else default


async def serve(
    settings: ServeSettings,
    sock: socket.socket,
    gate: TokenGate,
    on_ready: Callable[[], None],
) -> None:
    """Serve on `sock` until SIGINT or SIGTERM, then stop every session and return."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C raises instead
            loop.add_signal_handler(signum, stop.set)
    server = SessionServer(settings, gate)
    # access_log=None: the first request's URL carries the token, and no log line may.
    runner = web.AppRunner(server.application(), access_log=None, handle_signals=False)
    await runner.setup()
    try:
        await web.SockSite(runner, sock).start()
        on_ready()
        await stop.wait()
        _say("stopping")
        await server.stop_all()
    finally:
        await runner.cleanup()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(signum)
