"""Ingest of conversations: derived columns, idempotence, change detection, leniency."""

from __future__ import annotations

import copy

from sqlite_utils import Database

from outreach_tui.store.ingest import upsert_campaigns, upsert_conversations, upsert_leads
from outreach_tui.store.queries.conversations import get_conversation, thread
from outreach_tui.store.search import search_conversations
from tests.store.factories import campaign, conversation, lead, message


def test_list_columns_are_derived_from_the_messages(db: Database) -> None:
    upsert_conversations(db, [conversation("c1", is_read=False, day=7)], "primary")
    row = get_conversation(db, "c1")
    assert row is not None
    assert row.folder == "primary"
    assert row.subject == "Quick question"
    assert row.sender_email == "lead@acme.test"
    assert row.sender_name == "Lee Lead"  # from the outgoing message's recipients
    assert row.snippet == "Sounds interesting, tell me more"
    assert row.last_activity == "2024-05-07T10:00:00.000000Z"
    assert row.inbox_id == "inbox-1"
    assert row.message_count == 2
    assert row.is_read is False
    assert row.label == row.ai_label == "interested"
    assert not row.overridden
    assert row.local_state is None


def test_second_ingest_of_the_same_page_changes_nothing(db: Database) -> None:
    page = [conversation(f"c{i}", day=i) for i in range(1, 6)]
    first = upsert_conversations(db, page, "primary")
    assert sorted(first.new_ids) == [f"c{i}" for i in range(1, 6)]
    changes_before = db.conn.total_changes
    again = upsert_conversations(db, copy.deepcopy(page), "primary")
    assert again.all_unchanged
    assert again.unchanged == 5
    assert db.conn.total_changes == changes_before  # nothing rewritten
    assert db.conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 10


def test_a_changed_conversation_is_rewritten(db: Database) -> None:
    upsert_conversations(db, [conversation("c1"), conversation("c2")], "primary")
    changed = conversation("c2")
    changed["messages"].append(message(text="Can we talk Friday?", date="2024-06-01T08:00:00Z"))
    result = upsert_conversations(db, [conversation("c1"), changed], "primary")
    assert result.changed_ids == ("c2",)
    assert result.unchanged == 1
    conv = thread(db, "c2")
    assert conv is not None
    assert [m.text_body for m in conv.messages][-1] == "Can we talk Friday?"
    assert conv.conversation.last_activity.startswith("2024-06-01")
    assert search_conversations(db, "friday") == ["c2"]


def test_a_new_read_state_or_label_is_a_change(db: Database) -> None:
    upsert_conversations(db, [conversation("c1", is_read=False)], "primary")
    assert upsert_conversations(db, [conversation("c1", is_read=True)], "primary").changed_ids
    assert upsert_conversations(db, [conversation("c1", label=None)], "primary").changed_ids
    row = get_conversation(db, "c1")
    assert row is not None and row.is_read and row.label is None


def test_moving_to_another_folder_counts_as_a_change(db: Database) -> None:
    upsert_conversations(db, [conversation("c1")], "primary")
    result = upsert_conversations(db, [conversation("c1")], "others")
    assert result.changed_ids == ("c1",)
    row = get_conversation(db, "c1")
    assert row is not None and row.folder == "others"


def test_answer_without_folder_keeps_the_folder(db: Database) -> None:
    upsert_conversations(db, [conversation("c1")], "others")
    upsert_conversations(db, [conversation("c1", label="neutral")], None)
    row = get_conversation(db, "c1")
    assert row is not None and row.folder == "others" and row.label == "neutral"


def test_malformed_items_are_skipped_and_counted(db: Database) -> None:
    result = upsert_conversations(
        db,
        [{"label": "x"}, {"id": 5}, "junk", conversation("ok")],
        "primary",  # type: ignore[list-item]
    )
    assert result.skipped == 3
    assert result.new_ids == ("ok",)


def test_missing_optional_fields_and_unknown_labels_are_accepted(db: Database) -> None:
    upsert_conversations(
        db,
        [
            {"id": "bare"},
            {"id": "odd", "label": "brand_new_label", "messages": [{"direction": "sideways"}]},
        ],
        "primary",
    )
    bare = get_conversation(db, "bare")
    odd = thread(db, "odd")
    assert bare is not None and bare.message_count == 0 and bare.label is None
    assert odd is not None and odd.conversation.label == "brand_new_label"
    assert odd.messages[0].direction == "incoming"


def test_a_page_repeating_an_id_keeps_the_last_copy(db: Database) -> None:
    result = upsert_conversations(
        db, [conversation("c1", label="neutral"), conversation("c1", label="referral")], "primary"
    )
    assert result.new_ids == ("c1",)
    row = get_conversation(db, "c1")
    assert row is not None and row.label == "referral"


def test_attachments_are_stored_with_their_message(db: Database) -> None:
    item = conversation("c1")
    item["messages"][1]["attachments"] = [
        {"id": "att-1", "filename": "deck.pdf", "content_type": "application/pdf", "size": 1200},
        {"filename": "no-id.txt"},
    ]
    upsert_conversations(db, [item], "primary")
    conv = thread(db, "c1")
    assert conv is not None
    assert [a.filename for a in conv.messages[1].attachments] == ["deck.pdf"]
    item["messages"][1]["attachments"] = []
    upsert_conversations(db, [item], "primary")
    assert db.conn.execute("SELECT COUNT(*) FROM attachments").fetchone()[0] == 0


def test_a_thread_with_only_outgoing_mail_shows_its_recipient(db: Database) -> None:
    item = conversation("c1")
    item["messages"] = item["messages"][:1]
    upsert_conversations(db, [item], "primary")
    row = get_conversation(db, "c1")
    assert row is not None
    assert (row.sender_email, row.sender_name) == ("lead@acme.test", "Lee Lead")


def test_campaign_is_resolved_through_the_lead_in_either_order(db: Database) -> None:
    upsert_campaigns(db, [campaign("camp-1")])
    upsert_conversations(db, [conversation("early", lead_id="lead-1")], "primary")
    assert get_conversation(db, "early").campaign_id is None  # type: ignore[union-attr]
    upsert_leads(db, "camp-1", [lead("lead-1"), lead("lead-2")])
    assert get_conversation(db, "early").campaign_id == "camp-1"  # type: ignore[union-attr]
    upsert_conversations(db, [conversation("late", lead_id="lead-2")], "primary")
    assert get_conversation(db, "late").campaign_id == "camp-1"  # type: ignore[union-attr]


def test_timestamps_with_offsets_sort_in_time_order(db: Database) -> None:
    a, b = conversation("a"), conversation("b")
    a["messages"][1]["email_date"] = "2024-05-01T12:00:00+02:00"  # 10:00 UTC
    b["messages"][1]["email_date"] = "2024-05-01T11:00:00Z"
    upsert_conversations(db, [a, b], "primary")
    first = db.conn.execute(
        "SELECT id FROM conversations ORDER BY last_activity DESC LIMIT 1"
    ).fetchone()[0]
    assert first == "b"
