"""Opening the cache database: one writer connection, any number of readers.

The writer belongs to the sync worker (or a CLI command); every write runs inside
`write_transaction`, which starts with `BEGIN IMMEDIATE` so a writer never discovers a lock
half-way through. Readers (the UI thread) open their own connection: in WAL mode they see
the last committed state and never wait for the writer. A worker that answers with several
queries reads them in `read_snapshot`, so they all see the same commit.

Connections are opened with `isolation_level=None`: sqlite3 then issues no implicit
BEGIN, and the transaction boundaries are exactly the ones written here.

`open_writer` and `open_for_reading` look at the file first (`cache_file.inspect_cache`,
read-only): another application's file is refused before anything is written to it, and
SQLite's failures (damaged, read-only, disk full) come out as `cache_file.CacheError`s.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlite_utils import Database

from outreach_tui.store import search
from outreach_tui.store.cache_file import (
    APPLICATION_ID,
    CacheKind,
    CacheReadOnlyError,
    cache_error,
    connect_read_only,
    inspect_cache,
)
from outreach_tui.store.schema import migrate

BUSY_TIMEOUT_MS = 5000
WRITER_CACHE_KIB = 64 * 1024
WAL_CHECKPOINT_PAGES = 10_000
WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024  # the WAL file is truncated back to this after use
# SQLite calls a read's progress handler every this many virtual-machine steps; each
# call takes the GIL, which a worker may wait for while the UI thread is busy. A worker's
# cancellable read asks every 1,000,000 steps (a cancelled read stops within ~10 ms of
# SQLite work; a launch's reads at 1,000,000 conversations ask 2-3 times). A
# time-limited read on the UI thread asks every 10,000 (well under a millisecond).
PROGRESS_STEPS = 1_000_000
UI_PROGRESS_STEPS = 10_000


class ReadInterrupted(Exception):
    """A read was stopped before it finished: its caller no longer wants the result
    (`read_snapshot(cancelled=...)`) or it ran past its time (`time_limit`)."""


def _create_private_file(path: Path) -> None:
    """Create `path` with mode 0600 unless it exists.

    SQLite would create the file with the process umask (often 0644); the cache holds
    email content, so it is created first with owner-only permissions. SQLite's unix VFS
    gives the -wal and -shm files it creates later the mode of the database file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def _make_private(path: Path) -> None:
    """Take group and other permissions off an existing cache and its -wal/-shm files.

    A cache copied in or created by an older version may be 0644; it holds email content.
    The owner's bits are kept (a cache the user made read-only stays read-only). Files of
    another user cannot be changed: left as they are.
    """
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = file.stat().st_mode & 0o777
            if mode & 0o077:
                os.chmod(file, mode & 0o700)
        except OSError:
            continue


def _require_writable(path: Path) -> None:
    """Raise `CacheReadOnlyError` when the file or its folder cannot be written.

    Checked up front so that the user reads which one, rather than SQLite's "attempt to
    write a readonly database" half-way through a command. (The folder matters: SQLite
    creates the -wal and -shm files beside the database.)
    """
    if path.exists() and not os.access(path, os.W_OK):
        raise CacheReadOnlyError(path, "the file is read-only")
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise CacheReadOnlyError(path, f"its folder {folder} is read-only")


def connect_to(path: Path | str) -> sqlite3.Connection:
    """A raw connection with the pragmas every connection here uses."""
    # check_same_thread=False: the writer is opened on one thread and handed to a worker;
    # the rule "one thread uses a connection at a time" is the caller's.
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def open_writer(path: Path | str) -> Database:
    """Open (creating if needed, mode 0600) and migrate the database; return the writer.

    The returned connection is the only one that should write. Use it from one thread at a
    time, always inside `write_transaction`.

    Raises a `CacheError` (nothing written) for another application's file, a cache of a
    newer schema, a damaged, read-only or unreadable file; and for a full disk.
    """
    if str(path) == ":memory:":
        return _writer(path)
    path = Path(path)
    found = inspect_cache(path)
    _require_writable(path)
    try:
        if found.kind is CacheKind.MISSING:
            _create_private_file(path)
        else:
            _make_private(path)
        return _writer(path)
    except (sqlite3.Error, OSError) as error:
        problem = cache_error(path, error)
        if problem is None:
            raise
        raise problem from None


def _writer(path: Path | str) -> Database:
    conn = connect_to(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        # Measured on the ingest benchmark (~25% faster): a bigger page cache keeps index
        # pages of a sync's many page-transactions in memory, and checkpointing every
        # ~40 MB of WAL instead of every 4 MB copies (and fsyncs) a hot page once instead
        # of many times.
        conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        conn.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT_BYTES}")
        # Only reached for our own file or an empty one (see open_writer): stamping the id
        # also adopts a cache created before the id existed.
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db = Database(conn, execute_plugins=False)
        migrate(db)
        # Documents a killed sync stored but had not indexed yet: searchable from now on.
        if search.has_pending(db):
            search.index_pending(db)
    except BaseException:
        conn.close()
        raise
    return db


