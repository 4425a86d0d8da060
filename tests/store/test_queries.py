"""Conversation read queries: keyset windows, offsets, counts, search, status."""

from __future__ import annotations

import random

import pytest
from sqlite_utils import Database

from outreach_tui.store import edits, outbox
from outreach_tui.store.fields import LABEL_NONE, LABELS
from outreach_tui.store.ingest import upsert_campaigns, upsert_conversations, upsert_leads
from outreach_tui.store.queries import conversation_plan
from outreach_tui.store.queries.conversations import (
    ConversationList,
    conversation_position,
    conversation_window,
    conversations_at,
    count_conversations,
    label_counts,
)
from outreach_tui.store.records import ConversationFilter, ConversationRow
from outreach_tui.store.status import store_status
from outreach_tui.store.sync_state import get_sync_state, mark_pulled
from tests.store import factories

WORDS = ("pricing", "meeting", "budget", "renewal")
N = 240


@pytest.fixture
def inbox_db(db: Database) -> Database:
    """N conversations over folders, labels, read states, 2 campaigns, 2 inboxes; many
    share a timestamp so the id tie-break matters. Some carry pending edits."""
    rng = random.Random(7)
    upsert_campaigns(db, [factories.campaign("camp-1"), factories.campaign("camp-2")])
    upsert_leads(db, "camp-1", [factories.lead(f"lead-{i}") for i in range(0, N, 2)])
    upsert_leads(db, "camp-2", [factories.lead(f"lead-{i}") for i in range(1, N, 2)])
    for folder in ("primary", "others"):
        page = []
        for i in range(N):
            if (i % 3 == 0) != (folder == "others"):
                continue
            page.append(
                factories.conversation(
                    f"conv-{i:04d}",
                    label=rng.choice((*LABELS[:4], None)),
                    is_read=rng.random() < 0.6,
                    day=1 + rng.randrange(10),  # few distinct times: many ties
                    lead_id=f"lead-{i}" if i % 5 else None,
                    text=f"about the {WORDS[i % 4]} question",
                    inbox_id=f"inbox-{i % 2}",
                )
            )
        for start in range(0, len(page), 100):
            upsert_conversations(db, page[start : start + 100], folder)
    edits.set_label(db, ["conv-0001", "conv-0002"], "referral")
    edits.revert_label(db, "conv-0004")
    edits.mark_unread(db, [f"conv-{i:04d}" for i in range(10, 20)])
    return db


def _all(db: Database) -> list[ConversationRow]:
    return conversation_window(db, limit=10_000)


def _expected(db: Database, flt: ConversationFilter) -> list[str]:
    rows = []
    for row in _all(db):
        if flt.folder and row.folder != flt.folder:
            continue
        if flt.label_choice and (row.label or LABEL_NONE) not in flt.label_choice:
            continue
        if flt.unread and row.is_read:
            continue
        if flt.campaign_id and row.campaign_id != flt.campaign_id:
            continue
        if flt.inbox_id and row.inbox_id != flt.inbox_id:
            continue
        if flt.search and flt.search not in row.snippet:
            continue
        rows.append(row)
    rows.sort(key=lambda r: (r.last_activity, r.id), reverse=True)
    return [r.id for r in rows]


FILTERS = [
    ConversationFilter(),
    ConversationFilter(folder="primary"),
    ConversationFilter(folder="others", unread=True),
    ConversationFilter(label="referral"),
    ConversationFilter(folder="primary", label=LABEL_NONE),
    ConversationFilter(unread=True),
    ConversationFilter(campaign_id="camp-2"),
    ConversationFilter(inbox_id="inbox-1", folder="primary"),
    ConversationFilter(search="budget"),
    ConversationFilter(search="budget", folder="others", unread=True),
    ConversationFilter(label="interested", campaign_id="camp-1", unread=True),
    ConversationFilter(labels=("referral", "interested"), folder="primary"),
    ConversationFilter(labels=("interested", LABEL_NONE), unread=True),
    ConversationFilter(label="referral", labels=("question",)),
]


def test_effective_values_are_what_the_filters_see(inbox_db: Database) -> None:
    referral = _expected(inbox_db, ConversationFilter(label="referral"))
    assert {"conv-0001", "conv-0002"} <= set(referral)
    row = next(r for r in _all(inbox_db) if r.id == "conv-0004")
    assert row.label == row.ai_label


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: repr(f)[18:])
def test_keyset_windows_walk_forward_and_backward(
    inbox_db: Database, flt: ConversationFilter
) -> None:
    expected = _expected(inbox_db, flt)
    assert expected, "the fixture should populate every filter"
    forward: list[ConversationRow] = []
    page = conversation_window(inbox_db, flt, limit=7)
    while page:
        forward.extend(page)
        page = conversation_window(inbox_db, flt, after=page[-1].cursor, limit=7)
    assert [r.id for r in forward] == expected
    backward: list[ConversationRow] = []
    page = conversation_window(inbox_db, flt, before=forward[-1].cursor, limit=5)
    while page:
        backward = page + backward
        page = conversation_window(inbox_db, flt, before=page[0].cursor, limit=5)
    assert [r.id for r in backward] == expected[:-1]
    assert count_conversations(inbox_db, flt) == len(expected)


