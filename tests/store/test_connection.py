"""Connections: file permissions, pragmas, transactions, WAL readers."""

from __future__ import annotations

import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database

from outreach_tui.store.connection import (
    open_reader,
    open_writer,
    read_snapshot,
    read_transaction,
    write_transaction,
)
from outreach_tui.store.ingest import upsert_conversations
from tests.store.factories import conversation


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_and_wal_files_are_private(db: Database, db_path: Path) -> None:
    upsert_conversations(db, [conversation("c1")], "primary")
    reader = open_reader(db_path)
    reader.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()
    try:
        assert _mode(db_path) == 0o600
        for suffix in ("-wal", "-shm"):
            sidecar = Path(f"{db_path}{suffix}")
            assert sidecar.exists()
            assert _mode(sidecar) == 0o600
    finally:
        reader.close()


def test_existing_file_keeps_its_mode_and_data(db_path: Path) -> None:
    first = open_writer(db_path)
    upsert_conversations(first, [conversation("c1")], "primary")
    first.close()
    again = open_writer(db_path)
    assert again.conn.execute("SELECT id FROM conversations").fetchall() == [("c1",)]
    assert _mode(db_path) == 0o600
    again.close()


def test_pragmas(db: Database) -> None:
    conn = db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_reader_is_read_only(reader: Database) -> None:
    with pytest.raises(Exception, match="readonly"):
        reader.conn.execute("DELETE FROM conversations")


def test_reader_for_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        open_reader(tmp_path / "nope.db")


def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), write_transaction(db):
        upsert_conversations(db, [conversation("c1")], "primary")
        raise RuntimeError("boom")
    assert db.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 0
    assert not db.conn.in_transaction


def test_nested_transaction_failure_keeps_the_outer_work(db: Database) -> None:
    with write_transaction(db):
        upsert_conversations(db, [conversation("c1")], "primary")
        with pytest.raises(RuntimeError), write_transaction(db):
            upsert_conversations(db, [conversation("c2")], "primary")
            raise RuntimeError("inner")
    ids = [r[0] for r in db.conn.execute("SELECT id FROM conversations ORDER BY id")]
    assert ids == ["c1"]


def test_reader_sees_commits_while_another_write_is_open(db: Database, reader: Database) -> None:
    upsert_conversations(db, [conversation("c1")], "primary")
    started, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with write_transaction(db):
                db.conn.execute("UPDATE conversations SET subject = 'uncommitted'")
                started.set()
                release.wait(5)
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    thread = threading.Thread(target=writer)
    thread.start()
    assert started.wait(5)
    # While the write transaction is open the reader neither blocks nor sees it.
    subjects = reader.conn.execute("SELECT subject FROM conversations").fetchall()
    assert subjects == [("Quick question",)]
    release.set()
    thread.join(5)
    assert not errors
    assert reader.conn.execute("SELECT subject FROM conversations").fetchall() == [("uncommitted",)]


def test_read_transaction_keeps_one_snapshot_across_reads(db: Database, reader: Database) -> None:
    upsert_conversations(db, [conversation("c1")], "primary")
    count = "SELECT COUNT(*) FROM conversations"
    with read_transaction(reader):
        assert reader.conn.execute(count).fetchone() == (1,)
        upsert_conversations(db, [conversation("c2")], "primary")  # commits meanwhile
        assert reader.conn.execute(count).fetchone() == (1,)
    assert not reader.conn.in_transaction
    assert reader.conn.execute(count).fetchone() == (2,)


def test_read_snapshot_reads_one_commit_and_closes(db: Database, db_path: Path) -> None:
    upsert_conversations(db, [conversation("c1")], "primary")
    count = "SELECT COUNT(*) FROM conversations"
    with read_snapshot(db_path) as reader:
        assert reader.conn.execute(count).fetchone() == (1,)
        upsert_conversations(db, [conversation("c2")], "primary")
        assert reader.conn.execute(count).fetchone() == (1,)
    with pytest.raises(sqlite3.ProgrammingError):
        reader.conn.execute(count)
