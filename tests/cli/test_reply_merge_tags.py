"""`inbox reply`: the reply's merge tags are rendered for the conversation's lead before
it is queued; a tag with no value and no fallback is refused unless --allow-missing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from outreach_tui.store.connection import open_writer
from outreach_tui.store.ingest import upsert_conversations, upsert_inboxes
from outreach_tui.store.outbox import list_items
from tests.cli.conftest import Outcome
from tests.store.factories import conversation, inbox

Run = Callable[..., Outcome]


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A cache with one conversation from "Ann Smith" and no cached lead."""
    path = tmp_path / "cache.db"
    writer = open_writer(path)
    upsert_inboxes(writer, [inbox("inbox-1")])
    upsert_conversations(writer, [conversation("c1", sender_name="Ann Smith")], "primary")
    writer.close()
    return str(path)


def _queued(db: str) -> list[str]:
    writer = open_writer(db)
    try:
        return [item.value["content"] for item in list_items(writer)]
    finally:
        writer.close()


def test_tags_are_filled_from_the_sender_and_fallbacks(run_main: Run, db: str) -> None:
    body = "Hi {{first_name}}, thanks from {{company|our team}}. Use \\{{x}} literally."
    outcome = run_main(["--db", db, "inbox", "reply", "c1", "--body", body])
    assert outcome.code == 0, outcome.err
    assert _queued(db) == ["<p>Hi Ann, thanks from our team. Use {{x}} literally.</p>"]


def test_a_tag_without_value_is_refused_unless_allowed(run_main: Run, db: str) -> None:
    refused = run_main(
        ["--db", db, "inbox", "reply", "c1", "--body", "Hi {{title}} {{first_name}}"]
    )
    assert refused.code == 1
    assert "no value for title" in refused.err and "--allow-missing" in refused.err
    assert _queued(db) == []
    allowed = run_main(
        ["--db", db, "inbox", "reply", "c1", "--body", "Hi {{title}} Ann", "--allow-missing"]
    )
    assert allowed.code == 0
    assert _queued(db) == ["<p>Hi  Ann</p>"]


def test_an_unclosed_tag_is_refused_with_its_position(run_main: Run, db: str) -> None:
    outcome = run_main(["--db", db, "inbox", "reply", "c1", "--body", "Hi {{first_name"])
    assert outcome.code == 1
    assert "merge tag at character 4" in outcome.err and "\\{{" in outcome.err
    assert json.loads(run_main(["--db", db, "status", "--json"]).out)["outbox"]["pending"] == 0
