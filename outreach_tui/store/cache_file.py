"""The cache file itself: is it ours, which version, is it healthy, and why it failed.

`--db` may name any file, so a file is looked at through a read-only connection
(`inspect_cache`) before anything writes to it: a file that holds another application's
tables is refused without a byte changed (no WAL switch, no table, no chmod).

How a file is recognised as an outreach-tui cache:
- `PRAGMA application_id` is `APPLICATION_ID` (the bytes "ORTU", 0x4F525455), written
  when the cache is created;
- or, for caches created before the id existed (application_id 0): the tables of the
  first migration step are there and `PRAGMA user_version` (the schema version, see
  `schema.py`) is within the known range. `connection.open_writer` then sets the id.
A missing, 0-byte or table-less file (application_id 0 and user_version 0) is free to
initialise.

SQLite's own errors (a damaged file, a read-only file or folder, a full disk) are turned
into `CacheError`s by `cache_error`: one sentence naming the file and what to do, which the
commands print as their one line on stderr.
"""

from __future__ import annotations

import errno
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Final
from urllib.parse import quote

from outreach_tui.store.schema import MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError
from outreach_tui.store.search import INDEX_PENDING_SQL

APPLICATION_ID: Final = int.from_bytes(b"ORTU", "big")  # 0x4F525455, header offset 68
SQLITE_MAGIC: Final = b"SQLite format 3\x00"
FTS_TABLE: Final = "conversation_fts"
MAX_REPORTED_PROBLEMS: Final = 20
# Every cache created by this app, from schema version 1 on, has these tables.
FIRST_STEP_TABLES: Final = frozenset(re.findall(r"CREATE TABLE (\w+)", MIGRATIONS[0]))

_RETRY = "move it away and run `outreach-tui sync` to rebuild it"


class CacheError(Exception):
    """A cache file that cannot be used as it is.

    `message` is one sentence for the user naming the file and what to do.
    """

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.message = message


class NotACacheError(CacheError):
    """The file belongs to another application (or is no SQLite database at all)."""

    def __init__(self, path: Path | str, reason: str | None = None) -> None:
        detail = f"{reason}; " if reason else ""
        super().__init__(
            path,
            f"{path} is not an outreach-tui cache ({detail}nothing was written to it); "
            "pass another --db",
        )


class CacheTooNewError(CacheError, SchemaTooNewError):
    """The file was written by a newer outreach-tui, with a schema this one cannot read."""

    def __init__(self, path: Path | str, version: int) -> None:
        super().__init__(
            path,
            f"{path} was written by a newer outreach-tui (schema {version}, this version "
            f"reads up to {SCHEMA_VERSION}); upgrade outreach-tui or pass another --db",
        )
        self.version = version


class CacheDamagedError(CacheError):
    """SQLite found the file corrupt (malformed pages, truncated, not a database)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(path, f"{path} is damaged ({reason}); {_RETRY}")
        self.reason = reason


class CacheReadOnlyError(CacheError):
    """The file, or the folder its journal files go to, cannot be written."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(
            path,
            f"cannot write the cache {path}: {reason}; make the file and its folder "
            "writable for you, or pass another --db",
        )


class CacheFullError(CacheError):
    """A write found the disk (or the database's page limit) full."""

    def __init__(self, path: Path | str, reason: str = "database or disk is full") -> None:
        super().__init__(
            path,
            f"cannot write the cache {path}: {reason}; free some disk space "
            "and run the command again",
        )


