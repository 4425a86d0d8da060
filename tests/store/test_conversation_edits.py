"""Triage edits: optimistic effective state, pending survival, label bookkeeping, replies."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from outreach_tui.store import edits, outbox
from outreach_tui.store.ingest import upsert_conversations, upsert_inboxes
from outreach_tui.store.queries.conversations import get_conversation, thread
from outreach_tui.store.search import search_conversations
from tests.store.factories import conversation, inbox, message


@pytest.fixture
def inbox_db(db: Database) -> Database:
    upsert_inboxes(db, [inbox("inbox-1")])
    upsert_conversations(
        db, [conversation("c1", label="neutral", is_read=False), conversation("c2")], "primary"
    )
    return db


def _row(db: Database, cid: str = "c1"):
    row = get_conversation(db, cid)
    assert row is not None
    return row


def test_label_override_shows_at_once_with_marker_and_ai_label(inbox_db: Database) -> None:
    [item] = edits.set_label(inbox_db, "c1", "meeting_requested")
    row = _row(inbox_db)
    assert row.label == "meeting_requested"
    assert row.overridden and row.ai_label == "neutral"
    assert row.local_state == "pending"
    assert (item.field, item.value, item.base, item.state) == (
        "label_override",
        "meeting_requested",
        "neutral",
        "pending",
    )
    assert len(item.idempotency_key) == 36


def test_unknown_label_is_refused(inbox_db: Database) -> None:
    with pytest.raises(edits.EditError, match="unknown label"):
        edits.set_label(inbox_db, "c1", "spam")
    with pytest.raises(edits.EditError, match="no conversation"):
        edits.set_label(inbox_db, "missing", "interested")


def test_pending_edit_survives_reingest_of_older_server_data(inbox_db: Database) -> None:
    edits.set_label(inbox_db, "c1", "interested")
    edits.mark_read(inbox_db, "c1")
    stale = conversation("c1", label="not_interested", is_read=False)
    stale["messages"].append(message(text="another reply", date="2024-05-09T00:00:00Z"))
    upsert_conversations(inbox_db, [stale], "primary")
    row = _row(inbox_db)
    assert row.label == "interested" and row.is_read is True
    assert row.local_state == "pending"
    # The server columns did move; the AI label stays the one seen before the override.
    server = inbox_db.conn.execute(
        "SELECT server_label, server_is_read, ai_label FROM conversations WHERE id = 'c1'"
    ).fetchone()
    assert server == ("not_interested", 0, "neutral")
    assert row.message_count == 3


def test_repeated_edits_coalesce_keeping_the_original_base(inbox_db: Database) -> None:
    [first] = edits.set_label(inbox_db, "c1", "interested")
    [second] = edits.set_label(inbox_db, "c1", "referral")
    assert second.id == first.id
    assert (second.value, second.base) == ("referral", "neutral")
    assert len(outbox.list_items(inbox_db)) == 1


def test_editing_back_to_the_start_withdraws_the_item(inbox_db: Database) -> None:
    edits.set_label(inbox_db, "c1", "interested")
    assert edits.revert_label(inbox_db, "c1") == []
    edits.mark_read(inbox_db, "c1")
    assert edits.mark_unread(inbox_db, "c1") == []
    assert outbox.list_items(inbox_db) == []
    row = _row(inbox_db)
    assert (row.label, row.is_read, row.local_state, row.overridden) == (
        "neutral",
        False,
        None,
        False,
    )


def test_marking_an_already_read_conversation_read_queues_nothing(inbox_db: Database) -> None:
    assert edits.mark_read(inbox_db, "c2") == []


def test_label_push_then_revert_uses_the_servers_answers(inbox_db: Database) -> None:
    edits.set_label(inbox_db, "c1", "interested")
    [claimed] = outbox.claim_next(inbox_db)
    outbox.mark_done(inbox_db, claimed.id, conversation("c1", label="interested", is_read=False))
    row = _row(inbox_db)
    assert (row.label, row.ai_label, row.overridden, row.local_state) == (
        "interested",
        "neutral",
        True,
        None,
    )
    # A later pull reporting the override must not turn it into the AI label.
    upsert_conversations(inbox_db, [conversation("c1", label="interested", day=2)], "primary")
    assert _row(inbox_db).ai_label == "neutral"

    [revert] = edits.revert_label(inbox_db, "c1")
    assert _row(inbox_db).label == "neutral"  # optimistic: the AI label the client knows
    outbox.claim_next(inbox_db)
    # The server's AI label changed meanwhile: its answer is the truth.
    outbox.mark_done(inbox_db, revert.id, conversation("c1", label="question", day=3))
    row = _row(inbox_db)
    assert (row.label, row.ai_label, row.overridden) == ("question", "question", False)


def test_revert_of_a_pushed_label_queues_the_previous_state(inbox_db: Database) -> None:
    [item] = edits.set_label(inbox_db, "c1", "interested")
    outbox.claim_next(inbox_db)
    outbox.mark_done(inbox_db, item.id)
    [undo] = outbox.revert(inbox_db, item.id)
    assert (undo.field, undo.value, undo.base) == ("label_override", None, "interested")
    assert _row(inbox_db).label == "neutral"


def test_edit_while_in_flight_adds_an_item_based_on_the_in_flight_value(
    inbox_db: Database,
) -> None:
    edits.set_label(inbox_db, "c1", "interested")
    [flying] = outbox.claim_next(inbox_db)
    [follow] = edits.set_label(inbox_db, "c1", "referral")
    assert follow.id != flying.id
    assert follow.base == "interested"
    assert _row(inbox_db).label == "referral"
    # The follow-up waits until the in-flight one is settled.
    assert outbox.claim_next(inbox_db) == []
    outbox.mark_done(inbox_db, flying.id)
    assert _row(inbox_db).label == "referral"  # still pending on top
    assert [i.id for i in outbox.claim_next(inbox_db)] == [follow.id]


def test_failed_push_keeps_the_local_edit_visible(inbox_db: Database) -> None:
    edits.mark_read(inbox_db, "c1")
    [item] = outbox.claim_next(inbox_db)
    failed = outbox.mark_failed(inbox_db, item.id, "422:\n  is_read is\tinvalid")
    assert failed.state == "failed" and failed.last_error == "422: is_read is invalid"
    row = _row(inbox_db)
    assert row.is_read is True and row.local_state == "failed"
    outbox.discard(inbox_db, item.id)
    row = _row(inbox_db)
    assert row.is_read is False and row.local_state is None


def test_queued_reply_is_shown_at_the_end_of_the_thread(inbox_db: Database) -> None:
    item = edits.queue_reply(inbox_db, "c1", "<p>Sure &amp; thanks</p>")
    conv = thread(inbox_db, "c1")
    assert conv is not None
    last = conv.messages[-1]
    assert last.queued and last.outbox_state == "pending"
    assert (last.direction, last.text_body, last.from_email) == (
        "outgoing",
        "Sure & thanks",
        "me@sender.test",
    )
    assert last.to_recipients[0]["email"] == "lead@acme.test"
    assert conv.conversation.snippet == "Sure & thanks"
    assert conv.conversation.local_state == "pending"
    # A pull while the reply is queued keeps it, still last.
    newer = conversation("c1", label="neutral", is_read=False)
    newer["messages"].append(message(text="ping", date="2024-05-03T00:00:00Z"))
    upsert_conversations(inbox_db, [newer], "primary")
    conv = thread(inbox_db, "c1")
    assert conv is not None
    assert [m.text_body for m in conv.messages][-2:] == ["ping", "Sure & thanks"]
    assert item.value == {"content": "<p>Sure &amp; thanks</p>"}


def test_reply_done_becomes_a_server_message_exactly_once(inbox_db: Database) -> None:
    item = edits.queue_reply(inbox_db, "c1", "<p>Sure</p>")
    outbox.claim_next(inbox_db)
    answer = message("outgoing", text="Sure", from_email="me@sender.test")
    outbox.mark_done(inbox_db, item.id, answer)
    conv = thread(inbox_db, "c1")
    assert conv is not None
    assert [m.text_body for m in conv.messages].count("Sure") == 1
    assert not any(m.queued for m in conv.messages)
    assert conv.conversation.local_state is None


def test_withdrawn_reply_disappears(inbox_db: Database) -> None:
    item = edits.queue_reply(inbox_db, "c1", "oops")
    outbox.withdraw(inbox_db, item.id)
    conv = thread(inbox_db, "c1")
    assert conv is not None
    assert len(conv.messages) == 2
    assert conv.conversation.snippet == "Sounds interesting, tell me more"
    assert search_conversations(inbox_db, "oops") == []


def test_empty_reply_is_refused(inbox_db: Database) -> None:
    with pytest.raises(edits.EditError):
        edits.queue_reply(inbox_db, "c1", "  ")


def test_composed_conversation_is_a_placeholder_until_created(inbox_db: Database) -> None:
    item = edits.compose_conversation(
        inbox_db,
        to=[{"email": "new@prospect.test", "name": "Nora"}],
        subject="Intro",
        content="<p>Hello Nora</p>",
        inbox_id="inbox-1",
    )
    placeholder = item.resource_id
    row = _row(inbox_db, placeholder)
    assert row.is_local and row.local_state == "pending"
    assert (row.sender_email, row.subject) == ("new@prospect.test", "Intro")
    assert search_conversations(inbox_db, "nora") == [placeholder]
    # A reply queued to the placeholder waits for the create.
    reply = edits.queue_reply(inbox_db, placeholder, "<p>PS</p>")
    claimed = outbox.claim_next(inbox_db, limit=5)
    assert [c.id for c in claimed] == [item.id]
    created = conversation("srv-9", label=None, sender="new@prospect.test")
    outbox.mark_done(inbox_db, item.id, created)
    assert get_conversation(inbox_db, placeholder) is None
    row = _row(inbox_db, "srv-9")
    assert not row.is_local and row.local_state == "pending"  # the reply still queued
    assert outbox.get_item(inbox_db, reply.id).resource_id == "srv-9"
    assert [c.id for c in outbox.claim_next(inbox_db)] == [reply.id]
    conv = thread(inbox_db, "srv-9")
    assert conv is not None and conv.messages[-1].queued


def test_withdrawn_compose_removes_the_placeholder_and_its_replies(inbox_db: Database) -> None:
    item = edits.compose_conversation(
        inbox_db, to=[{"email": "x@y.test"}], subject="Hi", content="Hello"
    )
    edits.queue_reply(inbox_db, item.resource_id, "more")
    outbox.withdraw(inbox_db, item.id)
    assert get_conversation(inbox_db, item.resource_id) is None
    assert outbox.list_items(inbox_db) == []
    assert search_conversations(inbox_db, "hello") == []


def test_compose_needs_valid_recipients(inbox_db: Database) -> None:
    with pytest.raises(edits.EditError):
        edits.compose_conversation(inbox_db, to=[{"email": "nope"}], subject="s", content="c")
    with pytest.raises(edits.EditError):
        edits.compose_conversation(inbox_db, to=[], subject="s", content="c")
