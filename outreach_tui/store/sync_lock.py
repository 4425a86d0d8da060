"""One sync of a cache at a time, across processes: an OS lock on a file beside the cache.

Two syncs of one cache (a cron job overlapping the TUI's background sync, two terminals)
would each claim, push and recover outbox items the other is working on. The lock is an
advisory `flock` (POSIX) or `msvcrt.locking` (Windows) on `<cache>.lock`; the operating
system releases it when its process dies, SIGKILL included, so a lock is never stale. The
holder writes its pid into the file so that a waiter can say whom it waits for; the pid is
informational only (the file's existence and content never mean "locked").

`flock` locks belong to an open file description, so two `SyncLock`s in one process
exclude each other as well (the TUI's writer thread and a test's second run).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl

LOCK_SUFFIX = ".lock"
POLL_SECONDS = 0.2
# The pid is written after this offset: on Windows the locked byte itself cannot be read.
_PID_OFFSET = 16


class SyncBusy(Exception):
    """Another sync of this cache holds the lock (and the caller chose not to wait)."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One line for the user."""
        return f"another sync of this cache is running{holder_text(self.pid)}"


def holder_text(pid: int | None) -> str:
    """` (pid N)` when the holder is known, else nothing."""
    return f" (pid {pid})" if pid else ""


def lock_path(db_path: Path) -> Path:
    """The lock file of the cache at `db_path` (beside it, same folder)."""
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


class SyncLock:
    """The exclusive sync lock of one cache file.

    `try_acquire` never blocks; `hold` (async) waits for the lock, polling so that the
    event loop and a cancel request stay responsive.
    """

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(db_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if it is free; True when this object now holds it."""
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        _write_pid(fd, os.getpid())
        return True

    def holder_pid(self) -> int | None:
        """The pid the current holder wrote (None when unknown or unreadable)."""
        try:
            with self.path.open("rb") as file:
                file.seek(_PID_OFFSET)
                text = file.read(32).decode("ascii", "replace").strip("\0 \n")
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def release(self) -> None:
        """Give the lock back (closing the descriptor releases it)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                _unlock(fd)
            os.close(fd)

    @contextlib.asynccontextmanager
    async def hold(
        self,
        *,
        wait: bool,
        on_wait: Callable[[int | None], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> AsyncIterator[None]:
        """Hold the lock for the block.

        When it is taken: with `wait=False` raise `SyncBusy` at once; otherwise call
        `on_wait(holder_pid)` once and poll until it is free. A set `cancel` event stops the
        wait with `SyncBusy` too.
        """
        if not self.try_acquire():
            if not wait:
                raise SyncBusy(self.holder_pid())
            if on_wait is not None:
                on_wait(self.holder_pid())
            while not self.try_acquire():
                if cancel is not None and cancel.is_set():
                    raise SyncBusy(self.holder_pid())
                await asyncio.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            self.release()


def _write_pid(fd: int, pid: int) -> None:
    os.ftruncate(fd, _PID_OFFSET)
    os.lseek(fd, _PID_OFFSET, os.SEEK_SET)
    os.write(fd, f"{pid}\n".encode("ascii"))


if os.name == "nt":  # pragma: no cover - exercised on Windows only

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
