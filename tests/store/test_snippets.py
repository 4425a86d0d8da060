"""Snippets in the cache: names unique ignoring case, validation, edits, a lead's variables."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from outreach_tui.store import outbox
from outreach_tui.store.edits.body import MAX_BODY_BYTES, BodyRejected
from outreach_tui.store.edits.common import EditError
from outreach_tui.store.edits.snippets import (
    SnippetExists,
    SnippetNotFound,
    delete_snippet,
    save_snippet,
)
from outreach_tui.store.ingest import upsert_campaigns, upsert_conversations, upsert_inboxes
from outreach_tui.store.ingest.leads import upsert_leads
from outreach_tui.store.queries.leads import conversation_variables, recipient_variables
from outreach_tui.store.queries.snippets import get_snippet, list_snippets
from tests.store.factories import campaign, conversation, inbox, lead


def test_a_saved_snippet_is_listed_and_found_ignoring_case(db: Database) -> None:
    save_snippet(db, "  Pricing ", "Hi {{first_name|there}}")
    save_snippet(db, "after call", "Thanks")
    assert [s.name for s in list_snippets(db)] == ["after call", "Pricing"]
    found = get_snippet(db, "PRICING")
    assert found is not None and found.body == "Hi {{first_name|there}}"
    assert found.to_json() == {
        "name": "Pricing",
        "body": "Hi {{first_name|there}}",
        "updated_at": found.updated_at,
    }


def test_snippets_queue_nothing_in_the_outbox(db: Database) -> None:
    save_snippet(db, "a", "b")
    delete_snippet(db, "a")
    assert outbox.list_items(db) == []


def test_a_second_snippet_of_the_same_name_in_another_case_is_refused(db: Database) -> None:
    save_snippet(db, "Été", "one")
    with pytest.raises(SnippetExists):
        save_snippet(db, "éTÉ", "two")
    saved = save_snippet(db, "éTÉ", "two", overwrite=True)
    assert [s.body for s in list_snippets(db)] == ["two"]
    assert saved.name == "éTÉ"


def test_editing_renames_keeps_created_at_and_refuses_taken_names(db: Database) -> None:
    first = save_snippet(db, "one", "1")
    save_snippet(db, "two", "2")
    renamed = save_snippet(db, "uno", "1!", replace="one")
    assert renamed.created_at == first.created_at
    assert [s.name for s in list_snippets(db)] == ["two", "uno"]
    with pytest.raises(SnippetExists):
        save_snippet(db, "two", "x", replace="uno")
    save_snippet(db, "UNO", "case only", replace="uno")  # its own name in another case
    assert [s.name for s in list_snippets(db)] == ["two", "UNO"]
    with pytest.raises(SnippetNotFound):
        save_snippet(db, "x", "y", replace="missing")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("a" * 81, "at most 80"),
        ("a\x1bb", "printable"),
    ],
)
def test_invalid_names_are_refused(db: Database, name: str, words: str) -> None:
    with pytest.raises(EditError, match=words):
        save_snippet(db, name, "body")
    assert list_snippets(db) == []


def test_a_body_over_the_reply_limit_is_refused(db: Database) -> None:
    save_snippet(db, "max", "x" * MAX_BODY_BYTES)
    with pytest.raises(BodyRejected, match="snippet"):
        save_snippet(db, "big", "x" * (MAX_BODY_BYTES + 1))


def test_deleting_a_missing_snippet_says_so(db: Database) -> None:
    save_snippet(db, "Keep", "k")
    with pytest.raises(SnippetNotFound):
        delete_snippet(db, "gone")
    assert delete_snippet(db, "keep").name == "Keep"
    assert list_snippets(db) == []


def test_a_conversation_reads_its_cached_lead_and_custom_variables(db: Database) -> None:
    upsert_inboxes(db, [inbox("inbox-1")])
    upsert_campaigns(db, [campaign("camp-1")])
    upsert_leads(db, "camp-1", [lead("lead-1")])
    upsert_conversations(
        db,
        [conversation("c1", lead_id="lead-1"), conversation("c2", sender_name="Ann Smith")],
        "primary",
    )
    with_lead = conversation_variables(db, "c1")
    assert (with_lead["first_name"], with_lead["company"]) == ("Lee", "Acme")
    # No cached lead: the sender's display name is what is known.
    without = conversation_variables(db, "c2")
    assert (without["first_name"], without["last_name"]) == ("Ann", "Smith")
    assert "company" not in without
    assert recipient_variables(db, "lead-1@acme.test")["company"] == "Acme"
    assert recipient_variables(db, "x@y.test", "x@y.test")["first_name"] == ""


def test_a_senders_display_name_reaches_a_draft_without_escape_sequences(db: Database) -> None:
    upsert_inboxes(db, [inbox("inbox-1")])
    upsert_conversations(
        db, [conversation("c1", sender_name="\x1b[1mBill\x1b[0m \u202eSmith")], "primary"
    )
    found = conversation_variables(db, "c1")
    assert (found["first_name"], found["last_name"]) == ("Bill", "Smith")


def test_a_snippet_with_an_invalid_merge_tag_is_refused(db: Database) -> None:
    with pytest.raises(EditError, match="merge tag at character 4"):
        save_snippet(db, "bad", "Hi {{first_name")
    assert list_snippets(db) == []
