"""Ingest of campaigns, analytics, sequences, inboxes, warmup, leads, blocklist; reconcile."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from outreach_tui.store import edits
from outreach_tui.store.ingest import (
    remove_missing,
    upsert_blocklist,
    upsert_campaign_analytics,
    upsert_campaign_detail,
    upsert_campaigns,
    upsert_conversations,
    upsert_inbox_detail,
    upsert_inboxes,
    upsert_leads,
    upsert_sequences,
    upsert_warmup_stats,
)
from outreach_tui.store.queries.campaigns import campaign_detail, get_campaign, sequences
from outreach_tui.store.queries.conversations import get_conversation
from outreach_tui.store.queries.leads import leads_window
from outreach_tui.store.queries.mailboxes import get_inbox, inbox_campaigns, list_inboxes
from outreach_tui.store.queries.warmup import warmup_stats
from outreach_tui.store.search import search_conversations
from tests.store import factories


def test_campaign_list_then_detail_then_list_reads_unchanged(db: Database) -> None:
    assert upsert_campaigns(db, [factories.campaign()]).new_ids == ("camp-1",)
    detail = upsert_campaign_detail(db, factories.campaign(detail=True))
    assert detail.all_unchanged  # same list projection
    again = upsert_campaigns(db, [factories.campaign()])
    assert again.all_unchanged
    data = campaign_detail(db, "camp-1")
    assert data is not None and len(data.daily) == 1  # the list did not wipe the daily points
    renamed = upsert_campaigns(db, [factories.campaign(name="Autumn")])
    assert renamed.changed_ids == ("camp-1",)


def test_campaign_columns_and_missing_blocks(db: Database) -> None:
    upsert_campaigns(db, [factories.campaign()])
    row = get_campaign(db, "camp-1")
    assert row is not None
    assert (row.daily_limit, row.stop_on_reply, row.unsubscribe_option, row.sent) == (
        50,
        True,
        True,
        80,
    )
    assert row.schedule is not None and row.schedule["timezone"] == "Europe/Paris"
    # A lean item (no options, no stats) keeps what is cached.
    upsert_campaigns(db, [{"id": "camp-1", "name": "Lean", "status": "paused"}])
    row = get_campaign(db, "camp-1")
    assert row is not None and (row.name, row.daily_limit, row.sent) == ("Lean", 50, 80)


def test_analytics_update_headline_daily_and_variant_stats(db: Database) -> None:
    upsert_campaigns(db, [factories.campaign()])
    upsert_sequences(db, "camp-1", factories.sequences())
    stats = factories.campaign(detail=True)["stats"]
    upsert_campaign_analytics(db, "camp-1", {**stats, "sent": 99})
    data = campaign_detail(db, "camp-1")
    assert data is not None
    assert data.campaign.sent == 99
    assert data.sequences[0].variants[0].sent == 40
    with pytest.raises(KeyError):
        upsert_campaign_analytics(db, "nope", stats)


def test_sequences_replace_the_campaign_list_but_keep_local_work(db: Database) -> None:
    upsert_campaigns(db, [factories.campaign()])
    first = upsert_sequences(db, "camp-1", factories.sequences())
    assert set(first.new_ids) == {"seq-1", "seq-2"}
    assert upsert_sequences(db, "camp-1", factories.sequences()).all_unchanged
    edits.update_variant(db, "var-c", subject="Edited")
    local = edits.add_sequence(db, "camp-1")
    only_first = factories.sequences()[:1]
    upsert_sequences(db, "camp-1", only_first)
    ids = [s.id for s in sequences(db, "camp-1")]
    # seq-2 holds a variant with a pending edit: its row stays, as does the placeholder.
    assert "seq-1" in ids and local.resource_id in ids
    assert db.conn.execute("SELECT COUNT(*) FROM variants WHERE id = 'var-c'").fetchone()[0] == 1
    with pytest.raises(KeyError):
        upsert_sequences(db, "unknown", only_first)


def test_inboxes_detail_links_and_warmup(db: Database) -> None:
    upsert_campaigns(db, [factories.campaign()])
    assert upsert_inboxes(db, [factories.inbox()]).new_ids == ("inbox-1",)
    assert upsert_inbox_detail(db, factories.inbox(detail=True)).all_unchanged
    assert [c.name for c in inbox_campaigns(db, "inbox-1")] == ["Spring outreach"]
    upsert_warmup_stats(
        db,
        "inbox-1",
        {
            "sent": 70,
            "received": 65,
            "saved_from_spam": 3,
            "health_score": 92,
            "ramp_up_progress": 50,
            "daily": [{"date": "2024-05-02", "sent": 10, "spam_count": 1}],
        },
    )
    stats = warmup_stats(db, "inbox-1")
    assert stats is not None and stats.health_score == 92 and len(stats.daily) == 1
    [row] = list_inboxes(db)
    assert (row.health_score, row.campaign_count) == (92, 1)
    inbox = get_inbox(db, "inbox-1")
    assert inbox is not None and inbox.signature == "-- Mia" and inbox.is_warming is True


def test_leads_page_change_detection(db: Database) -> None:
    upsert_campaigns(db, [factories.campaign()])
    page = [factories.lead("l1"), factories.lead("l2")]
    assert set(upsert_leads(db, "camp-1", page).new_ids) == {"l1", "l2"}
    assert upsert_leads(db, "camp-1", page).all_unchanged
    changed = {**factories.lead("l2"), "status": "replied"}
    assert upsert_leads(db, "camp-1", [changed]).changed_ids == ("l2",)
    assert leads_window(db, "camp-1", search="L1@")[0].id == "l1"


def test_blocklist_ingest(db: Database) -> None:
    result = upsert_blocklist(db, [{"id": "b1", "email": "x@y.test"}, {"nope": 1}])
    assert result.new_ids == ("b1",) and result.skipped == 1
    assert upsert_blocklist(db, [{"id": "b1", "email": "x@y.test"}]).unchanged == 1


def test_remove_missing_deletes_within_scope_and_spares_pending_rows(db: Database) -> None:
    upsert_conversations(db, [factories.conversation(f"p{i}") for i in range(4)], "primary")
    upsert_conversations(db, [factories.conversation("o1", text="zebra")], "others")
    edits.mark_unread(db, "p2")
    compose = edits.compose_conversation(db, to=[{"email": "a@b.test"}], subject="s", content="c")
    removed = remove_missing(db, "conversation", ["p0"], scope="primary")
    assert sorted(removed) == ["p1", "p3"]
    left = {r[0] for r in db.conn.execute("SELECT id FROM conversations")}
    assert left == {"p0", "p2", "o1", compose.resource_id}
    assert (
        db.conn.execute("SELECT COUNT(*) FROM messages WHERE conversation_id = 'p1'").fetchone()[0]
        == 0
    )
    assert search_conversations(db, "zebra") == ["o1"]
    assert remove_missing(db, "conversation", [], scope="others") == ["o1"]
    assert search_conversations(db, "zebra") == []
    assert get_conversation(db, "p2") is not None


def test_remove_missing_campaign_cascades(db: Database) -> None:
    upsert_campaigns(db, [factories.campaign(detail=True), factories.campaign("camp-2")])
    upsert_sequences(db, "camp-1", factories.sequences())
    upsert_leads(db, "camp-1", [factories.lead("l1")])
    assert remove_missing(db, "campaign", ["camp-2"]) == ["camp-1"]
    for table in ("sequences", "variants", "leads", "campaign_daily", "variant_stats"):
        assert db.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    with pytest.raises(ValueError):
        remove_missing(db, "variant", [])
