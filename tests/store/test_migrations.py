"""Migrations: from every older version to the latest, same schema as a fresh database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from outreach_tui.store.connection import open_writer
from outreach_tui.store.schema import SCHEMA_VERSION, SchemaTooNewError, migrate, schema_version


def _schema(db: Database) -> list[tuple[str, str, str]]:
    return sorted(
        db.conn.execute(
            "SELECT type, name, COALESCE(sql, '') FROM sqlite_master"
            " WHERE name NOT LIKE 'sqlite_stat%'"
        ).fetchall()
    )


def _database_at(path: Path, version: int) -> Database:
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn, execute_plugins=False)
    migrate(db, target=version)
    assert schema_version(db) == version
    return db


@pytest.mark.parametrize("start", range(SCHEMA_VERSION))
def test_migrating_from_every_older_version_gives_the_fresh_schema(
    tmp_path: Path, start: int
) -> None:
    old = _database_at(tmp_path / "old.db", start)
    old.close()
    migrated = open_writer(tmp_path / "old.db")
    fresh = open_writer(tmp_path / "fresh.db")
    assert schema_version(migrated) == SCHEMA_VERSION
    assert _schema(migrated) == _schema(fresh)
    migrated.close()
    fresh.close()


def test_data_written_before_search_existed_becomes_searchable(tmp_path: Path) -> None:
    search_step = 3  # the step that adds conversation_fts
    old = _database_at(tmp_path / "c.db", search_step - 1)
    old.conn.execute(
        "INSERT INTO conversations (id, subject, sender_email, sender_name)"
        " VALUES ('c1', 'Pricing', 'ann@acme.test', 'Ann')"
    )
    old.conn.execute(
        "INSERT INTO messages (conversation_id, position, text_body)"
        " VALUES ('c1', 0, 'budget for zebras')"
    )
    old.close()
    db = open_writer(tmp_path / "c.db")
    hits = db.conn.execute(
        "SELECT rowid FROM conversation_fts WHERE conversation_fts MATCH 'zebras'"
    ).fetchall()
    assert len(hits) == 1
    db.close()


def test_a_database_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "new.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError):
        open_writer(tmp_path / "new.db")


def test_a_failed_step_leaves_the_previous_version(tmp_path: Path) -> None:
    db = _database_at(tmp_path / "x.db", 1)
    # A table in the way of step 2 makes it fail half-way.
    db.conn.execute("CREATE TABLE conflict_log (x)")
    with pytest.raises(sqlite3.OperationalError):
        migrate(db)
    assert schema_version(db) == 1
    assert "outbox" not in db.table_names()
    db.close()
