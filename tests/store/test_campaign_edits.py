"""Edits of campaigns, schedules, inbox links, sequences, variants, inboxes, leads, blocklist."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from outreach_tui.store import edits, outbox
from outreach_tui.store.ingest import (
    upsert_blocklist,
    upsert_campaigns,
    upsert_inboxes,
    upsert_leads,
    upsert_sequences,
)
from outreach_tui.store.outbox.answers import current_id
from outreach_tui.store.queries.blocklist import list_blocklist
from outreach_tui.store.queries.campaigns import (
    campaign_detail,
    campaign_inboxes,
    get_campaign,
    sequences,
)
from outreach_tui.store.queries.leads import leads_window
from outreach_tui.store.queries.mailboxes import get_inbox
from tests.store import factories


@pytest.fixture
def seeded(db: Database) -> Database:
    upsert_inboxes(db, [factories.inbox("inbox-1"), factories.inbox("inbox-2", email="b@x.test")])
    upsert_campaigns(db, [factories.campaign()])
    upsert_sequences(db, "camp-1", factories.sequences())
    upsert_leads(db, "camp-1", [factories.lead("lead-1")])
    upsert_blocklist(db, [{"id": "bl-1", "email": "no@spam.test", "created_at": "2024-01-01"}])
    return db


def _push(db: Database, answer: object = None) -> None:
    [item] = outbox.claim_next(db)
    outbox.mark_done(db, item.id, answer)


def test_campaign_fields_apply_locally_and_survive_a_pull(seeded: Database) -> None:
    items = edits.update_campaign(seeded, "camp-1", name="Summer", daily_limit=10, text_only=True)
    assert [i.field for i in items] == ["name", "daily_limit", "text_only"]
    upsert_campaigns(seeded, [factories.campaign(name="Renamed elsewhere")])
    row = get_campaign(seeded, "camp-1")
    assert row is not None
    assert (row.name, row.daily_limit, row.text_only, row.local_state) == (
        "Summer",
        10,
        True,
        "pending",
    )
    assert items[0].base == "Spring outreach"


@pytest.mark.parametrize(
    "changes",
    [
        {"name": ""},
        {"name": "x" * 151},
        {"status": "draft"},
        {"daily_limit": -1},
        {"daily_limit": True},
        {"text_only": "yes"},
        {"progress": 5},
    ],
)
def test_invalid_campaign_edits_are_refused(seeded: Database, changes: dict) -> None:
    with pytest.raises(edits.EditError):
        edits.update_campaign(seeded, "camp-1", **changes)
    assert outbox.list_items(seeded) == []


def test_schedule_edits_merge_and_coalesce(seeded: Database) -> None:
    [first] = edits.update_schedule(seeded, "camp-1", {"timezone": "Asia/Tokyo"})
    [second] = edits.update_schedule(
        seeded, "camp-1", {"days": {"friday": {"enabled": False, "start": None, "end": None}}}
    )
    assert first.id == second.id
    schedule = get_campaign(seeded, "camp-1").schedule  # type: ignore[union-attr]
    assert schedule["timezone"] == "Asia/Tokyo"
    assert schedule["days"]["friday"]["enabled"] is False
    assert schedule["days"]["monday"]["enabled"] is True
    assert second.base["timezone"] == "Europe/Paris"
    schedule_answer = {**schedule, "default_window": {"start": "09:30", "end": "17:00"}}
    _push(seeded, schedule_answer)
    stored = get_campaign(seeded, "camp-1").schedule  # type: ignore[union-attr]
    assert stored["default_window"]["start"] == "09:30"


@pytest.mark.parametrize(
    "changes",
    [
        {"timezone": "Mars/Olympus"},
        {"default_window": {"start": "9:00", "end": "17:00"}},
        {"days": {"funday": {"enabled": True}}},
        {"weeks": 1},
    ],
)
def test_invalid_schedules_are_refused(seeded: Database, changes: dict) -> None:
    with pytest.raises(edits.EditError):
        edits.update_schedule(seeded, "camp-1", changes)


def test_attach_and_detach_inboxes(seeded: Database) -> None:
    assert edits.attach_inboxes(seeded, "camp-1", ["inbox-1"]) == []  # already attached
    [attach] = edits.attach_inboxes(seeded, "camp-1", ["inbox-2", "inbox-2"])
    assert attach.value == {"inbox_ids": ["inbox-2"]}
    links = {i.inbox_id: i.pending_op for i in campaign_inboxes(seeded, "camp-1")}
    assert links == {"inbox-1": None, "inbox-2": "attach"}
    [detach] = edits.detach_inboxes(seeded, "camp-1", ["inbox-1"])
    assert [i.inbox_id for i in campaign_inboxes(seeded, "camp-1")] == ["inbox-2"]
    projection = factories.campaign()["inboxes"][0]
    _push(seeded, [projection, {**projection, "id": "inbox-2", "email": "b@x.test"}])
    _push(seeded, [{**projection, "id": "inbox-2", "email": "b@x.test"}])
    assert [(i.inbox_id, i.pending_op) for i in campaign_inboxes(seeded, "camp-1")] == [
        ("inbox-2", None)
    ]
    [back] = outbox.revert(seeded, detach.id)
    assert back.op == "attach_inboxes" and back.value == {"inbox_ids": ["inbox-1"]}


def test_withdrawn_link_ops_restore_the_links(seeded: Database) -> None:
    [attach] = edits.attach_inboxes(seeded, "camp-1", ["inbox-2"])
    [detach] = edits.detach_inboxes(seeded, "camp-1", ["inbox-1"])
    outbox.withdraw(seeded, attach.id)
    outbox.withdraw(seeded, detach.id)
    assert [(i.inbox_id, i.pending_op) for i in campaign_inboxes(seeded, "camp-1")] == [
        ("inbox-1", None)
    ]


def test_new_sequence_and_variant_are_renamed_to_server_ids(seeded: Database) -> None:
    step = edits.add_sequence(seeded, "camp-1", delay_days=2)
    variant = edits.add_variant(seeded, step.resource_id, "Third touch", "<p>Hi</p>")
    [edit] = edits.update_variant(seeded, variant.resource_id, body_html="<p>Hi again</p>")
    steps = sequences(seeded, "camp-1")
    assert [s.step for s in steps] == [1, 2, 3]
    assert steps[-1].is_local and steps[-1].variants[0].body_html == "<p>Hi again</p>"
    # Only the step can go first: the variant waits for its sequence id.
    claimed = outbox.claim_next(seeded, limit=5)
    assert [c.id for c in claimed] == [step.id]
    outbox.mark_done(
        seeded,
        step.id,
        {
            "id": "seq-3",
            "step": 3,
            "delay_days": None,
            "variants": [
                {
                    "id": "var-default",
                    "letter": "A",
                    "subject": None,
                    "body_html": None,
                    "body_text": None,
                    "enabled": True,
                }
            ],
        },
    )
    created = outbox.get_item(seeded, variant.id)
    assert created.context["sequence_id"] == "seq-3"
    [claimed_variant] = outbox.claim_next(seeded, limit=5)
    assert claimed_variant.id == variant.id
    outbox.mark_done(
        seeded,
        variant.id,
        {
            "id": "var-new",
            "subject": "Third touch",
            "body_html": "<p>Hi</p>",
            "body_text": "Hi",
            "enabled": True,
        },
    )
    assert outbox.get_item(seeded, edit.id).resource_id == "var-new"
    # A screen opened on a placeholder finds the row under its new id.
    assert current_id(seeded, step.resource_id) == "seq-3"
    assert current_id(seeded, variant.resource_id) == "var-new"
    assert current_id(seeded, "var-new") == "var-new"
    steps = sequences(seeded, "camp-1")
    assert steps[-1].id == "seq-3" and not steps[-1].is_local
    new = next(v for v in steps[-1].variants if v.id == "var-new")
    assert new.body_html == "<p>Hi again</p>" and new.local_state == "pending"


def test_deleting_a_placeholder_withdraws_its_create(seeded: Database) -> None:
    step = edits.add_sequence(seeded, "camp-1")
    edits.add_variant(seeded, step.resource_id, "S")
    assert edits.delete_sequence(seeded, step.resource_id) == []
    assert outbox.list_items(seeded) == []
    assert [s.id for s in sequences(seeded, "camp-1")] == ["seq-1", "seq-2"]


def test_delete_hides_at_once_and_removes_when_pushed(seeded: Database) -> None:
    [item] = edits.delete_variant(seeded, "var-b")
    assert [v.id for v in sequences(seeded, "camp-1")[0].variants] == ["var-a"]
    upsert_sequences(seeded, "camp-1", factories.sequences())  # pull while queued
    assert [v.id for v in sequences(seeded, "camp-1")[0].variants] == ["var-a"]
    _push(seeded)
    assert (
        seeded.conn.execute("SELECT COUNT(*) FROM variants WHERE id = 'var-b'").fetchone()[0] == 0
    )
    assert item.context == {"campaign_id": "camp-1"}


def test_discarded_delete_shows_the_row_again(seeded: Database) -> None:
    [item] = edits.delete_sequence(seeded, "seq-2")
    outbox.claim_next(seeded)
    outbox.mark_failed(seeded, item.id, "404")
    outbox.discard(seeded, item.id)
    assert [s.id for s in sequences(seeded, "camp-1")] == ["seq-1", "seq-2"]


def test_last_enabled_variant_is_protected(seeded: Database) -> None:
    with pytest.raises(edits.EditError):
        edits.delete_variant(seeded, "var-c")
    with pytest.raises(edits.EditError):
        edits.update_variant(seeded, "var-c", enabled=False)
    edits.update_variant(seeded, "var-a", enabled=False)
    with pytest.raises(edits.EditError):
        edits.update_variant(seeded, "var-b", enabled=False)


def test_broken_merge_tags_are_refused(seeded: Database) -> None:
    with pytest.raises(edits.EditError, match="body_html"):
        edits.update_variant(seeded, "var-a", body_html="Hi {{first_name")
    with pytest.raises(edits.EditError):
        edits.update_variant(seeded, "var-a", letter="Z")


def test_delay_days_edit(seeded: Database) -> None:
    [item] = edits.set_delay_days(seeded, "seq-1", 5)
    assert item.context == {"campaign_id": "camp-1"} and item.base == 3
    assert sequences(seeded, "camp-1")[0].delay_days == 5
    with pytest.raises(edits.EditError):
        edits.set_delay_days(seeded, "seq-1", -2)


def test_inbox_settings(seeded: Database) -> None:
    items = edits.update_inbox(seeded, "inbox-1", signature="-- New", daily_warmup_limit=30)
    assert {i.field for i in items} == {"signature", "daily_warmup_limit"}
    row = get_inbox(seeded, "inbox-1")
    assert row is not None and row.signature == "-- New" and row.local_state == "pending"
    for bad in ({"daily_warmup_limit": 101}, {"daily_campaign_limit": 0}, {"email": "x"}):
        with pytest.raises(edits.EditError):
            edits.update_inbox(seeded, "inbox-1", **bad)
    answer = {**factories.inbox("inbox-1"), "signature": "-- New", "daily_warmup_limit": 30}
    _push(seeded, answer)
    _push(seeded, answer)
    row = get_inbox(seeded, "inbox-1")
    assert row is not None and row.local_state is None and row.daily_warmup_limit == 30


def test_leads_add_and_delete(seeded: Database) -> None:
    item = edits.add_lead(seeded, "camp-1", "new@acme.test", first_name="Nia")
    assert next(lead.email for lead in leads_window(seeded, "camp-1")) == "new@acme.test"
    _push(seeded, {**factories.lead("lead-9", email="new@acme.test")})
    emails = {(lead.id, lead.is_local) for lead in leads_window(seeded, "camp-1")}
    assert ("lead-9", False) in emails
    [delete] = edits.delete_lead(seeded, "lead-1")
    assert "lead-1" not in {lead.id for lead in leads_window(seeded, "camp-1")}
    assert item.context == {"campaign_id": "camp-1"}
    assert delete.op == "delete"
    with pytest.raises(edits.EditError):
        edits.add_lead(seeded, "camp-1", "not an email")


def test_blocklist_add_and_remove(seeded: Database) -> None:
    item = edits.block_email(seeded, "bad@actor.test")
    with pytest.raises(edits.EditError, match="already"):
        edits.block_email(seeded, "BAD@actor.test")
    _push(seeded, {"id": "bl-2", "email": "bad@actor.test", "created_at": "2024-06-01"})
    assert {b.id for b in list_blocklist(seeded)} == {"bl-1", "bl-2"}
    edits.unblock(seeded, "bl-1")
    assert [b.email for b in list_blocklist(seeded)] == ["bad@actor.test"]
    assert item.value == {"email": "bad@actor.test"}


def test_campaign_detail_read_model(seeded: Database) -> None:
    upsert_campaigns(seeded, [factories.campaign(detail=True)])
    detail = campaign_detail(seeded, "camp-1")
    assert detail is not None
    assert [d.date for d in detail.daily] == ["2024-05-01"]
    first = detail.sequences[0].variants[0]
    assert (first.id, first.sent, first.replies) == ("var-a", 40, 4)
    assert [i.email for i in detail.inboxes] == ["me@sender.test"]