@pytest.mark.parametrize("flt", FILTERS[:6], ids=lambda f: repr(f)[18:])
def test_offset_access_matches_the_full_list(inbox_db: Database, flt: ConversationFilter) -> None:
    expected = _expected(inbox_db, flt)
    listing = ConversationList(inbox_db, flt, step=16)
    assert len(listing) == len(expected)
    for offset in {0, 1, 15, 16, 17, 40, len(expected) - 3, len(expected) - 1}:
        if not 0 <= offset < len(expected):
            continue
        assert [r.id for r in listing.rows(offset, 5)] == expected[offset : offset + 5]
    assert listing.rows(len(expected), 5) == []
    for index in {0, 15, 16, len(expected) // 2, len(expected) - 1}:
        if index >= len(expected):
            continue
        assert listing.index_of(expected[index]) == index


@pytest.mark.parametrize("drive_limit", [0, 10_000], ids=["index-walk", "driven-by-matches"])
def test_both_search_plans_give_the_same_windows(
    inbox_db: Database, monkeypatch: pytest.MonkeyPatch, drive_limit: int
) -> None:
    monkeypatch.setattr(conversation_plan, "SEARCH_DRIVE_LIMIT", drive_limit)
    for flt in (
        ConversationFilter(search="pricing"),
        ConversationFilter(search="meet", unread=True),
    ):
        expected = _expected(inbox_db, flt)
        first = conversation_window(inbox_db, flt, limit=9)
        rest = conversation_window(inbox_db, flt, after=first[-1].cursor, limit=500)
        assert [r.id for r in first + rest] == expected
        back = conversation_window(inbox_db, flt, before=rest[0].cursor, limit=3)
        assert [r.id for r in back] == expected[6:9]
        listing = ConversationList(inbox_db, flt, step=8)
        assert [r.id for r in listing.rows(10, 4)] == expected[10:14]
        assert listing.index_of(expected[20]) == 20


def test_plain_offset_rows_and_position(inbox_db: Database) -> None:
    flt = ConversationFilter(folder="primary", unread=True)
    expected = _expected(inbox_db, flt)
    assert [r.id for r in conversations_at(inbox_db, flt, offset=30, limit=6)] == expected[30:36]
    assert conversation_position(inbox_db, expected[33], flt) == 33
    read_one = next(r.id for r in _all(inbox_db) if r.is_read)
    assert conversation_position(inbox_db, read_one, flt) is None


def test_offset_list_notices_writes(inbox_db: Database, reader: Database) -> None:
    flt = ConversationFilter(folder="primary", unread=True)
    listing = ConversationList(reader, flt, step=8)
    before = len(listing)
    first = listing.rows(0, 1)[0]
    edits.mark_read(inbox_db, first.id)
    assert len(listing) == before - 1
    assert listing.index_of(first.id) is None
    assert listing.rows(0, 1)[0].id != first.id


def test_label_counts(inbox_db: Database) -> None:
    flt = ConversationFilter(folder="primary", label="referral", unread=True)
    counts = label_counts(inbox_db, flt)
    assert counts.total == len(_expected(inbox_db, flt))
    unread_any_label = ConversationFilter(folder="primary", unread=True)
    expected_by_label: dict[str, int] = {}
    for row in _all(inbox_db):
        if row.folder == "primary" and not row.is_read:
            key = row.label or LABEL_NONE
            expected_by_label[key] = expected_by_label.get(key, 0) + 1
    assert counts.by_label == expected_by_label
    assert sum(counts.by_label.values()) == count_conversations(inbox_db, unread_any_label)
    assert counts.unread == len(
        _expected(inbox_db, ConversationFilter(folder="primary", label="referral", unread=True))
    )


def test_status_counts_and_last_sync(inbox_db: Database) -> None:
    status = store_status(inbox_db)
    assert status["counts"]["conversations"] == N
    assert status["counts"]["campaigns"] == 2
    assert status["outbox"]["pending"] == len(outbox.list_items(inbox_db))
    assert set(status["outbox"]) >= {"pending", "in_flight", "failed", "conflict"}
    assert status["last_sync"] is None
    mark_pulled(inbox_db, "conversations", "primary", full=True, at="2024-06-01T00:00:00Z")
    mark_pulled(inbox_db, "campaigns", at="2024-06-02T00:00:00Z")
    status = store_status(inbox_db)
    assert status["last_sync"] == "2024-06-02T00:00:00Z"
    assert status["last_sync_by_resource"]["conversations:primary"] == "2024-06-01T00:00:00Z"
    state = get_sync_state(inbox_db, "conversations", "primary")
    assert state.last_full_at == "2024-06-01T00:00:00Z"
    mark_pulled(inbox_db, "conversations", "primary", at="2024-06-03T00:00:00Z")
    state = get_sync_state(inbox_db, "conversations", "primary")
    assert (state.last_pulled_at, state.last_full_at) == (
        "2024-06-03T00:00:00Z",
        "2024-06-01T00:00:00Z",
    )
    assert get_sync_state(inbox_db, "leads", "camp-1").last_pulled_at is None


def test_row_json_uses_the_api_names(inbox_db: Database) -> None:
    row = conversation_window(inbox_db, ConversationFilter(label="referral"), limit=1)[0]
    data = row.to_json()
    assert {"id", "subject", "from_email", "label", "is_read", "pending"} <= set(data)
    assert data["pending"] == "pending"
