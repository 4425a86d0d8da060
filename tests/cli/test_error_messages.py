"""Every error that reaches the user is one sentence about their situation.

One row per bad input: the command line, what surrounds it (stdin bytes, files, config,
environment), the exit code and a fragment of the message. No row may answer with
"unexpected error" (the last-resort wording of `cli.main`) or a traceback. Rows run
in-process unless they need real argv bytes or a real pipe.

To add a row, add one line to ROWS. Placeholders in argv, `config` and file names:
{tmp} a scratch folder, {home} OUTREACH_TUI_HOME, {closed} a loopback URL where nothing
listens, {html} a loopback server answering every request with an HTML page. `files`
maps a name under {tmp} to its bytes (None: a folder); `setup` gets {tmp} for anything
more (a damaged cache, a read-only file).
"""

from __future__ import annotations

import io
import os
import shlex
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from outreach_tui import cli
from outreach_tui.commands import CommandError
from outreach_tui.store.connection import open_writer
from outreach_tui.store.ingest import upsert_conversations, upsert_inboxes
from outreach_tui.store.schema import SCHEMA_VERSION
from tests.cli.conftest import Outcome, check_output, process_env, serve_asgi
from tests.store.cache_files import foreign_database, overwrite_tail, truncate_half
from tests.store.factories import conversation, inbox
from tests.sync.conftest import KEY

USAGE, FAILURE = 2, 1
BIG = 1_234_567  # bytes: over the 1,000,000-byte body limit
NOT_UTF8 = b"ab\xffcd"
NOT_UTF8_MESSAGE = "not UTF-8 text (byte 0xff at position 2)"
TOO_BIG = "the reply is 1,234,567 bytes; the limit is 1,000,000 bytes"
LOOPBACK_99999 = "http://127.0.0.1:99999"
PROFILE_URL = "[profiles.w]\nbase_url = '%s'"
NAN_INTERVAL = "[sync]\ninterval_minutes = nan"
# Values too long or too odd to spell in a row's argv string.
ARGV_VALUES = {
    "huge": "9" * 25,
    "not_utf8": NOT_UTF8.decode("utf-8", "surrogateescape"),  # what POSIX argv gives Python
    "over_limit": "a" * 1_000_001,
}


@dataclass(frozen=True)
class Row:
    """One bad input and the answer the CLI must give."""

    argv: tuple[str, ...]
    code: int
    message: str
    stdin: bytes | None = None
    files: Mapping[str, bytes | None] = field(default_factory=dict)
    config: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    subprocess: bool = False  # real argv bytes / real pipes: run `python -m outreach_tui`


def row(argv: str, code: int, message: str, **setup: Any) -> Row:
    """A row in one line: `row("inbox list --limit 0", 2, "at least 1")`.

    `argv` is split like a shell would (shlex); each word may hold placeholders.
    """
    return Row(tuple(shlex.split(argv)), code, message, **setup)


def _not_root() -> Any:
    # root reads every file whatever its mode: the permission row cannot fail for root
    return pytest.mark.skipif(os.geteuid() == 0, reason="root can read a mode-000 file")


def _unreadable(tmp: Path) -> None:
    path = tmp / "r"
    path.write_text("hi", encoding="utf-8")
    path.chmod(0)


def _cache(tmp: Path) -> Path:
    """A small cache at {tmp}/cache.db (40 conversations: several pages of rows)."""
    path = tmp / "cache.db"
    db = open_writer(path)
    upsert_inboxes(db, [inbox("inbox-1")])
    upsert_conversations(db, [conversation(f"c{i}") for i in range(40)], "primary")
    db.close()
    return path


def _truncated_cache(tmp: Path) -> None:
    truncate_half(_cache(tmp))


def _damaged_cache(tmp: Path) -> None:
    overwrite_tail(_cache(tmp))


def _newer_cache(tmp: Path) -> None:
    conn = sqlite3.connect(_cache(tmp))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


def _foreign_file(tmp: Path) -> None:
    foreign_database(tmp / "cache.db")


DAMAGED = "{tmp}/cache.db is damaged ("
REBUILD = "move it away and run `outreach-tui sync` to rebuild it"

