"""Snoozes in the store: hidden from every list but the Snoozed view, back on top at
their time or on a new reply, kept across a later sync, undone without moving."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from outreach_tui.store.edits import snooze as snoozes
from outreach_tui.store.edits.common import EditError
from outreach_tui.store.ingest import upsert_conversations
from outreach_tui.store.queries.conversations import (
    ConversationList,
    conversation_position,
    conversation_window,
    count_conversations,
    label_counts,
    unread_by_folder,
)
from outreach_tui.store.queries.snoozes import count_snoozed, next_wake
from outreach_tui.store.records import ConversationFilter
from tests.store import factories

NOW = "2024-06-01T08:00:00Z"
LATER = "2024-06-03T09:00:00Z"
PRIMARY = ConversationFilter(folder="primary")
SNOOZED = ConversationFilter(snoozed=True)


def ids(db: Database, flt: ConversationFilter = PRIMARY) -> list[str]:
    return [row.id for row in conversation_window(db, flt, limit=100)]


@pytest.fixture
def inbox(db: Database) -> Database:
    # conv-10 is the newest (day 10), conv-1 the oldest; conv-3 and conv-5 unread.
    upsert_conversations(
        db,
        [
            factories.conversation(f"conv-{d}", day=d, is_read=d not in (3, 5), text=f"word{d}")
            for d in range(1, 11)
        ],
        "primary",
    )
    return db


def test_snoozed_conversations_show_only_in_the_snoozed_view(inbox: Database) -> None:
    assert snoozes.snooze(inbox, ["conv-3", "conv-7"], LATER, NOW) == 2
    listed = ids(inbox)
    assert "conv-3" not in listed and "conv-7" not in listed and len(listed) == 8
    assert count_conversations(inbox, PRIMARY) == 8
    assert count_conversations(inbox, ConversationFilter()) == 8
    assert unread_by_folder(inbox, ["primary"]) == {"primary": 1, None: 1}  # conv-5
    assert (label_counts(inbox, PRIMARY).total, label_counts(inbox, PRIMARY).unread) == (8, 1)
    assert sum(label_counts(inbox, PRIMARY).by_label.values()) == 8
    assert conversation_position(inbox, "conv-3", PRIMARY) is None
    listed_by_offset = ConversationList(inbox, PRIMARY)
    assert len(listed_by_offset) == 8
    assert [r.id for r in listed_by_offset.rows(0, 100)] == listed
    assert ids(inbox, SNOOZED) == ["conv-7", "conv-3"]
    assert [r.snoozed_until for r in conversation_window(inbox, SNOOZED)] == [
        "2024-06-03T09:00:00.000000Z"
    ] * 2
    assert count_snoozed(inbox) == 2 and next_wake(inbox) == "2024-06-03T09:00:00.000000Z"


def test_search_operator_is_snoozed(inbox: Database) -> None:
    snoozes.snooze(inbox, ["conv-3", "conv-7"], LATER, NOW)
    assert ids(inbox, ConversationFilter(search="is:snoozed")) == ["conv-7", "conv-3"]
    assert ids(inbox, ConversationFilter(search="is:snoozed is:unread")) == ["conv-3"]
    assert ids(inbox, ConversationFilter(search="word7")) == []  # hidden from plain search
    assert ids(inbox, ConversationFilter(search="word7 is:snoozed")) == ["conv-7"]
    assert len(ids(inbox, ConversationFilter(search="-is:snoozed"))) == 8


def test_a_snooze_comes_back_on_top_at_its_time(inbox: Database) -> None:
    snoozes.snooze(inbox, ["conv-2"], LATER, NOW)
    assert snoozes.wake_due(inbox, "2024-06-03T08:59:59Z") == []
    assert "conv-2" not in ids(inbox)
    assert snoozes.wake_due(inbox, "2024-06-03T09:00:00Z") == ["conv-2"]
    assert ids(inbox)[0] == "conv-2"  # above conv-10, the newest message
    assert ids(inbox, SNOOZED) == []
    # The search index follows the new order: found, and first among all matches.
    assert ids(inbox, ConversationFilter(search="word2")) == ["conv-2"]
    assert ids(inbox, ConversationFilter(search="person"))[0] == "conv-2"


def test_a_conversation_that_came_back_stays_on_top_through_a_sync(inbox: Database) -> None:
    snoozes.snooze(inbox, ["conv-2"], LATER, NOW)
    snoozes.wake_due(inbox, LATER)
    # The server changes it (a label) but says nothing of the snooze: its order stays.
    changed = factories.conversation("conv-2", day=2, label="question", text="word2")
    upsert_conversations(inbox, [changed], "primary")
    assert ids(inbox)[0] == "conv-2"
    assert ids(inbox, ConversationFilter(search="word2")) == ["conv-2"]


def test_a_new_incoming_message_wakes_it_early(inbox: Database) -> None:
    snoozes.snooze(inbox, ["conv-4", "conv-6"], LATER, NOW)
    replied = factories.conversation("conv-4", day=4)
    replied["messages"].append(
        factories.message("incoming", text="any news?", date="2024-06-02T10:00:00Z")
    )
    # An outgoing message (ours, sent elsewhere) does not wake conv-6.
    followed = factories.conversation("conv-6", day=6)
    followed["messages"].append(
        factories.message("outgoing", text="bump", date="2024-06-02T11:00:00Z")
    )
    upsert_conversations(inbox, [replied, followed], "primary")
    assert ids(inbox)[0] == "conv-4"
    assert ids(inbox, SNOOZED) == ["conv-6"]


def test_a_reply_stamped_in_the_snoozes_own_second_wakes_it(db: Database) -> None:
    # The server stamps whole seconds; the snooze has microseconds: 10:00:00Z may be after.
    upsert_conversations(db, [factories.conversation("conv-1", day=1)], "primary")
    snoozes.snooze(db, ["conv-1"], LATER, "2024-06-02T10:00:00.700000Z")
    replied = factories.conversation("conv-1", day=1)
    replied["messages"].append(factories.message("incoming", date="2024-06-02T10:00:00Z"))
    upsert_conversations(db, [replied], "primary")
    assert ids(db, SNOOZED) == []


def test_an_older_incoming_message_does_not_wake_it(inbox: Database) -> None:
    snoozes.snooze(inbox, ["conv-4"], LATER, NOW)
    late = factories.conversation("conv-4", day=4)
    late["messages"].append(factories.message("incoming", date="2024-05-30T10:00:00Z"))
    upsert_conversations(inbox, [late], "primary")
    assert ids(inbox, SNOOZED) == ["conv-4"]


def test_waking_by_hand_brings_it_back_now(inbox: Database) -> None:
    snoozes.snooze(inbox, ["conv-1"], LATER, NOW)
    assert snoozes.wake(inbox, ["conv-1", "conv-2"], "2024-06-01T09:00:00Z") == 1
    assert ids(inbox)[0] == "conv-1"
    assert conversation_window(inbox, PRIMARY, limit=1)[0].last_activity.startswith(
        "2024-06-01T09:00:00"
    )


def test_undo_restores_the_snoozes_as_they_were_without_moving(inbox: Database) -> None:
    snoozes.snooze(inbox, ["conv-8"], "2024-06-10T09:00:00Z", NOW)
    before = snoozes.states(inbox, ["conv-8", "conv-9"])
    snoozes.snooze(inbox, ["conv-8", "conv-9"], LATER, NOW)
    snoozes.restore(inbox, before)
    assert ids(inbox, SNOOZED) == ["conv-8"]
    assert conversation_window(inbox, SNOOZED)[0].snoozed_until == "2024-06-10T09:00:00.000000Z"
    assert ids(inbox)[:2] == ["conv-10", "conv-9"]  # conv-9 back where it was


def test_a_snooze_in_the_past_is_refused(inbox: Database) -> None:
    with pytest.raises(EditError):
        snoozes.snooze(inbox, ["conv-1"], NOW, NOW)
    assert count_snoozed(inbox) == 0
