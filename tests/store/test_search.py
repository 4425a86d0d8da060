"""FTS: safe queries from arbitrary text, prefix match, people, ranking, index upkeep."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from outreach_tui.core.search_syntax import SearchSyntaxError
from outreach_tui.store.ingest import upsert_conversations
from outreach_tui.store.queries.conversations import conversation_window
from outreach_tui.store.records import ConversationFilter
from outreach_tui.store.search import fts_query, search_conversations
from tests.store.factories import conversation


@pytest.fixture
def searchable(db: Database) -> Database:
    upsert_conversations(
        db,
        [
            conversation("c1", text="Our budget is tight this quarter", day=1),
            conversation(
                "c2",
                text="Let's book a meeting about the budget",
                sender="zoe@globex.test",
                sender_name="Zoë Quinn",
                day=2,
            ),
            conversation("c3", subject="Renewal pricing", text="see attached", day=3),
        ],
        "primary",
    )
    return db


HOSTILE = [
    '"',
    '""',
    "AND(",
    "*",
    "-",
    "NOT",
    "OR OR",
    "budget AND(",
    'budget" OR "x',
    "^meeting",
    "NEAR(budget meeting, 2)",
    "subject:renewal",
    "{body} : x",
    "a*b*c",
    "'; DROP TABLE conversations; --",
    "\x00\x1b[31m",
    "(((((",
    "💥",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_raises(searchable: Database, text: str) -> None:
    search_conversations(searchable, text)
    search_conversations(searchable, text, order="rank")
    try:
        conversation_window(searchable, ConversationFilter(search=text))
    except SearchSyntaxError as error:
        # The inbox's search language: an operator it does not know is said, in words.
        assert text.startswith("subject:") and "unknown operator subject:" in str(error)
    assert searchable.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 3


def test_query_builder_quotes_every_word_and_prefixes_the_last() -> None:
    assert fts_query('budget "tight') == '"budget" """tight" *'
    assert fts_query("  ") is None
    assert fts_query("* - (") is None
    assert fts_query("ab") == '"ab"'  # too short for a prefix: matched whole


def test_words_are_anded_and_the_last_is_a_prefix(searchable: Database) -> None:
    assert search_conversations(searchable, "budget") == ["c2", "c1"]  # newest first
    assert search_conversations(searchable, "budget meet") == ["c2"]
    assert search_conversations(searchable, "budg") == ["c2", "c1"]
    assert search_conversations(searchable, "AND") == []  # a word, not an operator
    assert search_conversations(searchable, "bu") == []  # 2 letters: whole words only


def test_subject_sender_name_and_email_are_searchable(searchable: Database) -> None:
    assert search_conversations(searchable, "renewal") == ["c3"]
    assert search_conversations(searchable, "zoe") == ["c2"]  # diacritics folded
    assert search_conversations(searchable, "zoe@globex.test") == ["c2"]
    assert search_conversations(searchable, "globex") == ["c2"]


def test_rank_order_prefers_better_matches(searchable: Database) -> None:
    upsert_conversations(
        searchable,
        [conversation("c4", subject="budget budget budget", text="budget budget", day=0)],
        "primary",
    )
    assert search_conversations(searchable, "budget", order="rank")[0] == "c4"


def test_index_follows_changes(searchable: Database) -> None:
    # A new reply (emails themselves never change: a change comes with new dates).
    upsert_conversations(searchable, [conversation("c1", text="nothing left", day=5)], "primary")
    assert search_conversations(searchable, "tight") == []
    assert search_conversations(searchable, "nothing") == ["c1"]
    count = searchable.conn.execute("SELECT COUNT(*) FROM conversation_fts").fetchone()[0]
    assert count == 3
