"""The API key never crosses an HTTP proxy in clear, whatever the environment says.

Plain http is only allowed to loopback; with HTTP_PROXY / http_proxy / ALL_PROXY set,
httpx's default (`trust_env=True`) would route the request, Authorization header and all,
through the proxy. A real listening fake proxy records every byte it receives: for a
loopback http server it must receive nothing, while the requests and the sync succeed.
Over https the environment's proxy is honoured, and all it sees is a CONNECT line.
"""

from __future__ import annotations

import contextlib
import io
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpcore
import httpx
import pytest
from starlette.applications import Starlette

from outreach_tui import cli
from outreach_tui.api import ReachkitClient, ReachkitError
from outreach_tui.simulator import create_app
from outreach_tui.simulator.server import serve_in_thread
from tests.cli.conftest import Outcome, run_process
from tests.sync.conftest import FAST_RETRIES, KEY

PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
HTTPS_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy")
_NO_PROXY_VARIABLES = ("NO_PROXY", "no_proxy")


class FakeProxy:
    """A socket server on 127.0.0.1 that records every byte sent to it.

    It answers each request with 502 and closes, so a client that does go through it fails
    fast instead of hanging.
    """

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self._lock = threading.Lock()
        self._received = bytearray()
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fake-proxy", daemon=True)

    @property
    def url(self) -> str:
        """The proxy's address as a proxy variable carries it."""
        host, port = self._sock.getsockname()
        return f"http://{host}:{port}"

    @property
    def received(self) -> bytes:
        """Everything received so far, over every connection."""
        with self._lock:
            return bytes(self._received)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
            with conn:
                self._take_request(conn)

    def _take_request(self, conn: socket.socket) -> None:
        conn.settimeout(2)
        data = bytearray()
        with contextlib.suppress(OSError):
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
                with self._lock:
                    self._received += chunk
            conn.sendall(
                b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )

    def __enter__(self) -> FakeProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()


@pytest.fixture
def proxy() -> Iterator[FakeProxy]:
    """A running fake proxy."""
    with FakeProxy() as fake:
        yield fake


@pytest.fixture
def served() -> Iterator[tuple[Starlette, str]]:
    """A small simulator served on 127.0.0.1 over plain http: (app, base URL)."""
    app = create_app(api_keys=[KEY], size=30, seed=21)
    with serve_in_thread(app) as base_url:
        yield app, base_url
    app.state.simulator.close()


@pytest.fixture(autouse=True)
def no_inherited_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start from an environment with no proxy at all (a NO_PROXY would hide the bug)."""
    for name in (*PROXY_VARIABLES, *HTTPS_PROXY_VARIABLES, *_NO_PROXY_VARIABLES):
        monkeypatch.delenv(name, raising=False)


def _proxied_client(base_url: str) -> ReachkitClient:
    return ReachkitClient(
        base_url=base_url,
        api_key=KEY,
        retry=FAST_RETRIES,
        requests_per_minute=None,
        start_rate=None,
    )


@pytest.mark.parametrize("variable", PROXY_VARIABLES)
async def test_requests_to_loopback_http_never_reach_the_proxy(
    variable: str,
    proxy: FakeProxy,
    served: tuple[Starlette, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, base_url = served
    monkeypatch.setenv(variable, proxy.url)
    # httpx's default client would pick the proxy for this URL: the environment is really set
    default = httpx.AsyncClient()
    assert default._transport_for_url(httpx.URL(base_url)) is not default._transport
    before = len(app.state.simulator.requests)
    async with _proxied_client(base_url) as client:
        inboxes = await client.list_inboxes(page=1, page_size=5)
        campaigns = await client.list_campaigns(page=1, page_size=5)
    assert inboxes.items and campaigns.items
    assert len(app.state.simulator.requests) == before + 2  # the server got them directly
    assert proxy.connections == 0
    assert proxy.received == b""


def test_login_and_sync_in_process_never_reach_the_proxy(
    proxy: FakeProxy,
    served: tuple[Starlette, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    _, base_url = served
    for variable in PROXY_VARIABLES:
        monkeypatch.setenv(variable, proxy.url)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{KEY}\n"))
    assert cli.main(["--base-url", base_url, "login"]) == 0, capsys.readouterr().err
    assert cli.main(["--db", str(tmp_path / "cache.db"), "sync"]) == 0, capsys.readouterr().err
    assert KEY not in "".join(capsys.readouterr())
    assert proxy.connections == 0
    assert proxy.received == b""


def test_sync_subprocess_with_proxy_variables_never_reaches_the_proxy(
    proxy: FakeProxy,
    served: tuple[Starlette, str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_home: Path,
    tmp_path: Path,
) -> None:
    app, base_url = served
    # run_process hands the test's environment to the child: every proxy variable is set
    for variable in PROXY_VARIABLES:
        monkeypatch.setenv(variable, proxy.url)
    outcome: Outcome = run_process(
        ["--base-url", base_url, "--db", str(tmp_path / "cache.db"), "sync"],
        home=isolated_home,
    )
    assert outcome.code == 0, outcome.err
    assert outcome.err.splitlines()[-1].startswith("sync done:")
    assert app.state.simulator.requests  # the sync talked to the server directly
    assert proxy.connections == 0
    assert proxy.received == b""


@pytest.mark.parametrize("variable", HTTPS_PROXY_VARIABLES)
def test_an_https_base_url_honours_the_environment_proxy(
    variable: str, proxy: FakeProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, proxy.url)
    client = _proxied_client("https://reachkit.example")
    transport = client._http._transport_for_url(httpx.URL("https://reachkit.example/api/v1/"))
    pool = transport._pool  # type: ignore[attr-defined]
    assert isinstance(pool, httpcore.AsyncHTTPProxy)
    assert pool._proxy_url.port == httpx.URL(proxy.url).port


async def test_over_https_the_proxy_sees_a_connect_line_and_never_the_key(
    proxy: FakeProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    async with _proxied_client("https://reachkit.example") as client:
        with pytest.raises(ReachkitError):  # the fake proxy refuses the tunnel
            await client.list_inboxes(page=1, page_size=1)
    received = proxy.received
    assert received.startswith(b"CONNECT reachkit.example:443 HTTP/1.1\r\n")
    assert KEY.encode() not in received
    assert b"authorization" not in received.lower()
