"""WAL checkpoints on their own thread while a sync pulls.

With SQLite's automatic checkpoints the writer copies the WAL into the database file, and
fsyncs both, inside the commit that crosses the threshold: on the ingest benchmark that
was a quarter of the wall time of a first sync on a virtual disk, spent with the pull
stopped. During a pull the writer's threshold is raised and a checkpointer thread runs
PASSIVE checkpoints on its own connection after page commits instead: they never block
the writer, and they mostly run while the pull waits for the next page. The raised
threshold is the safety net that keeps the WAL bounded if the thread falls behind.
"""

from __future__ import annotations

import sqlite3
import threading
from types import TracebackType

from sqlite_utils import Database

from outreach_tui.store.connection import WAL_CHECKPOINT_PAGES, connect_to

# The writer checkpoints by itself only past this many WAL pages (~160 MB).
FALLBACK_CHECKPOINT_PAGES = 4 * WAL_CHECKPOINT_PAGES
# Checkpoints are at least this far apart: each one fsyncs twice, fewer bigger ones are cheaper.
MIN_INTERVAL_SECONDS = 0.25


def database_file(db: Database) -> str | None:
    """The file behind `db`'s main database, None for an in-memory one."""
    for _, name, file in db.conn.execute("PRAGMA database_list"):
        if name == "main":
            return file or None
    return None


class BackgroundCheckpoints:
    """A context manager: inside it, `nudge()` after a commit asks for a checkpoint.

    Does nothing for an in-memory database. A checkpoint that fails (disk trouble) stops
    the thread quietly: the writer's own checkpoints take over at the fallback threshold.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.checkpoints = 0

    def __enter__(self) -> BackgroundCheckpoints:
        path = database_file(self.db)
        if path is not None:
            conn = connect_to(path)
            self.db.conn.execute(f"PRAGMA wal_autocheckpoint = {FALLBACK_CHECKPOINT_PAGES}")
            self._thread = threading.Thread(
                target=self._run, args=(conn,), name="wal-checkpoints", daemon=True
            )
            self._thread.start()
        return self

    def nudge(self) -> None:
        """A page was committed: checkpoint soon (no-op when not running)."""
        if self._thread is not None:
            self._wake.set()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._wake.set()
        self._thread.join()
        self._thread = None
        self.db.conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")

    def _run(self, conn: sqlite3.Connection) -> None:
        try:
            while True:
                self._wake.wait()
                if self._stop.is_set():
                    return
                self._wake.clear()
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                self.checkpoints += 1
                self._stop.wait(MIN_INTERVAL_SECONDS)
        except sqlite3.Error:
            return
        finally:
            conn.close()
