"""One app subprocess driven with Textual's web-driver protocol.

The child runs with `TEXTUAL_DRIVER` set to Textual's `WebDriver`, which writes
`__GANGLION__\\n` when an app starts and then packets on stdout: a type byte (`D` terminal
output, `M` JSON meta such as `exit` or `open_url`, `P` packed file chunks), a 4-byte
big-endian length and the payload. Its stdin takes the same framing: `D` for keystrokes,
`M` for resize, focus, blur and quit. textual-serve's `AppService` speaks the same
protocol; this class differs where a server holding an API key needs it to:

- the command is an argument list run without a shell (a profile name is never parsed
  by /bin/sh), and it never contains a secret: the child finds the key as the TUI does;
- the child gets a session of its own, so a Ctrl+C typed in the server's terminal reaches
  the server only, which then stops every child in order;
- `stop` ends the process whatever it does: quit, then SIGTERM, then SIGKILL;
- on Linux the child gets SIGTERM when the server dies without stopping it (SIGKILL, a
  crash): Textual's web driver ignores the end of its input, so an app would otherwise
  live on, alone, with the API key;
- the session lasts as long as the process, not one app: the welcome screen's "open the
  demo" and a login restart the app inside the same process, which writes the prelude again.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence

PRELUDE = b"__GANGLION__\n"
# Lines a child may print before its app starts (a warning from a library): beyond this,
# it is not an app and the session ends.
_MAX_LINES_BEFORE_PRELUDE = 20
_STDERR_KEPT = 8192

OutputSink = Callable[[bytes], Awaitable[None]]
UrlSink = Callable[[str, bool], Awaitable[None]]


_PR_SET_PDEATHSIG = 1


def _packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def _ends_with_this_process() -> Callable[[], None] | None:
    """A `preexec_fn` that makes the child get SIGTERM when this process dies (Linux).

    prctl is looked up here, in the parent, so that the child, between fork and exec,
    only calls a C function (no import, no lookup that could wait on a lock).
    None where prctl does not exist.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def die_with_parent() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))
        if os.getppid() != parent:  # the server died before prctl took effect
            os._exit(1)

    return die_with_parent


class AppProcess:
    """An app subprocess: input goes in with `send_*`, output comes out through `on_output`."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        on_output: OutputSink,
        on_open_url: UrlSink,
        environment: dict[str, str] | None = None,
    ) -> None:
        self._argv = list(argv)
        self._on_output = on_output
        self._on_open_url = on_open_url
        self._environment = dict(os.environ if environment is None else environment)
        self._process: asyncio.subprocess.Process | None = None
        self._pump: asyncio.Task[None] | None = None
        self._stderr_pump: asyncio.Task[None] | None = None
        self._stderr_tail = bytearray()
        self._size = (80, 24)
        self._browser_gone = False

    @property
    def pid(self) -> int | None:
        """The child's process id (None before `start`)."""
        return None if self._process is None else self._process.pid

    @property
    def stderr_tail(self) -> str:
        """The last few kilobytes the child wrote on stderr (why it failed, if it did)."""
        return self._stderr_tail.decode("utf-8", "replace")

    async def start(self, width: int, height: int) -> None:
        """Start the child at the browser's terminal size; output starts flowing at once."""
        self._size = (width, height)
        environment = dict(self._environment)
        environment.update(
            TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver",
            TEXTUAL_FPS="60",
            TEXTUAL_COLOR_SYSTEM="truecolor",
            TERM_PROGRAM="textual",
            COLUMNS=str(width),
            ROWS=str(height),
        )
        self._process = await asyncio.create_subprocess_exec(
            *self._argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
            preexec_fn=_ends_with_this_process(),
        )
        self._pump = asyncio.create_task(self._read_output())
        self._stderr_pump = asyncio.create_task(self._read_stderr())

    async def wait(self) -> int:
        """Wait until the child has exited and its output is read; returns its exit code."""
        assert self._process is not None and self._pump is not None
        await self._pump
        code = await self._process.wait()
        if self._stderr_pump is not None:
            await self._stderr_pump
        return code

    async def send_input(self, text: str) -> None:
        """Keystrokes (and mouse reports) typed in the browser's terminal."""
        await self._write(_packet(b"D", text.encode("utf-8")))

    async def resize(self, width: int, height: int) -> None:
        """The browser's terminal changed size."""
        self._size = (width, height)
        await self._send_meta({"type": "resize", "width": width, "height": height})

    async def focus(self) -> None:
        """The browser's terminal got the focus."""
        await self._send_meta({"type": "focus"})

    async def blur(self) -> None:
        """The browser's terminal lost the focus."""
        await self._send_meta({"type": "blur"})

    async def stop(self, grace: float = 5.0) -> None:
        """End the child: ask the app to quit, then SIGTERM, then SIGKILL; reap it."""
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            await self._send_meta({"type": "quit"})
            for next_signal in (signal.SIGTERM, signal.SIGKILL):
                if await self._exited_within(grace):
                    break
                self._signal_group(next_signal)
            await process.wait()
        for task in (self._pump, self._stderr_pump):
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _exited_within(self, seconds: float) -> bool:
        assert self._process is not None
        try:
            await asyncio.wait_for(self._process.wait(), seconds)
        except TimeoutError:
            return False
        return True

    def _signal_group(self, signum: int) -> None:
        # The child leads its own session: its group holds it and anything it started.
        assert self._process is not None
        if self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signum)

    async def _send_meta(self, meta: dict[str, object]) -> None:
        await self._write(_packet(b"M", json.dumps(meta).encode("utf-8")))

    async def _write(self, data: bytes) -> None:
        process = self._process
        if process is None or process.stdin is None or process.returncode is not None:
            return
        try:
            process.stdin.write(data)
            await process.stdin.drain()
        except (ConnectionError, RuntimeError):
            pass  # the child is gone; `wait` reports it

    async def _read_output(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        stdout = self._process.stdout
        try:
            for _ in range(_MAX_LINES_BEFORE_PRELUDE):
                line = await stdout.readline()
                if not line or line == PRELUDE:
                    break
            else:
                return
            if not line:
                return
            while True:
                kind = await stdout.readexactly(1)
                if kind == PRELUDE[:1]:
                    # Another app started in the same process (welcome -> demo, a login
                    # restart): it starts at the size the child was launched with.
                    await stdout.readline()
                    await self.resize(*self._size)
                    continue
                size = int.from_bytes(await stdout.readexactly(4), "big")
                payload = await stdout.readexactly(size)
                if self._browser_gone:
                    continue  # keep draining, or the child blocks on a full pipe
                try:
                    if kind == b"D":
                        await self._on_output(payload)
                    elif kind == b"M":
                        await self._on_meta(payload)
                except (ConnectionError, RuntimeError):
                    self._browser_gone = True
                # b"P" carries file deliveries, which this server does not offer.
        except asyncio.IncompleteReadError:
            return  # the child closed its output: it is ending

    async def _on_meta(self, payload: bytes) -> None:
        try:
            meta = json.loads(payload)
        except ValueError:
            return
        if not isinstance(meta, dict):
            return
        if meta.get("type") == "open_url" and isinstance(meta.get("url"), str):
            await self._on_open_url(meta["url"], bool(meta.get("new_tab", True)))
        # "exit" is not the end of the session: the process may start another app; the
        # session ends when the process closes its output.

    async def _read_stderr(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        while chunk := await self._process.stderr.read(4096):
            self._stderr_tail += chunk
            del self._stderr_tail[:-_STDERR_KEPT]
