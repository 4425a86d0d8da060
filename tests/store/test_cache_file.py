"""The cache file: our application id, foreign/newer/damaged/read-only/full files refused
with a sentence naming the file, and nothing written to a file that is not ours."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from outreach_tui.store import connection
from outreach_tui.store.cache_file import (
    APPLICATION_ID,
    CacheDamagedError,
    CacheFullError,
    CacheKind,
    CacheReadOnlyError,
    CacheTooNewError,
    NotACacheError,
    cache_error,
    check_cache,
    inspect_cache,
)
from outreach_tui.store.connection import open_for_reading, open_writer
from outreach_tui.store.ingest import upsert_conversations
from outreach_tui.store.schema import SCHEMA_VERSION, SchemaTooNewError
from tests.store.cache_files import (
    deny_writes,
    fingerprint,
    foreign_database,
    overwrite_tail,
    restore_writes,
    truncate_half,
)
from tests.store.factories import conversation


def _application_id(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA application_id").fetchone()[0])
    finally:
        conn.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A closed cache (WAL checkpointed into the file) with 300 conversations."""
    path = tmp_path / "cache.db"
    db = open_writer(path)
    upsert_conversations(
        db,
        [conversation(f"c{i:03}", subject=f"Subject {i} " + "x" * 400) for i in range(300)],
        "primary",
    )
    db.close()
    return path


