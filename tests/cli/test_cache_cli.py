"""`--db` on files that are not a usable cache, and `outreach-tui cache check`.

Another application's SQLite file is refused by every command before anything is
written to it; a newer, damaged, read-only or full cache ends the command with one line
naming the file and what to do (exit 1), never "unexpected error".
"""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.applications import Starlette

from outreach_tui.commands import context
from outreach_tui.simulator import create_app
from outreach_tui.store.cache_file import APPLICATION_ID
from outreach_tui.store.connection import open_writer
from outreach_tui.store.schema import SCHEMA_VERSION
from outreach_tui.sync.engine import run_sync
from tests.cli.conftest import Outcome
from tests.store.cache_files import (
    deny_writes,
    fingerprint,
    foreign_database,
    overwrite_tail,
    restore_writes,
    truncate_half,
)
from tests.sync.conftest import KEY, client_for

Run = Callable[..., Outcome]


@pytest.fixture(autouse=True)
def api_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REACHKIT_API_KEY", KEY)


@pytest.fixture
async def synced(tmp_path: Path) -> Path:
    """A closed cache filled by one sync of a simulator workspace (60 conversations)."""
    app = create_app(api_keys=[KEY], size=60, seed=21)
    path = tmp_path / "cache.db"
    writer = open_writer(path)
    async with client_for(app) as client:
        assert (await run_sync(client, writer)).ok
    writer.close()
    app.state.simulator.close()
    return path


def _one_line_error(outcome: Outcome) -> str:
    """The failure's single stderr line (exit 1), checked not to be the catch-all.

    Sync progress lines ("sync: ...") may come before it.
    """
    assert outcome.code == 1, (outcome.out, outcome.err)
    lines = [line for line in outcome.err.strip().splitlines() if not line.startswith("sync: ")]
    assert len(lines) == 1, outcome.err
    assert "unexpected error" not in lines[0]
    return lines[0]