ROWS: list[Any] = [
    # --- integer and number flags: bounded, usage errors (exit 2) -------------------------
    row("inbox list --limit {huge}", USAGE, "--limit: expected a number of at most 10,000,000"),
    row("inbox list --limit 1e3", USAGE, "--limit: expected a whole number, got '1e3'"),
    row("demo --size {huge}", USAGE, "--size: expected a number of at most 1,000,000"),
    row("simulator --size {huge}", USAGE, "--size: expected a number of at most 1,000,000"),
    row("simulator --seed {huge}", USAGE, "--seed: expected a number of at most"),
    row("demo --seed -{huge}", USAGE, "--seed: expected a number of at least"),
    row("simulator --port 99999", USAGE, "--port: port out of range"),
    row("simulator --live nan", USAGE, "--live: expected a number of seconds"),
    row("simulator --live inf", USAGE, "--live: expected a number of seconds"),
    row("simulator --live -1", USAGE, "--live: expected 0 (off) or a positive number"),
    row("simulator --live 1e9", USAGE, "--live: expected at most 86,400 seconds"),
    row("simulator --host ''", USAGE, "--host: expected an address"),
    row("simulator --rate-limit 1e23/min", USAGE, "invalid rate limit '1e23/min'"),
    row("simulator --rate-limit {huge}/min", USAGE, "N from 1 to 1,000,000"),
    row("simulator --faults latency=1e20ms", USAGE, "latency must look like 200ms"),
    row("simulator --faults latency=99999999s", USAGE, "latency must be at most 600s"),
    # --- the base URL: checked before anything runs ---------------------------------------
    row("--base-url http://127.0.0.1:99999 sync", USAGE, "port 99999 is out of range (1-65535)"),
    row("--base-url http://127.0.0.1:0 sync", USAGE, "port 0 is out of range (1-65535)"),
    row("--base-url '' sync", USAGE, "invalid base URL ''"),
    row("--base-url ftp://x sync", USAGE, "invalid base URL 'ftp://x'"),
    row("--base-url http://[::1 sync", USAGE, "invalid base URL 'http://[::1'"),
    row("--base-url http://127.0.0.1:abc sync", USAGE, "port 'abc' is not a number"),
    row("--base-url http://127.0.0.1:1/?q=1 sync", USAGE, "must not carry credentials, a query"),
    row("--base-url 'https://exa mple.com' sync", USAGE, "invalid base URL 'https://exa mple"),
    row("--base-url http://example.com sync", USAGE, "refusing plain http for example.com"),
    row("sync", USAGE, "port 99999 is out of range", env={"REACHKIT_BASE_URL": LOOPBACK_99999}),
    # --- profiles and config.toml ---------------------------------------------------------
    row("--profile a/b status", USAGE, "invalid profile name 'a/b'"),
    row("--profile '' status", USAGE, "invalid profile name ''"),
    row("--db '' status", USAGE, "--db: expected a file path, got ''"),
    row("status", USAGE, "config.toml: not valid TOML", config="theme = ["),
    row("status", USAGE, "config.toml: unknown setting 'colour'", config="colour = 'red'"),
    row("status", USAGE, "port 99999 is out of range", config=PROFILE_URL % LOOPBACK_99999),
    row("status", USAGE, "w.base_url: invalid base URL", config=PROFILE_URL % "http://[::1"),
    row("status", USAGE, "interval_minutes must be a finite number", config=NAN_INTERVAL),
    row("status", USAGE, "cannot read {home}/config.toml", files={"{home}/config.toml": None}),
    # --- reply bodies: one limit and one encoding rule on every path -----------------------
    row("inbox reply c1", FAILURE, NOT_UTF8_MESSAGE, stdin=NOT_UTF8),
    row("inbox reply c1 --body {not_utf8}", FAILURE, NOT_UTF8_MESSAGE),
    row("inbox reply c1 --body-file {tmp}/r", FAILURE, NOT_UTF8_MESSAGE, files={"r": NOT_UTF8}),
    row("inbox reply c1 --body-file {tmp}/r", FAILURE, TOO_BIG, files={"r": b"a" * BIG}),
    row("inbox reply c1 --body {over_limit}", FAILURE, "the reply is 1,000,001 bytes; the limit"),
    row("inbox reply c1", FAILURE, "the reply is more than 1,000,000 bytes", stdin=b"a" * BIG),
    row("inbox reply c1 --body-file /dev/zero", FAILURE, "the reply is more than 1,000,000 bytes"),
    row("inbox reply c1 --body-file {tmp}", FAILURE, "cannot read {tmp}: Is a directory"),
    row("inbox reply c1 --body-file {tmp}/nope", FAILURE, "cannot read {tmp}/nope: No such file"),
    pytest.param(
        row("inbox reply c1 --body-file {tmp}/r", FAILURE, "Permission denied", setup=_unreadable),
        marks=_not_root(),
    ),
    row("inbox reply c1 --body ' \n '", FAILURE, "the reply is empty; nothing queued"),
    row("inbox reply c1 --body hi", FAILURE, "no conversation c1 in the cache"),
    # --- ids and the cache file --------------------------------------------------------------
    row("inbox show nope", FAILURE, "no conversation nope in the cache"),
    row("campaigns show {huge}", FAILURE, "no campaign {huge} in the cache"),
    row("inbox label c1 bogus", USAGE, "unknown label 'bogus'"),
    row("--db {tmp} inbox list", FAILURE, "it is a folder, not a file"),
    row("--db {tmp}/cache.db status", FAILURE, REBUILD, setup=_truncated_cache),
    row("--db {tmp}/cache.db inbox list --limit 100", FAILURE, DAMAGED, setup=_damaged_cache),
    row("--db {tmp}/cache.db status", FAILURE, "by a newer outreach-tui", setup=_newer_cache),
    row(
        "--base-url {closed} --db {tmp}/cache.db sync",
        FAILURE,
        "not an outreach-tui",
        setup=_foreign_file,
    ),
    row("--db {tmp}/cache.db status", FAILURE, "not an outreach-tui cache", setup=_foreign_file),
    # --- servers that are not (or not quite) Reachkit -----------------------------------------
    row("--base-url {closed} sync", FAILURE, "could not be reached"),
    row("--base-url {closed} login", FAILURE, "could not check the key", stdin=KEY.encode()),
    row("--base-url {html} sync", FAILURE, "at {html} failed: Malformed response (200): an HTML"),
    row("--base-url {html} login", FAILURE, "could not check the key", stdin=KEY.encode()),
    # --- real processes: argv bytes and a real pipe, as a shell hands them over ------------
    row("inbox reply c1 --body {not_utf8}", FAILURE, NOT_UTF8_MESSAGE, subprocess=True),
    row("inbox reply c1", FAILURE, "is more than 1,000,000", stdin=b"a" * BIG, subprocess=True),
]