@pytest.fixture
def read_only_file(filled: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    deny_writes(monkeypatch, filled)
    yield filled
    restore_writes(filled)


def test_a_new_cache_carries_our_application_id(tmp_path: Path) -> None:
    db = open_writer(tmp_path / "cache.db")
    db.close()
    assert APPLICATION_ID == 0x4F525455  # the bytes "ORTU": never change it
    assert _application_id(tmp_path / "cache.db") == APPLICATION_ID


@pytest.mark.parametrize("application_id", [0, 0x12345678])
@pytest.mark.parametrize("opener", [open_writer, open_for_reading])
def test_another_applications_file_is_refused_untouched(
    tmp_path: Path, application_id: int, opener: object
) -> None:
    path = foreign_database(tmp_path / "notes.db", application_id=application_id)
    before = fingerprint(path)
    with pytest.raises(NotACacheError) as refused:
        opener(path)  # type: ignore[operator]
    assert str(refused.value).startswith(f"{path} is not an outreach-tui cache")
    assert "--db" in str(refused.value)
    after = fingerprint(path)
    assert after == before
    assert after.journal_mode == "delete" and after.tables == ("notes",)
    assert sorted(p.name for p in tmp_path.glob("notes.db*")) == ["notes.db"]  # no -wal


def test_a_file_that_is_no_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("dear diary\n" * 100)
    with pytest.raises(NotACacheError, match="not an SQLite database"):
        open_writer(path)
    assert path.read_text() == "dear diary\n" * 100


def test_an_empty_file_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    path.touch()
    db = open_writer(path)
    assert "conversations" in db.table_names()
    db.close()
    assert _application_id(path) == APPLICATION_ID


def test_a_cache_from_before_the_application_id_opens_and_gets_it(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    old = open_writer(path)
    upsert_conversations(old, [conversation("c1")], "primary")
    old.conn.execute("PRAGMA application_id = 0")
    old.close()
    assert inspect_cache(path).kind is CacheKind.LEGACY
    db = open_writer(path)
    assert db.conn.execute("SELECT id FROM conversations").fetchall() == [("c1",)]
    db.close()
    assert _application_id(path) == APPLICATION_ID


def test_a_cache_of_a_newer_schema_is_refused_with_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    db = open_writer(path)
    db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    before = fingerprint(path)
    for opener in (open_writer, open_for_reading):
        with pytest.raises(CacheTooNewError) as refused:
            opener(path)
        assert str(refused.value) == (
            f"{path} was written by a newer outreach-tui (schema {SCHEMA_VERSION + 5}, this "
            f"version reads up to {SCHEMA_VERSION}); upgrade outreach-tui or pass another --db"
        )
        assert isinstance(refused.value, SchemaTooNewError)  # what callers caught before
    assert fingerprint(path) == before


def test_a_truncated_cache_is_reported_damaged_with_what_to_do(filled: Path) -> None:
    truncate_half(filled)
    with pytest.raises(CacheDamagedError) as refused:
        open_writer(filled)
    message = str(refused.value)
    assert message.startswith(f"{filled} is damaged (database disk image is malformed)")
    assert message.endswith("move it away and run `outreach-tui sync` to rebuild it")


def test_check_finds_a_good_cache_ok_and_a_damaged_one_without_changing_it(
    filled: Path, tmp_path: Path
) -> None:
    assert check_cache(filled).ok
    overwrite_tail(filled)
    before = fingerprint(filled)
    result = check_cache(filled)
    assert not result.ok and result.problems
    assert fingerprint(filled).sha256 == before.sha256


def test_check_runs_the_full_text_index_check(filled: Path) -> None:
    # The content and the index of the FTS table disagree: SQLite's integrity check does
    # not look inside FTS5 tables, FTS5's own check does.
    conn = sqlite3.connect(filled)
    conn.execute(
        "UPDATE conversation_search SET subject = 'zebra quagga'"
        " WHERE seq = (SELECT MIN(seq) FROM conversation_search)"
    )
    conn.commit()
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    before = fingerprint(filled).sha256
    result = check_cache(filled)
    assert [p for p in result.problems if p.startswith("full-text index:")]
    assert fingerprint(filled).sha256 == before


def test_a_reader_of_a_current_cache_writes_nothing(filled: Path) -> None:
    before = fingerprint(filled)
    db = open_for_reading(filled)
    assert db.conn.execute("PRAGMA query_only").fetchone()[0] == 1
    assert db.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 300
    db.close()
    assert fingerprint(filled).sha256 == before.sha256


def test_a_read_only_file_is_refused_for_writing_but_can_be_read(read_only_file: Path) -> None:
    with pytest.raises(CacheReadOnlyError) as refused:
        open_writer(read_only_file)
    assert str(refused.value) == (
        f"cannot write the cache {read_only_file}: the file is read-only; make the file "
        "and its folder writable for you, or pass another --db"
    )
    db = open_for_reading(read_only_file)
    assert db.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 300
    db.close()


def test_a_read_only_folder_is_refused_for_writing_but_can_be_read(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = filled.parent
    deny_writes(monkeypatch, folder)
    try:
        with pytest.raises(CacheReadOnlyError, match=f"its folder {folder} is read-only"):
            open_writer(filled)
        # No -wal/-shm beside it and none can be created: still readable.
        db = open_for_reading(filled)
        assert db.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 300
        db.close()
    finally:
        restore_writes(folder)


def test_a_full_disk_while_creating_the_cache_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_connect = connection.connect_to

    def tiny(path: Path | str) -> sqlite3.Connection:
        conn = real_connect(path)
        conn.execute("PRAGMA max_page_count = 3")  # room for a few tables, not the schema
        return conn

    monkeypatch.setattr(connection, "connect_to", tiny)
    path = tmp_path / "cache.db"
    with pytest.raises(CacheFullError) as refused:
        open_writer(path)
    assert str(refused.value) == (
        f"cannot write the cache {path}: database or disk is full; free some disk space "
        "and run the command again"
    )


def test_sqlite_errors_are_translated_by_their_code(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"

    def error(code: int, text: str) -> sqlite3.Error:
        made = sqlite3.OperationalError(text)
        made.sqlite_errorcode = code  # type: ignore[attr-defined]
        return made

    assert isinstance(cache_error(path, error(sqlite3.SQLITE_FULL, "full")), CacheFullError)
    assert isinstance(
        cache_error(path, error(sqlite3.SQLITE_CORRUPT, "malformed")), CacheDamagedError
    )
    assert isinstance(
        cache_error(path, error(sqlite3.SQLITE_READONLY_DIRECTORY, "ro")), CacheReadOnlyError
    )
    assert cache_error(path, error(sqlite3.SQLITE_BUSY, "database is locked")) is None
    assert cache_error(path, sqlite3.OperationalError("no such column: x")) is None


@pytest.mark.parametrize("opener", [open_writer, open_for_reading])
def test_an_existing_cache_is_made_private_when_opened(filled: Path, opener: object) -> None:
    filled.chmod(0o644)
    db = opener(filled)  # type: ignore[operator]
    db.close()  # type: ignore[attr-defined]
    assert _mode(filled) == 0o600
