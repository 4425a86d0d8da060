"""`outreach-tui inbox ...`: the --json shape, the filters, and writes that only enqueue.

Every command here runs with no server and no API key configured: reading and triaging
the cache must never need the network.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from outreach_tui.core.html_text import markdown_to_plain, readable_body
from outreach_tui.simulator import create_app
from outreach_tui.store.connection import open_writer
from tests.cli.conftest import Outcome, synced_cache
from tests.sync.conftest import KEY

Run = Callable[..., Outcome]
REQUIRED_KEYS = {"id", "subject", "from_email", "label", "is_read", "pending"}


@pytest.fixture
async def db(tmp_path: Path) -> str:
    """A cache filled by one sync of a small simulator workspace."""
    return await synced_cache(create_app(api_keys=[KEY], size=60, seed=21), tmp_path / "cache.db")


def _list(run_main: Run, db: str, *args: str) -> list[dict]:
    outcome = run_main(["--db", db, "inbox", "list", "--json", "--limit", "1000", *args])
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)


def _status(run_main: Run, db: str) -> dict:
    return json.loads(run_main(["--db", db, "status", "--json"]).out)


def test_list_json_items_carry_the_contract_fields(run_main: Run, db: str) -> None:
    rows = _list(run_main, db)
    assert len(rows) == 60
    for row in rows:
        assert set(row) >= REQUIRED_KEYS
        assert isinstance(row["is_read"], bool) and row["pending"] is None
    assert len(_list(run_main, db, "--limit", "7")) == 7


def test_default_list_is_a_text_table(run_main: Run, db: str) -> None:
    outcome = run_main(["--db", db, "inbox", "list"])
    lines = outcome.out.splitlines()
    assert outcome.code == 0 and lines[0].split()[:4] == ["ID", "FROM", "LABEL", "WHEN"]
    assert len(lines) == 51  # header + the default limit of 50


@pytest.mark.parametrize("folder", ["primary", "others"])
def test_folder_filter(run_main: Run, db: str, folder: str) -> None:
    rows = _list(run_main, db, "--folder", folder)
    assert rows and {row["folder"] for row in rows} == {folder}
    assert len(rows) < 60


def test_label_filter_including_none(run_main: Run, db: str) -> None:
    everything = _list(run_main, db)
    labels = {row["label"] for row in everything}
    assert None in labels and len(labels) > 2
    for label in labels:
        rows = _list(run_main, db, "--label", label or "none")
        assert rows == [row for row in everything if row["label"] == label]


def test_unread_filter(run_main: Run, db: str) -> None:
    unread = _list(run_main, db, "--unread")
    assert unread and all(not row["is_read"] for row in unread)
    assert len(unread) == sum(not row["is_read"] for row in _list(run_main, db))


def test_search_filter(run_main: Run, db: str) -> None:
    target = _list(run_main, db)[5]
    word = max(target["subject"].split(), key=len).strip(".,!?:;")
    found = _list(run_main, db, "--search", word)
    assert target["id"] in {row["id"] for row in found}
    assert _list(run_main, db, "--search", "zzqxnotaword") == []


def test_show_json_has_the_thread(run_main: Run, db: str) -> None:
    cid = _list(run_main, db)[0]["id"]
    outcome = run_main(["--db", db, "inbox", "show", cid, "--json"])
    thread = json.loads(outcome.out)
    assert outcome.code == 0 and thread["id"] == cid and thread["messages"]
    assert {"direction", "from_email", "email_date", "is_read"} <= set(thread["messages"][0])


def test_label_and_revert_enqueue_without_network(run_main: Run, db: str) -> None:
    rows = [row for row in _list(run_main, db) if row["label"] != "wrong_person"][:2]
    ids = [row["id"] for row in rows]
    outcome = run_main(["--db", db, "inbox", "label", *ids, "wrong_person"])
    assert outcome.code == 0 and "2 change(s) queued" in outcome.out
    after = {row["id"]: row for row in _list(run_main, db)}
    for cid in ids:
        assert after[cid]["label"] == "wrong_person" and after[cid]["pending"] == "pending"
    assert _status(run_main, db)["outbox"]["pending"] == 2
    # reverting a pending override just withdraws it: nothing left to push
    outcome = run_main(["--db", db, "inbox", "label", *ids, "--revert"])
    assert outcome.code == 0
    assert _status(run_main, db)["outbox"]["pending"] == 0
    after = {row["id"]: row for row in _list(run_main, db)}
    assert [after[cid]["label"] for cid in ids] == [row["label"] for row in rows]


def test_read_and_unread_enqueue_without_network(run_main: Run, db: str) -> None:
    unread = _list(run_main, db, "--unread")[0]["id"]
    read = next(row["id"] for row in _list(run_main, db) if row["is_read"])
    assert run_main(["--db", db, "inbox", "read", unread]).code == 0
    assert run_main(["--db", db, "inbox", "unread", read]).code == 0
    rows = {row["id"]: row for row in _list(run_main, db)}
    assert rows[unread]["is_read"] and not rows[read]["is_read"]
    assert _status(run_main, db)["outbox"]["pending"] == 2


def _queued_bodies(run_main: Run, db: str, cid: str) -> list[str]:
    thread = json.loads(run_main(["--db", db, "inbox", "show", cid, "--json"]).out)
    return [m["html_body"] for m in thread["messages"] if m["pending"]]


def test_reply_from_body_file_and_stdin(
    run_main: Run, db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = _list(run_main, db)[0]["id"]
    assert run_main(["--db", db, "inbox", "reply", cid, "--body", "Typed <b>here</b>"]).code == 0
    body_file = tmp_path / "reply.txt"
    body_file.write_text("From a file.\n\nSecond paragraph.", encoding="utf-8")
    assert run_main(["--db", db, "inbox", "reply", cid, "--body-file", str(body_file)]).code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("From stdin, line one\nline two\n"))
    assert run_main(["--db", db, "inbox", "reply", cid]).code == 0
    assert _queued_bodies(run_main, db, cid) == [
        "<p>Typed &lt;b&gt;here&lt;/b&gt;</p>",
        "<p>From a file.</p><p>Second paragraph.</p>",
        "<p>From stdin, line one<br>line two</p>",
    ]
    assert _status(run_main, db)["outbox"]["pending"] == 3


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["inbox", "label", "nope-123", "interested"], 1, "no conversation nope-123"),
        (["inbox", "label", "{cid}", "bogus_label"], 2, "unknown label"),
        (["inbox", "label", "{cid}"], 2, "usage"),
        (["inbox", "read", "nope-123"], 1, "no conversation"),
        (["inbox", "reply", "{cid}", "--body", "   "], 1, "empty"),
        (["inbox", "reply", "{cid}", "--body-file", "/nonexistent/x.txt"], 1, "cannot read"),
        (["inbox", "show", "nope-123"], 1, "no conversation"),
        (["inbox"], 2, "subcommand"),
    ],
)
def test_errors_are_one_line(
    run_main: Run, db: str, argv: list[str], code: int, message: str
) -> None:
    cid = _list(run_main, db)[0]["id"]
    outcome = run_main(["--db", db, *[a.replace("{cid}", cid) for a in argv]])
    assert outcome.code == code
    assert len(outcome.err.strip().splitlines()) == 1 and message in outcome.err
    assert _status(run_main, db)["outbox"]["pending"] == 0


@pytest.mark.parametrize("typed", ["meeting", "Meeting requested", "MEETING-REQUESTED"])
def test_labels_accept_display_names_and_short_names(run_main: Run, db: str, typed: str) -> None:
    everything = _list(run_main, db)
    wanted = [row for row in everything if row["label"] == "meeting_requested"]
    assert _list(run_main, db, "--label", typed) == wanted
    target = next(row["id"] for row in everything if row["label"] != "meeting_requested")
    outcome = run_main(["--db", db, "inbox", "label", target, typed])
    assert outcome.code == 0
    after = {row["id"]: row for row in _list(run_main, db)}
    assert after[target]["label"] == "meeting_requested"


def test_an_unknown_label_is_a_usage_error_naming_the_choices(run_main: Run, db: str) -> None:
    target = _list(run_main, db)[0]["id"]
    outcome = run_main(["--db", db, "inbox", "label", target, "maybe"])
    assert outcome.code == 2 and "unknown label 'maybe'" in outcome.err
    assert "meeting_requested" in outcome.err and "ooo" in outcome.err
    assert run_main(["--db", db, "inbox", "list", "--label", "maybe"]).code == 2


def test_show_prints_plain_text_without_markdown_escapes(run_main: Run, db: str) -> None:
    escaped = re.compile(r"\\[-\[\]*_.#!()`>]")
    seen_escapes = 0
    for row in _list(run_main, db):
        thread = json.loads(run_main(["--db", db, "inbox", "show", row["id"], "--json"]).out)
        for message in thread["messages"]:
            markdown = readable_body(message.get("html_body"), message.get("text_body")).markdown
            seen_escapes += bool(escaped.search(markdown))
        outcome = run_main(["--db", db, "inbox", "show", row["id"]])
        assert outcome.code == 0
        for line in outcome.out.splitlines():
            assert not escaped.search(line), line
            assert line == line.rstrip(), repr(line)  # no hard-break spaces
    assert seen_escapes > 0  # the workspace has bodies whose markdown carries escapes


def test_markdown_to_plain_drops_escapes_breaks_and_marks() -> None:
    text = "Hi \\-- there  \n\\[image: logo\\] **bold** [site](https://x.example)"
    assert markdown_to_plain(text) == "Hi -- there\n[image: logo] bold site <https://x.example>"
    converted = readable_body("<p>Q&amp;A: a=b, <i>really</i> <code>x_y</code> 1+1</p>", None)
    assert markdown_to_plain(converted.markdown) == "Q&A: a=b, really x_y 1+1"
    assert markdown_to_plain("2 * 3 * 4 and snake_case_name") == "2 * 3 * 4 and snake_case_name"


def test_ids_can_be_a_unique_start_and_campaigns_their_name(run_main: Run, db: str) -> None:
    rows = _list(run_main, db)
    ids = [row["id"] for row in rows]
    target = ids[3]
    prefix = next(
        target[:n] for n in range(4, len(target)) if sum(i.startswith(target[:n]) for i in ids) == 1
    )
    shown = run_main(["--db", db, "inbox", "show", prefix, "--json"])
    assert shown.code == 0 and json.loads(shown.out)["id"] == target
    assert run_main(["--db", db, "inbox", "read", prefix]).code == 0
    # a start shared by several: a usage error naming some of them
    shared = next(
        ids[i][:1] for i in range(len(ids)) if sum(x.startswith(ids[i][:1]) for x in ids) > 1
    )
    ambiguous = run_main(["--db", db, "inbox", "show", shared])
    assert ambiguous.code == 2 and "matches several conversations" in ambiguous.err
    listed = json.loads(run_main(["--db", db, "campaigns", "list", "--json"]).out)
    campaign = listed[0]
    by_name = run_main(["--db", db, "campaigns", "show", campaign["name"].upper(), "--json"])
    assert by_name.code == 0 and json.loads(by_name.out)["id"] == campaign["id"]
    unknown = run_main(["--db", db, "campaigns", "show", "no such campaign"])
    assert unknown.code != 0 and "no campaign" in unknown.err


def test_a_campaign_whose_deletion_is_queued_matches_no_prefix(run_main: Run, db: str) -> None:
    campaign = json.loads(run_main(["--db", db, "campaigns", "list", "--json"]).out)[0]
    writer = open_writer(Path(db))
    try:
        writer.conn.execute("UPDATE campaigns SET is_deleted = 1 WHERE id = ?", [campaign["id"]])
    finally:
        writer.close()
    outcome = run_main(["--db", db, "campaigns", "show", campaign["id"][:12]])
    assert outcome.code != 0 and "no campaign" in outcome.err


def test_campaign_names_fold_any_case_and_twins_are_told_apart(run_main: Run, db: str) -> None:
    first, second = json.loads(run_main(["--db", db, "campaigns", "list", "--json"]).out)[:2]
    writer = open_writer(Path(db))
    try:
        writer.conn.execute(
            "UPDATE campaigns SET name = 'Été à Zürich' WHERE id = ?", [first["id"]]
        )
        writer.conn.execute("UPDATE campaigns SET name = 'twin' WHERE id = ?", [second["id"]])
        writer.conn.execute(
            "UPDATE campaigns SET name = 'TWIN' WHERE id = (SELECT id FROM campaigns"
            " WHERE id NOT IN (?, ?) AND is_deleted = 0 LIMIT 1)",
            [first["id"], second["id"]],
        )
    finally:
        writer.close()
    shown = run_main(["--db", db, "campaigns", "show", "ÉTÉ À ZÜRICH", "--json"])
    assert shown.code == 0 and json.loads(shown.out)["id"] == first["id"]
    twins = run_main(["--db", db, "campaigns", "show", "Twin"])
    assert twins.code == 2
    assert "several campaigns are named 'Twin'" in twins.err and "use the id" in twins.err
    assert second["id"] in twins.err


def test_one_conversation_typed_twice_counts_once(run_main: Run, db: str) -> None:
    target = _list(run_main, db)[0]["id"]
    outcome = run_main(["--db", db, "inbox", "unread", target, target[:20], target])
    assert outcome.code == 0
    assert "1 conversation(s)" in outcome.out


def test_search_operators_return_exactly_the_matching_conversations(run_main: Run, db: str) -> None:
    everything = _list(run_main, db)
    wanted = [r for r in everything if r["label"] == "interested" and not r["is_read"]]
    assert wanted, "the seeded workspace has unread interested replies"
    domain = wanted[0]["from_email"].rpartition("@")[2]
    search = f"label:interested is:unread from:{domain}"
    expected = {
        r["id"]
        for r in wanted
        if domain.lower() in r["from_email"].lower() or domain.lower() in r["from_name"].lower()
    }
    found = _list(run_main, db, "--search", search)
    assert {r["id"] for r in found} == expected
    negated = _list(run_main, db, "--search", f"label:interested is:unread -from:{domain}")
    assert {r["id"] for r in negated} == {r["id"] for r in wanted} - expected
    unknown = run_main(["--db", db, "inbox", "list", "--search", "subject:renewal"])
    assert unknown.code == 2
    assert "unknown operator subject:" in unknown.err and "from:" in unknown.err