def _html_page(request: Request) -> HTMLResponse:
    return HTMLResponse("<html><body><h1>Welcome to nginx!</h1></body></html>")


@pytest.fixture
def html_url() -> Iterator[str]:
    """A loopback server answering every path with 200 and an HTML page (not an API)."""
    app = Starlette(routes=[Route("/{path:path}", _html_page, methods=["GET", "POST"])])
    with serve_asgi(app) as url:
        yield url


def _fill(text: str, places: Mapping[str, str]) -> str:
    for name, value in places.items():
        text = text.replace("{" + name + "}", value)
    return text


def _run_in_process(
    case: Row,
    argv: list[str],
    run_main: Callable[..., Outcome],
    monkeypatch: pytest.MonkeyPatch,
) -> Outcome:
    # A binary stdin behind a text wrapper, like the real one (the CLI reads .buffer).
    stdin = io.TextIOWrapper(io.BytesIO(case.stdin or b""), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    return run_main(argv)


def _run_subprocess(case: Row, argv: list[str], home: Path, env: Mapping[str, str]) -> Outcome:
    """`python -m outreach_tui argv` with stdin as raw bytes; str args with lone
    surrogates become the original bytes again (os.fsencode), as a shell would pass them."""
    completed = subprocess.run(
        [sys.executable, "-m", "outreach_tui", *argv],
        input=case.stdin or b"",
        capture_output=True,
        env={**process_env(home), **env},
        timeout=60,
        check=False,
    )
    return check_output(
        Outcome(
            completed.returncode,
            completed.stdout.decode("utf-8", "replace"),
            completed.stderr.decode("utf-8", "replace"),
        )
    )


def _row_id(case: Row) -> str:
    return f"{' '.join(case.argv)[:50]} -> {case.message[:40]}"


@pytest.mark.parametrize("case", ROWS, ids=_row_id)
def test_bad_input_gets_one_sentence_and_the_right_exit_code(
    case: Row,
    request: pytest.FixtureRequest,
    run_main: Callable[..., Outcome],
    monkeypatch: pytest.MonkeyPatch,
    isolated_home: Path,
    tmp_path: Path,
    closed_port_url: str,
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    places = {
        **ARGV_VALUES,
        "tmp": str(scratch),
        "home": str(isolated_home),
        "closed": closed_port_url,
    }
    if any("{html}" in arg for arg in case.argv):
        places["html"] = request.getfixturevalue("html_url")
    for name, content in case.files.items():
        path = scratch / _fill(name, places)
        if content is None:
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.write_bytes(content)
    if case.setup is not None:
        case.setup(scratch)
    if case.config is not None:
        (isolated_home / "config.toml").write_text(_fill(case.config, places), encoding="utf-8")
    argv = [_fill(arg, places) for arg in case.argv]
    if case.subprocess:
        outcome = _run_subprocess(case, argv, isolated_home, case.env)
    else:
        monkeypatch.setenv("REACHKIT_API_KEY", KEY)
        for name, value in case.env.items():
            monkeypatch.setenv(name, value)
        outcome = _run_in_process(case, argv, run_main, monkeypatch)
    assert "unexpected error" not in outcome.err
    assert outcome.code == case.code, outcome.err
    assert _fill(case.message, places) in outcome.err
    assert outcome.out == "" or case.code == 0


# --- one body rule, whatever path the body takes -----------------------------------------


@pytest.fixture
def one_conversation(tmp_path: Path) -> str:
    """A cache holding conversation c1 (no server needed: replies only enqueue)."""
    path = tmp_path / "cache.db"
    db = open_writer(path)
    upsert_inboxes(db, [inbox("inbox-1")])
    upsert_conversations(db, [conversation("c1")], "primary")
    db.close()
    return str(path)


def _queued(db_path: str) -> int:
    db = open_writer(Path(db_path))
    try:
        return int(db.conn.execute("SELECT count(*) FROM outbox").fetchone()[0])
    finally:
        db.close()


@pytest.mark.parametrize(
    ("body", "answer"),
    [
        (b"a" * 1_000_001, "the reply is 1,000,001 bytes; the limit is 1,000,000 bytes"),
        (NOT_UTF8, NOT_UTF8_MESSAGE),
        ("é".encode() * 500_000, None),  # exactly the limit: queued on every path
    ],
    ids=["over the limit", "not UTF-8", "exactly the limit"],
)
def test_stdin_body_and_body_file_give_the_same_answer(
    body: bytes,
    answer: str | None,
    one_conversation: str,
    tmp_path: Path,
    run_main: Callable[..., Outcome],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body_file = tmp_path / "reply.txt"
    body_file.write_bytes(body)
    reply = ["--db", one_conversation, "inbox", "reply", "c1"]
    # stdin from a file, as `< reply.txt` gives it: its size is known
    with body_file.open("rb") as redirected:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(redirected, encoding="utf-8"))
        from_stdin = run_main(reply)
    from_argv = run_main([*reply, "--body", body.decode("utf-8", "surrogateescape")])
    from_file = run_main([*reply, "--body-file", str(body_file)])
    for outcome in (from_stdin, from_argv, from_file):
        if answer is None:
            assert outcome.code == 0 and "reply queued" in outcome.out, outcome.err
        else:
            assert outcome.code == 1 and answer in outcome.err
            assert len(outcome.err.splitlines()) == 1
    assert _queued(one_conversation) == (3 if answer is None else 0)


# --- the last resort stays the last resort ---------------------------------------------------


@pytest.mark.parametrize(
    ("raised", "code", "message"),
    [
        (CommandError("no conversation x in the cache"), 1, "outreach-tui: no conversation x"),
        (KeyboardInterrupt(), 130, "outreach-tui: interrupted"),
        (OverflowError("port must be 0-65535"), 1, "(OverflowError): port must be 0-65535"),
    ],
)
def test_an_exception_group_is_unwrapped_to_the_error_inside(
    raised: BaseException,
    code: int,
    message: str,
    run_main: Callable[..., Outcome],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def handler(args: object) -> int:
        inner = BaseExceptionGroup("unhandled errors in a TaskGroup", [raised])
        raise BaseExceptionGroup("unhandled errors in a TaskGroup", [inner])

    monkeypatch.setattr(cli, "_resolve", lambda name: handler)
    outcome = run_main(["status"])
    assert outcome.code == code
    assert message in outcome.err and "TaskGroup" not in outcome.err
