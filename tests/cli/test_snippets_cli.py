"""`outreach-tui snippets`: list, show, add, rm, with --json and text output, offline."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from outreach_tui.store.edits.body import MAX_BODY_BYTES
from tests.cli.conftest import Outcome

Run = Callable[..., Outcome]


def _db(tmp_path: Path) -> str:
    return str(tmp_path / "cache.db")


def _add(run_main: Run, db: str, tmp_path: Path, name: str, body: str, *extra: str) -> Outcome:
    path = tmp_path / f"body-{len(list(tmp_path.iterdir()))}.txt"
    path.write_text(body, encoding="utf-8")
    return run_main(["--db", db, "snippets", "add", name, "--body-file", str(path), *extra])


def test_add_list_show_and_rm_with_json(run_main: Run, tmp_path: Path) -> None:
    db = _db(tmp_path)
    added = _add(
        run_main, db, tmp_path, "Pricing", "Hi {{first_name|there}},\nour prices.\n", "--json"
    )
    assert added.code == 0
    assert json.loads(added.out)["name"] == "Pricing"
    assert _add(run_main, db, tmp_path, "after call", "Thanks {{first_name}}").code == 0

    listed = json.loads(run_main(["--db", db, "snippets", "list", "--json"]).out)
    assert [(s["name"], s["body"]) for s in listed] == [
        ("after call", "Thanks {{first_name}}"),
        ("Pricing", "Hi {{first_name|there}},\nour prices.\n"),
    ]
    assert all(set(s) == {"name", "body", "updated_at"} for s in listed)

    shown = run_main(["--db", db, "snippets", "show", "PRICING", "--json"])
    assert json.loads(shown.out)["body"] == "Hi {{first_name|there}},\nour prices.\n"

    removed = run_main(["--db", db, "snippets", "rm", "pricing", "--json"])
    assert (removed.code, json.loads(removed.out)["name"]) == (0, "Pricing")
    assert [
        s["name"] for s in json.loads(run_main(["--db", db, "snippets", "list", "--json"]).out)
    ] == ["after call"]


def test_text_output_prints_the_body_and_a_table_without_control_sequences(
    run_main: Run, tmp_path: Path
) -> None:
    db = _db(tmp_path)
    _add(run_main, db, tmp_path, "Hostile", "line one \x1b]8;;http://evil\x07x\x1b[31m\nline two\n")
    shown = run_main(["--db", db, "snippets", "show", "hostile"])
    assert shown.code == 0
    assert shown.out == "line one x\nline two\n"
    listed = run_main(["--db", db, "snippets", "list"])
    assert listed.out.splitlines()[0].split() == ["NAME", "UPDATED", "FIRST", "LINE"]
    assert "Hostile" in listed.out and "\x1b" not in listed.out


def test_body_from_stdin_with_a_dash(
    run_main: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _db(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("From stdin {{company|your team}}\n"))
    assert run_main(["--db", db, "snippets", "add", "piped", "--body-file", "-"]).code == 0
    assert (
        run_main(["--db", db, "snippets", "show", "piped"]).out
        == "From stdin {{company|your team}}\n"
    )


def test_a_name_taken_in_another_case_fails_unless_forced(run_main: Run, tmp_path: Path) -> None:
    db = _db(tmp_path)
    _add(run_main, db, tmp_path, "Intro", "one")
    again = _add(run_main, db, tmp_path, "INTRO", "two")
    assert again.code == 1 and "already exists" in again.err and "--force" in again.err
    assert _add(run_main, db, tmp_path, "INTRO", "two", "--force").code == 0
    assert run_main(["--db", db, "snippets", "show", "intro"]).out == "two\n"


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["snippets"], 2, "needs a subcommand"),
        (["snippets", "add", "   ", "--body-file", "x"], 2, "needs a name"),
        (["snippets", "add", "n" * 81, "--body-file", "x"], 2, "at most 80"),
        (["snippets", "add", "ok"], 2, "--body-file"),
        (["snippets", "show", "nope"], 1, "no snippet 'nope' in the cache"),
        (["snippets", "rm", "nope"], 1, "no snippet 'nope' in the cache"),
        (["snippets", "add", "ok", "--body-file", "/nonexistent/body.txt"], 1, "cannot read"),
    ],
)
def test_errors_are_one_line_with_the_contract_exit_codes(
    run_main: Run, tmp_path: Path, argv: list[str], code: int, message: str
) -> None:
    outcome = run_main(["--db", _db(tmp_path), *argv])
    assert outcome.code == code
    assert message in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1


def test_an_empty_oversized_or_invalid_body_saves_nothing(run_main: Run, tmp_path: Path) -> None:
    db = _db(tmp_path)
    assert _add(run_main, db, tmp_path, "blank", "  \n").code == 1
    unclosed = _add(run_main, db, tmp_path, "unclosed", "Hi {{first_name")
    assert unclosed.code == 1 and "merge tag at character 4" in unclosed.err
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("café".encode("latin-1"))
    not_utf8 = run_main(["--db", db, "snippets", "add", "l1", "--body-file", str(latin1)])
    assert not_utf8.code == 1 and "not UTF-8" in not_utf8.err
    big = _add(run_main, db, tmp_path, "big", "x" * (MAX_BODY_BYTES + 1))
    assert big.code == 1 and "limit" in big.err
    assert json.loads(run_main(["--db", db, "snippets", "list", "--json"]).out) == []