class CacheUnavailableError(CacheError):
    """The file cannot be opened or read (missing permission, I/O error, not a file)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(
            path,
            f"cannot open the cache {path} ({reason}); check the path and its permissions",
        )


class CacheKind(Enum):
    """What `inspect_cache` found at a path."""

    MISSING = "missing"  # no file: open_writer creates it
    EMPTY = "empty"  # a 0-byte or table-less file: free to initialise
    LEGACY = "legacy"  # our tables, from before application_id was set
    OURS = "ours"  # application_id is ours


@dataclass(frozen=True, slots=True)
class CacheFile:
    """The outcome of `inspect_cache`: what the file is and its schema version."""

    path: Path
    kind: CacheKind
    version: int = 0

    @property
    def current(self) -> bool:
        """True when the file can be read as it is (ours, nothing to migrate)."""
        return self.kind is CacheKind.OURS and self.version == SCHEMA_VERSION


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def cache_error(path: Path | str, error: BaseException) -> CacheError | None:
    """The `CacheError` saying what `error` means for the cache file at `path`.

    Returns None for errors that say nothing about the file (a locked database, a bad
    query: those are not the user's to fix here).
    """
    if isinstance(error, CacheError):
        return error
    if isinstance(error, SchemaTooNewError):
        return CacheTooNewError(path, _version_in(error))
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        if error.errno == errno.ENOSPC:
            return CacheFullError(path, reason)
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return CacheReadOnlyError(path, reason)
        return CacheUnavailableError(path, reason)
    if not isinstance(error, sqlite3.Error):
        return None
    code = _primary_code(error)
    reason = str(error)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return CacheDamagedError(path, reason)
    if code == sqlite3.SQLITE_FULL:
        return CacheFullError(path, reason)
    if code == sqlite3.SQLITE_READONLY:
        return CacheReadOnlyError(path, reason)
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_IOERR):
        return CacheUnavailableError(path, reason)
    return None


def _version_in(error: SchemaTooNewError) -> int:
    found = re.search(r"schema version (\d+)", str(error))
    return int(found.group(1)) if found else SCHEMA_VERSION + 1


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write the file (SQLite's `mode=ro`), opened and ready.

    In WAL mode SQLite creates the -wal and -shm files beside the database when they are
    missing; the database file itself is never written. In a read-only folder they cannot
    be created and a WAL database would not open: then the file is opened `immutable`
    (no -shm needed). That is safe there: without a -wal file nothing can be writing it.
    Raises sqlite3.Error.
    """
    resolved = quote(str(path.resolve()))
    conn = _read_only(f"file:{resolved}?mode=ro")
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # opens the file now
    except sqlite3.Error as error:
        conn.close()
        cannot_init = _primary_code(error) in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN)
        if not cannot_init or Path(f"{path}-wal").exists():
            raise
        conn = _read_only(f"file:{resolved}?mode=ro&immutable=1")
    return conn


