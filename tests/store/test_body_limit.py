"""One rule for reply and compose bodies: UTF-8 text of at most 1,000,000 bytes.

The store enforces it, so every caller (CLI, TUI, anything later) gets the same answer;
a refused body queues nothing and leaves the thread as it was.
"""

from __future__ import annotations

import re

import pytest
from sqlite_utils import Database

from outreach_tui.core.plain_html import text_to_html
from outreach_tui.store import edits
from outreach_tui.store.edits.body import (
    MAX_BODY_BYTES,
    BodyRejected,
    check_body,
    decode_body,
)
from outreach_tui.store.ingest import upsert_conversations, upsert_inboxes
from outreach_tui.store.queries.conversations import thread
from tests.store.factories import conversation, inbox

OVER = "a" * (MAX_BODY_BYTES + 1)


@pytest.fixture
def inbox_db(db: Database) -> Database:
    upsert_inboxes(db, [inbox("inbox-1")])
    upsert_conversations(db, [conversation("c1")], "primary")
    return db


def _queued(db: Database) -> int:
    return int(db.conn.execute("SELECT count(*) FROM outbox").fetchone()[0])


def _messages(db: Database, cid: str = "c1") -> int:
    found = thread(db, cid)
    assert found is not None
    return len(found.messages)


def test_a_reply_at_the_limit_is_queued(inbox_db: Database) -> None:
    text = "é" * (MAX_BODY_BYTES // 2)  # 2 bytes each: exactly the limit
    edits.queue_reply(inbox_db, "c1", text_to_html(text))
    assert _queued(inbox_db) == 1


def test_a_reply_over_the_limit_is_refused_with_its_size_and_queues_nothing(
    inbox_db: Database,
) -> None:
    before = _messages(inbox_db)
    with pytest.raises(BodyRejected) as raised:
        edits.queue_reply(inbox_db, "c1", text_to_html(OVER))
    assert str(raised.value) == "the reply is 1,000,001 bytes; the limit is 1,000,000 bytes"
    assert isinstance(raised.value, edits.EditError)  # callers already handle EditError
    assert _queued(inbox_db) == 0 and _messages(inbox_db) == before


def test_the_size_is_the_text_written_not_its_html(inbox_db: Database) -> None:
    # "&" becomes "&amp;" in the HTML: the user's 1,000,000 bytes must still fit.
    edits.queue_reply(inbox_db, "c1", text_to_html("&" * MAX_BODY_BYTES))
    assert _queued(inbox_db) == 1


def test_a_new_email_over_the_limit_is_refused_and_creates_no_thread(
    inbox_db: Database,
) -> None:
    conversations = inbox_db.conn.execute("SELECT count(*) FROM conversations").fetchone()[0]
    with pytest.raises(BodyRejected, match="the message is 1,000,001 bytes; the limit is"):
        edits.compose_conversation(
            inbox_db, to=[{"email": "a@b.test"}], subject="s", content=text_to_html(OVER)
        )
    assert _queued(inbox_db) == 0
    assert inbox_db.conn.execute("SELECT count(*) FROM conversations").fetchone()[0] == (
        conversations
    )


def test_undecodable_text_is_refused_naming_the_byte(inbox_db: Database) -> None:
    # "ab\udcffcd" is how Python hands over the argv bytes b"ab\xffcd" (surrogateescape).
    with pytest.raises(BodyRejected) as raised:
        edits.queue_reply(inbox_db, "c1", text_to_html("ab\udcffcd"))
    assert str(raised.value) == "the reply is not UTF-8 text (byte 0xff at position 2)"
    assert _queued(inbox_db) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ok ✓", None),
        ("a" * MAX_BODY_BYTES, None),
        ("✓" * (MAX_BODY_BYTES // 3 + 1), "the reply is 1,000,002 bytes"),
        ("é\udc80", "not UTF-8 text (byte 0x80 at position 2)"),
        ("x\ud800", "not UTF-8 text (lone surrogate U+D800 at position 1)"),
    ],
)
def test_check_body(text: str, message: str | None) -> None:
    if message is None:
        check_body(text)
        return
    with pytest.raises(BodyRejected, match=re.escape(message)):
        check_body(text)


def test_decode_body_says_the_same_for_bytes_as_check_body_for_text() -> None:
    raw = b"ab\xffcd"
    with pytest.raises(BodyRejected) as from_bytes:
        decode_body(raw)
    with pytest.raises(BodyRejected) as from_text:
        check_body(raw.decode("utf-8", "surrogateescape"))
    assert str(from_bytes.value) == str(from_text.value)
    assert decode_body("ok ✓".encode()) == "ok ✓"


def test_decode_body_reports_the_full_size_when_known_else_more_than() -> None:
    prefix = b"a" * (MAX_BODY_BYTES + 1)  # what a bounded read of a bigger input gives
    with pytest.raises(BodyRejected, match="is 1,234,567 bytes; the limit is 1,000,000 bytes"):
        decode_body(prefix, size=1_234_567)
    with pytest.raises(BodyRejected, match="is more than 1,000,000 bytes; the limit is"):
        decode_body(prefix)