def _first_id(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT id FROM conversations ORDER BY id").fetchone()[0])
    finally:
        conn.close()


def _application_id(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA application_id").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize(
    "command",
    [["status"], ["status", "--json"], ["inbox", "list"], ["campaigns", "list"], ["sync"]],
    ids=" ".join,
)
def test_another_applications_file_is_refused_and_left_as_it_was(
    run_main: Run, served: tuple[Starlette, str], tmp_path: Path, command: list[str]
) -> None:
    _, base_url = served
    path = foreign_database(tmp_path / "notes.db")
    before = fingerprint(path)
    outcome = run_main(["--base-url", base_url, "--db", str(path), *command])
    line = _one_line_error(outcome)
    assert line.startswith(f"outreach-tui: {path} is not an outreach-tui cache")
    assert fingerprint(path) == before  # same bytes, journal mode, tables
    assert before.journal_mode == "delete" and before.tables == ("notes",)
    assert not Path(f"{path}-wal").exists()


def test_an_empty_file_becomes_a_cache(run_main: Run, tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    path.touch()
    outcome = run_main(["--db", str(path), "status", "--json"])
    assert outcome.code == 0, outcome.err
    assert json.loads(outcome.out)["counts"]["conversations"] == 0
    assert _application_id(path) == APPLICATION_ID


def test_a_cache_from_before_the_application_id_still_opens(run_main: Run, synced: Path) -> None:
    conn = sqlite3.connect(synced)
    conn.execute("PRAGMA application_id = 0")  # as every cache written before this release
    conn.close()
    outcome = run_main(["--db", str(synced), "inbox", "list", "--json", "--limit", "100"])
    assert outcome.code == 0, outcome.err
    rows = json.loads(outcome.out)
    assert len(rows) == 60
    # A writing command adopts it: the id is set, the data kept.
    unread = next(row["id"] for row in rows if not row["is_read"])
    assert run_main(["--db", str(synced), "inbox", "read", unread]).code == 0
    assert _application_id(synced) == APPLICATION_ID
    outcome = run_main(["--db", str(synced), "status", "--json"])
    assert json.loads(outcome.out)["outbox"]["pending"] == 1


def test_a_cache_of_a_newer_schema_names_both_versions(run_main: Run, synced: Path) -> None:
    conn = sqlite3.connect(synced)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = fingerprint(synced)
    line = _one_line_error(run_main(["--db", str(synced), "status"]))
    assert line == (
        f"outreach-tui: {synced} was written by a newer outreach-tui (schema "
        f"{SCHEMA_VERSION + 5}, this version reads up to {SCHEMA_VERSION}); upgrade "
        "outreach-tui or pass another --db"
    )
    assert fingerprint(synced) == before


def test_a_truncated_cache_is_damaged_for_status_and_cache_check(
    run_main: Run, synced: Path
) -> None:
    truncate_half(synced)
    before = synced.read_bytes()
    line = _one_line_error(run_main(["--db", str(synced), "status"]))
    assert line == (
        f"outreach-tui: {synced} is damaged (database disk image is malformed); move it "
        "away and run `outreach-tui sync` to rebuild it"
    )
    check = run_main(["--db", str(synced), "cache", "check"])
    assert check.code == 1
    assert check.out.startswith(f"cache {synced}: ")
    assert f"{synced} is damaged" in _one_line_error(check)
    assert synced.read_bytes() == before  # neither command wrote to it


def test_damage_met_by_a_query_is_reported_with_the_file(run_main: Run, synced: Path) -> None:
    # The header and schema survive, the pages of the rows do not: the file opens and
    # the failure comes from a query in the middle of the command.
    overwrite_tail(synced)
    before = synced.read_bytes()
    line = _one_line_error(run_main(["--db", str(synced), "inbox", "list", "--limit", "100"]))
    assert line.startswith(f"outreach-tui: {synced} is damaged (")
    assert line.endswith("move it away and run `outreach-tui sync` to rebuild it")
    check = run_main(["--db", str(synced), "cache", "check"])
    assert check.code == 1 and check.out.count(f"cache {synced}: ") >= 1
    assert synced.read_bytes() == before


def test_cache_check_of_a_good_cache_says_ok(run_main: Run, synced: Path) -> None:
    before = synced.read_bytes()
    outcome = run_main(["--db", str(synced), "cache", "check"])
    assert (outcome.code, outcome.out, outcome.err) == (0, f"cache {synced}: ok\n", "")
    assert synced.read_bytes() == before


def test_cache_alone_is_a_usage_error(run_main: Run) -> None:
    outcome = run_main(["cache"])
    assert (outcome.code, outcome.err) == (2, "outreach-tui: cache needs a subcommand: check\n")


def test_a_read_only_cache_can_be_read_but_not_written(
    run_main: Run, synced: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation_id = _first_id(synced)
    deny_writes(monkeypatch, synced)
    try:
        assert run_main(["--db", str(synced), "status"]).code == 0
        line = _one_line_error(run_main(["--db", str(synced), "inbox", "read", conversation_id]))
    finally:
        restore_writes(synced)
    assert line == (
        f"outreach-tui: cannot write the cache {synced}: the file is read-only; make the "
        "file and its folder writable for you, or pass another --db"
    )


def test_a_cache_in_a_read_only_folder_cannot_be_written(
    run_main: Run, synced: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation_id = _first_id(synced)
    deny_writes(monkeypatch, synced.parent)
    try:
        line = _one_line_error(run_main(["--db", str(synced), "inbox", "read", conversation_id]))
    finally:
        restore_writes(synced.parent)
    assert line.startswith(f"outreach-tui: cannot write the cache {synced}: its folder ")


def test_a_disk_that_fills_up_during_sync_ends_with_one_clear_line(
    run_main: Run,
    served: tuple[Starlette, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, base_url = served
    real_open_writer = context.open_writer

    def nearly_full(path: Path) -> object:
        db = real_open_writer(path)
        # SQLite answers SQLITE_FULL past this many pages, as it does on a full disk.
        pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
        db.conn.execute(f"PRAGMA max_page_count = {pages + 3}")
        return db

    monkeypatch.setattr(context, "open_writer", nearly_full)
    path = tmp_path / "cache.db"
    outcome = run_main(["--base-url", base_url, "--db", str(path), "sync"])
    line = _one_line_error(outcome)
    assert line.endswith(
        f"outreach-tui: cannot write the cache {path}: database or disk is full; free some "
        "disk space and run the command again"
    )


def test_an_existing_cache_is_made_private(run_main: Run, synced: Path) -> None:
    synced.chmod(0o644)
    assert run_main(["--db", str(synced), "status"]).code == 0
    assert stat.S_IMODE(synced.stat().st_mode) == 0o600