def open_for_reading(path: Path | str) -> Database:
    """A connection for a command that only reads: nothing is written when avoidable.

    A current cache gets a connection that cannot write (SQLite's read-only mode; this
    also reads a cache in a read-only file or folder). A missing, empty or older cache
    goes through `open_writer` (created or migrated first, as any command would); another
    application's file is refused untouched. Raises `CacheError` like `open_writer`.
    """
    path = Path(path)
    found = inspect_cache(path)
    if not found.current:
        return open_writer(path)
    _make_private(path)
    try:
        db = Database(connect_read_only(path), execute_plugins=False)
        pending = search.has_pending(db)
    except sqlite3.Error as error:
        problem = cache_error(path, error)
        if problem is None:
            raise
        raise problem from None
    if pending:
        # A sync was killed before its last search batch: index it first (as any
        # command would on open), unless the file cannot be written.
        try:
            writer = open_writer(path)
        except CacheReadOnlyError:
            return db
        db.close()
        return writer
    return db


def open_reader(path: Path | str) -> Database:
    """Open a read connection to an existing database (already created by `open_writer`).

    `PRAGMA query_only` turns an accidental write on this connection into an error.
    """
    if not Path(path).exists():
        raise FileNotFoundError(f"no cache database at {path}")
    conn = connect_to(path)
    conn.execute("PRAGMA query_only = ON")
    return Database(conn, execute_plugins=False)


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """Run the block in one write transaction on the writer connection.

    The outermost call issues `BEGIN IMMEDIATE` (the write lock is taken up front, so
    `busy_timeout` applies at the start instead of failing mid-way); nested calls become
    savepoints, so a store function can be called inside a caller's transaction and
    still be atomic on its own. Commits on success, rolls back on any exception.
    """
    conn = db.conn
    if conn.in_transaction:
        name = f"sp_{secrets.token_hex(6)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextlib.contextmanager
def read_transaction(db: Database) -> Iterator[Database]:
    """Run the block's reads on one snapshot of a reader connection.

    Without it each statement sees the latest commit, so a count, a position and a page
    read one after the other can straddle a write and disagree (a row counted at index 4,
    then found at 0). The `BEGIN` is deferred: the snapshot is taken by the first read.
    """
    conn = db.conn
    conn.execute("BEGIN")
    try:
        yield db
    finally:
        if conn.in_transaction:  # an interrupted statement may have ended it already
            conn.execute("ROLLBACK")  # nothing to keep: the connection is query-only


@contextlib.contextmanager
def _interrupting(db: Database, stop: Callable[[], bool], steps: int) -> Iterator[Database]:
    """Run the block with SQLite asking `stop()` every `steps` steps; a true answer
    aborts the statement running, and the block raises `ReadInterrupted`."""
    conn = db.conn
    asked = False

    def progress() -> int:
        nonlocal asked
        if stop():
            asked = True
            return 1
        return 0

    conn.set_progress_handler(progress, steps)
    try:
        yield db
    except sqlite3.OperationalError as error:
        if asked:
            raise ReadInterrupted(str(error)) from error
        raise
    finally:
        conn.set_progress_handler(None, steps)


@contextlib.contextmanager
def read_snapshot(
    path: Path | str, *, cancelled: Callable[[], bool] | None = None
) -> Iterator[Database]:
    """A reader of its own for one consistent read (a worker thread's), closed after.

    `cancelled` (called from SQLite's progress handler, on the reading thread) stops the
    read as soon as it returns True: a search superseded by the next key typed does not
    keep its worker and a core busy until its query ends. The block then raises
    `ReadInterrupted`.
    """
    db = open_reader(path)
    try:
        with read_transaction(db):
            if cancelled is None:
                yield db
            else:
                with _interrupting(db, cancelled, PROGRESS_STEPS):
                    yield db
    finally:
        db.close()


@contextlib.contextmanager
def time_limit(db: Database, seconds: float) -> Iterator[Database]:
    """Run the block's reads for at most about `seconds`; past that the statement
    running is aborted and the block raises `ReadInterrupted` (for a read on the UI
    thread that must never hold a frame: the caller reads on a worker instead)."""
    deadline = time.monotonic() + seconds
    with _interrupting(db, lambda: time.monotonic() > deadline, UI_PROGRESS_STEPS):
        yield db


def database_file(db: Database) -> Path | None:
    """The file behind the connection's main database (None for an in-memory one)."""
    for _seq, name, file in db.conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None


def data_version(db: Database) -> int:
    """`PRAGMA data_version`: changes whenever another connection commits a write.

    Readers use it to drop caches (e.g. the offset boundaries of a list) cheaply.
    """
    return int(db.conn.execute("PRAGMA data_version").fetchone()[0])
