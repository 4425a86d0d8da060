"""`outreach-tui inbox snooze|unsnooze` and snoozes in `inbox list`: hidden from the
list, found with `is:snoozed`, back on top once their time has passed, across processes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from outreach_tui.simulator import create_app
from outreach_tui.store.codec import sortable_time
from outreach_tui.store.connection import open_writer
from tests.cli.conftest import Outcome, run_process, synced_cache
from tests.sync.conftest import KEY

Run = Callable[..., Outcome]


@pytest.fixture
async def db(tmp_path: Path) -> str:
    """A cache filled by one sync of a small simulator workspace."""
    return await synced_cache(create_app(api_keys=[KEY], size=30, seed=21), tmp_path / "cache.db")


def _ids(run_main: Run, db: str, *args: str) -> list[str]:
    outcome = run_main(["--db", db, "inbox", "list", "--limit", "500", "--json", *args])
    assert outcome.code == 0, outcome.err
    return [row["id"] for row in json.loads(outcome.out)]


def test_snooze_hides_until_unsnoozed(run_main: Run, db: str) -> None:
    listed = _ids(run_main, db)
    second, third = listed[1], listed[2]
    snoozed = run_main(["--db", db, "inbox", "snooze", second, third, "--until", "3d", "--json"])
    assert snoozed.code == 0, snoozed.err
    assert json.loads(snoozed.out)["snoozed"] == [second, third]
    assert _ids(run_main, db) == [i for i in listed if i not in (second, third)]
    found = json.loads(
        run_main(["--db", db, "inbox", "list", "--search", "is:snoozed", "--json"]).out
    )
    assert [row["id"] for row in found] == [second, third]
    assert all(row["snoozed_until"] for row in found)
    status = json.loads(run_main(["--db", db, "status", "--json"]).out)
    assert status["counts"]["snoozed"] == 2
    text = run_main(["--db", db, "inbox", "unsnooze", third])
    assert (text.code, text.out.strip()) == (0, "unsnoozed 1 conversation(s)")
    assert _ids(run_main, db)[0] == third  # back on top, now
    assert _ids(run_main, db, "--search", "is:snoozed") == [second]


def test_a_snooze_whose_time_passed_comes_back_on_top_of_the_next_listing(
    run_main: Run, db: str
) -> None:
    listed = _ids(run_main, db)
    last = listed[-1]
    writer = open_writer(Path(db))
    # Snoozed a week ago until a minute ago: nothing ran since to bring it back.
    now = datetime.now(UTC)
    writer.conn.execute(
        "INSERT INTO snoozes (seq, until, snoozed_at) SELECT seq, ?, ? FROM conversations"
        " WHERE id = ?",
        [sortable_time((now - timedelta(minutes=1)).isoformat()), "2020-01-01T00:00:00Z", last],
    )
    writer.close()
    assert _ids(run_main, db)[0] == last


@pytest.mark.parametrize(
    ("until", "says"), [("someday", "not a time I know"), ("2020-01-01", "already passed")]
)
def test_a_bad_time_is_a_usage_error(run_main: Run, db: str, until: str, says: str) -> None:
    first = _ids(run_main, db)[0]
    outcome = run_main(["--db", db, "inbox", "snooze", first, "--until", until])
    assert outcome.code == 2 and says in outcome.err
    assert _ids(run_main, db)[0] == first


def test_a_snooze_holds_across_processes(db: str, tmp_path: Path) -> None:
    listed = json.loads(run_process(["--db", db, "inbox", "list", "--json"], home=tmp_path).out)
    chosen = listed[0]["id"]
    snoozed = run_process(
        ["--db", db, "inbox", "snooze", chosen, "--until", "tomorrow"], home=tmp_path
    )
    assert snoozed.code == 0 and "snoozed 1 conversation(s) until tomorrow 09:00" in snoozed.out
    after = json.loads(run_process(["--db", db, "inbox", "list", "--json"], home=tmp_path).out)
    assert chosen not in [row["id"] for row in after]
    assert len(after) == len(listed) - 1
