"""Search by a walk of the recency-keyed full-text index (issue 16).

The walk (`search.newest_matches`, and the windows, offsets, counts and positions built
on it) must give exactly what the old plan gives: every match sorted by (last_activity,
id), newest first. The old plan is kept here as the reference (`_reference`). The keys
must follow the rows through every write that moves `last_activity` or removes a row.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from outreach_tui.store import edits, outbox
from outreach_tui.store.connection import open_writer
from outreach_tui.store.ingest import upsert_conversations
from outreach_tui.store.ingest.reconcile import remove_missing
from outreach_tui.store.queries.conversations import (
    conversation_position,
    conversation_window,
    conversations_at,
    count_conversations,
)
from outreach_tui.store.records import ConversationCursor, ConversationFilter
from outreach_tui.store.schema import SLOW_STEPS, migrate
from outreach_tui.store.search import SEARCH_KEY_SQL, SEQ_SPAN, fts_query, search_conversations
from tests.store.factories import conversation, message

# The version just before the step that keys the documents by recency.
_BEFORE_RECENCY = min(SLOW_STEPS)

WORDS = ("pricing", "meeting", "budget", "renewal", "prime", "primer", "zebra")


def _stamp(rng: random.Random) -> str:
    # Few distinct seconds, and sub-second times inside them: the walk's order (by the
    # second) and the exact order (by the full time, then id) differ inside a second.
    second = rng.randrange(6)
    fraction = rng.choice(("", ".250", ".5", ".999999"))
    return f"2024-05-0{1 + second % 3}T10:00:0{second}{fraction}Z"


def _thread(i: int, rng: random.Random) -> dict[str, object]:
    words = " ".join(rng.choices(WORDS, k=3))
    item = conversation(
        f"conv-{rng.randrange(10_000):05d}-{i}",
        label=rng.choice(("interested", "question", None)),
        is_read=rng.random() < 0.5,
        text=words,
    )
    when = _stamp(rng)
    item["messages"][1]["email_date"] = when  # type: ignore[index]
    item["updated_at"] = when
    return item


@pytest.fixture(scope="module")
def walk_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    rng = random.Random(16)
    db = open_writer(tmp_path_factory.mktemp("walk") / "cache.db")
    items = [_thread(i, rng) for i in range(300)]
    for start in range(0, 300, 50):
        upsert_conversations(db, items[start : start + 50], rng.choice(("primary", "others")))
    return db


def _reference(db: Database, flt: ConversationFilter) -> list[str]:
    """The old plan: the whole match set, sorted."""
    query = fts_query(flt.search or "")
    parts, params = ["1"], []
    if flt.folder:
        parts.append("c.folder = ?")
        params.append(flt.folder)
    if flt.label:
        parts.append("c.label = ?")
        params.append(flt.label)
    if flt.unread:
        parts.append("c.is_read = 0")
    sql = (
        f"SELECT c.id FROM conversations c WHERE {' AND '.join(parts)} AND c.seq IN"
        f" (SELECT rowid % {SEQ_SPAN} FROM conversation_fts WHERE conversation_fts MATCH ?)"
        " ORDER BY c.last_activity DESC, c.id DESC"
    )
    return [r[0] for r in db.conn.execute(sql, [*params, query])]


def _assert_keys_follow_rows(db: Database) -> None:
    """One document per conversation, keyed by the row's current search key, and the
    index in step with the text (FTS5's own check, against the content table too)."""
    docs = sorted(r[0] for r in db.conn.execute("SELECT key FROM conversation_search"))
    keys = sorted(r[0] for r in db.conn.execute(f"SELECT {SEARCH_KEY_SQL} FROM conversations c"))
    assert docs == keys
    db.conn.execute(
        "INSERT INTO conversation_fts (conversation_fts, rank) VALUES ('integrity-check', 1)"
    )


FILTERS = st.builds(
    ConversationFilter,
    folder=st.sampled_from((None, "primary", "others")),
    label=st.sampled_from((None, "interested", "question")),
    unread=st.booleans(),
    search=st.sampled_from((*WORDS, "pri", "budget pri", "zebra meeting", "nothing")),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(flt=FILTERS, limit=st.integers(1, 40), start=st.integers(0, 120))
def test_walk_windows_equal_the_sorted_match_set(
    walk_db: Database, flt: ConversationFilter, limit: int, start: int
) -> None:
    expected = _reference(walk_db, flt)
    assert count_conversations(walk_db, flt) == len(expected)
    assert [r.id for r in conversation_window(walk_db, flt, limit=limit)] == expected[:limit]
    at = conversations_at(walk_db, flt, offset=start, limit=limit)
    assert [r.id for r in at] == expected[start : start + limit]
    if start < len(expected):
        row = next(r for r in conversation_window(walk_db, flt, limit=start + 1)[-1:])
        cursor = ConversationCursor(row.last_activity, row.id)
        after = conversation_window(walk_db, flt, after=cursor, limit=limit)
        assert [r.id for r in after] == expected[start + 1 : start + 1 + limit]
        before = conversation_window(walk_db, flt, before=cursor, limit=limit)
        assert [r.id for r in before] == expected[max(start - limit, 0) : start]
        assert conversation_position(walk_db, row.id, flt) == start


def test_a_second_shared_by_more_rows_than_the_slack_is_read_whole(db: Database) -> None:
    # 60 conversations in one second: the first page's last second runs past the rows
    # read ahead, so the walk reads that whole second and sorts it.
    items = [conversation(f"c{i:03d}", text="pricing") for i in range(60)]
    for i, item in enumerate(items):
        item["messages"][1]["email_date"] = f"2024-05-01T10:00:00.{i * 7919 % 1000:03d}Z"
    upsert_conversations(db, items, "primary")
    expected = _reference(db, ConversationFilter(search="pricing"))
    assert search_conversations(db, "pricing", limit=20) == expected[:20]
    flt = ConversationFilter(search="pricing")
    assert [r.id for r in conversations_at(db, flt, offset=25, limit=10)] == expected[25:35]


def test_keys_follow_replies_pulls_renames_and_deletions(db: Database) -> None:
    upsert_conversations(
        db, [conversation("c1", day=1, text="budget"), conversation("c2", day=2)], "primary"
    )
    _assert_keys_follow_rows(db)
    reply = edits.queue_reply(db, "c1", "<p>zebra pricing</p>")  # moves last_activity
    _assert_keys_follow_rows(db)
    assert search_conversations(db, "zebra") == ["c1"]
    newer = conversation("c1", day=1, text="budget")
    newer["messages"].append(message(text="ping", date="2024-06-03T00:00:00Z"))
    upsert_conversations(db, [newer], "primary")  # a pull while the reply is queued
    _assert_keys_follow_rows(db)
    assert search_conversations(db, "ping") == ["c1"]
    outbox.withdraw(db, reply.id)
    _assert_keys_follow_rows(db)
    assert search_conversations(db, "zebra") == []
    composed = edits.compose_conversation(
        db, to=[{"email": "nora@prospect.test", "name": "Nora"}], subject="Intro", content="Hi"
    )
    _assert_keys_follow_rows(db)
    outbox.claim_next(db)
    outbox.mark_done(db, composed.id, conversation("srv-9", day=9, sender="nora@prospect.test"))
    _assert_keys_follow_rows(db)
    assert search_conversations(db, "nora") == ["srv-9"]
    assert remove_missing(db, "conversation", ["c1", "srv-9"]) == ["c2"]
    _assert_keys_follow_rows(db)
    assert search_conversations(db, "lead") == ["c1", "srv-9"]  # c1 has the June ping


def test_migration_keys_existing_documents_by_recency(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    old = Database(conn, execute_plugins=False)
    migrate(old, target=_BEFORE_RECENCY)
    old.close()
    # Write the rows with the previous step's FTS layout (rowid = seq), as an old cache has.
    conn = sqlite3.connect(path, isolation_level=None)
    for seq, (cid, day, text) in enumerate(
        [("a", 3, "pricing zebra"), ("b", 1, "pricing"), ("c", 2, "budget")], start=1
    ):
        conn.execute(
            "INSERT INTO conversations (seq, id, subject, last_activity) VALUES (?, ?, 'Hi', ?)",
            [seq, cid, f"2024-05-0{day}T10:00:00.000000Z"],
        )
        conn.execute(
            "INSERT INTO conversation_fts (rowid, subject, body, people) VALUES (?, 'Hi', ?, '')",
            [seq, text],
        )
    conn.close()
    db = open_writer(path)
    _assert_keys_follow_rows(db)
    assert search_conversations(db, "pricing") == ["a", "b"]
    assert search_conversations(db, "pri") == ["a", "b"]
    assert search_conversations(db, "budget") == ["c"]
    db.close()


def test_the_slow_search_step_is_announced_with_its_progress_on_a_big_cache_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import outreach_tui.store.schema as schema

    for name, rows, announced in (("small.db", 2, False), ("big.db", 3, True)):
        conn = sqlite3.connect(tmp_path / name, isolation_level=None)
        db = Database(conn, execute_plugins=False)
        migrate(db, target=_BEFORE_RECENCY)
        for seq in range(1, rows + 1):
            conn.execute(
                "INSERT INTO conversations (seq, id, subject, last_activity)"
                " VALUES (?, ?, 'Hi', '2024-05-01T10:00:00Z')",
                [seq, f"c{seq}"],
            )
            conn.execute(
                "INSERT INTO conversation_fts (rowid, subject, body, people)"
                " VALUES (?, 'Hi', 'pricing', '')",
                [seq],
            )
        monkeypatch.setattr(schema, "ANNOUNCE_FROM_CONVERSATIONS", 3)
        caplog.clear()
        with caplog.at_level("WARNING", logger="outreach_tui.store"):
            migrate(db)
        said = [r.getMessage() for r in caplog.records if r.name == "outreach_tui.store"]
        assert bool(said) is announced, said
        if announced:
            assert "rebuilding the search index of 3 conversations" in said[0]
            # Each of the 3 documents copied, then indexed: 6 rows, a line per tenth passed.
            assert said[1:] == [
                f"Upgrading the cache to schema {_BEFORE_RECENCY + 1}: {text}"
                for text in (*(f"{tenth}0% done" for tenth in (1, 3, 5, 6, 8, 9)), "done")
            ]
        db.close()