def _read_only(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA query_only = ON")
    return conn


def inspect_cache(path: Path | str) -> CacheFile:
    """Look at the file at `path` without writing it; raise when it cannot be our cache.

    Raises `NotACacheError` (another application's file), `CacheTooNewError`,
    `CacheDamagedError` or `CacheUnavailableError`.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return CacheFile(path, CacheKind.MISSING)
    except OSError as error:
        raise CacheUnavailableError(path, error.strerror or str(error)) from None
    if path.is_dir():
        raise CacheUnavailableError(path, "it is a folder, not a file")
    if stat.st_size == 0:
        return CacheFile(path, CacheKind.EMPTY)
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise CacheUnavailableError(path, error.strerror or str(error)) from None
    if magic != SQLITE_MAGIC:
        raise NotACacheError(path, "not an SQLite database")
    try:
        conn = connect_read_only(path)
    except sqlite3.Error as error:
        raise _reading_error(path, error) from None
    try:
        application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
    except sqlite3.Error as error:
        raise _reading_error(path, error) from None
    finally:
        conn.close()
    return _classify(path, application_id, version, tables)


def _reading_error(path: Path, error: sqlite3.Error) -> CacheError:
    # The header said SQLite: a file SQLite cannot read past that is damaged.
    return cache_error(path, error) or CacheUnavailableError(path, str(error))


def _classify(path: Path, application_id: int, version: int, tables: set[str]) -> CacheFile:
    if application_id == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            raise CacheTooNewError(path, version)
        return CacheFile(path, CacheKind.OURS, version)
    if application_id != 0:
        raise NotACacheError(path, f"application id {application_id:#010x}")
    if not tables:
        if version == 0:
            return CacheFile(path, CacheKind.EMPTY)
        if version > SCHEMA_VERSION:
            # A table-less file stamped with a future version: a newer outreach-tui
            # that was interrupted right after creating it; refuse like any newer cache.
            raise CacheTooNewError(path, version)
        raise NotACacheError(path)
    if version >= 1 and tables.issuperset(FIRST_STEP_TABLES):
        if version > SCHEMA_VERSION:
            raise CacheTooNewError(path, version)
        return CacheFile(path, CacheKind.LEGACY, version)
    raise NotACacheError(path)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What `check_cache` found: an empty `problems` means the cache is healthy."""

    path: Path
    kind: CacheKind
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def check_cache(path: Path | str) -> CheckResult:
    """Run SQLite's integrity check and the full-text index's check; never write the file.

    The integrity check runs on a read-only connection. FTS5's check is an INSERT command
    (refused on a read-only connection), so it runs on a private temporary copy of the
    database. Raises `NotACacheError`, `CacheTooNewError` or `CacheUnavailableError` for a
    file that cannot be checked; damage is reported in the result, not raised.
    """
    path = Path(path)
    try:
        found = inspect_cache(path)
    except CacheDamagedError as damaged:
        return CheckResult(path, CacheKind.OURS, (damaged.reason,))
    if found.kind in (CacheKind.MISSING, CacheKind.EMPTY):
        return CheckResult(path, found.kind, ())
    try:
        conn = connect_read_only(path)
    except sqlite3.Error as error:
        raise _reading_error(path, error) from None
    try:
        problems = _integrity_problems(conn)
        if not problems and found.version >= _FTS_VERSION:
            problems = _fts_problems(path, conn)
    finally:
        conn.close()
    return CheckResult(path, found.kind, tuple(problems))


# The migration step that creates the full-text table (older caches have none to check).
_FTS_VERSION: Final = next(
    index + 1 for index, step in enumerate(MIGRATIONS) if f"TABLE {FTS_TABLE}" in step
)


def _integrity_problems(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = conn.execute(f"PRAGMA integrity_check({MAX_REPORTED_PROBLEMS})").fetchall()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    # SQLite packs several findings into one row, one per line ("*** in database main ***"
    # heading them): one problem per line reads better.
    lines = [line.strip() for row in rows for line in str(row[0]).splitlines()]
    messages = [line for line in lines if line and not line.startswith("***")]
    return [] if messages == ["ok"] else messages[:MAX_REPORTED_PROBLEMS]


def _fts_problems(path: Path, conn: sqlite3.Connection) -> list[str]:
    # A private folder (0700): the copy holds email content.
    with tempfile.TemporaryDirectory(prefix="outreach-tui-check-") as folder:
        copy = sqlite3.connect(Path(folder) / "copy.db", isolation_level=None)
        try:
            try:
                conn.backup(copy)
            except sqlite3.Error as error:
                problem = cache_error(path, error)
                if isinstance(problem, CacheDamagedError):
                    return [str(error)]
                raise CacheUnavailableError(
                    path, f"no temporary copy for the full-text check: {error}"
                ) from None
            try:
                # Documents stored but not indexed yet (a sync between two batches, or
                # killed): indexed in the copy first, as opening the cache would.
                if copy.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'search_pending'"
                ).fetchone():
                    copy.execute(INDEX_PENDING_SQL)
                    copy.execute("DELETE FROM search_pending")
                # rank 1: also against the content table (the text lives outside the index).
                copy.execute(
                    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
                )
            except sqlite3.DatabaseError as error:
                return [f"full-text index: {error}"]
        finally:
            copy.close()
    return []
