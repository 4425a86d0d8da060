"""Fixtures: a fresh cache database (writer) and a reader on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from outreach_tui.store.connection import open_reader, open_writer


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cache.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    writer = open_writer(db_path)
    yield writer
    assert writer.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert writer.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    writer.close()


@pytest.fixture
def reader(db: Database, db_path: Path) -> Iterator[Database]:
    connection = open_reader(db_path)
    yield connection
    connection.close()
