"""Serving the simulator over loopback with uvicorn: in a thread (tests) or in the foreground.

The listening socket is bound (and listening) before anything is reported, so the printed
or yielded base URL accepts connections at once, and port 0 reports the real port.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import threading
from collections.abc import Callable, Generator, Iterator
from typing import Any

import uvicorn
from starlette.applications import Starlette

_INCOMPLETE = "ASGI callable returned without completing response."


class _DroppedConnectionsAreIntended(logging.Filter):
    """Hides uvicorn's complaint about the responses the `drop` fault cuts on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != _INCOMPLETE


class _Server(uvicorn.Server):
    """uvicorn without re-raising SIGINT/SIGTERM after the graceful shutdown.

    uvicorn re-raises the captured signal on exit (so the process would die of SIGINT);
    here a signal is a normal way to stop and the process exits 0.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP for asyncio to set TCP_NODELAY on accepted connections;
    # without it a keep-alive client waits ~40 ms per answer (Nagle + delayed ACK)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def base_url(sock: socket.socket) -> str:
    """http://host:port of a bound socket."""
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _config(app: Starlette) -> uvicorn.Config:
    logging.getLogger("uvicorn.error").addFilter(_DroppedConnectionsAreIntended())
    return uvicorn.Config(
        app,
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,
    )


def serve(app: Starlette, sock: socket.socket, on_ready: Callable[[str], Any]) -> None:
    """Serve on an already bound socket until SIGINT/SIGTERM; `on_ready(base_url)` first."""
    app.state.simulator.served_over_socket = True
    server = _Server(_config(app))
    on_ready(base_url(sock))
    try:
        server.run(sockets=[sock])
    finally:
        app.state.simulator.close()
        sock.close()


@contextlib.contextmanager
def serve_in_thread(app: Starlette, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve `app` from a background thread; yields the base URL, stops on exit."""
    app.state.simulator.served_over_socket = True
    sock = bind_socket(host, port)
    server = _Server(_config(app))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="reachkit-simulator", daemon=True
    )
    thread.start()
    try:
        yield base_url(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
