"""The edits behind the campaign console, offline (no server): status rules, create and
delete, leads with `if_exists` — local state, outbox, and undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from outreach_tui.store import outbox
from outreach_tui.store.connection import open_writer
from outreach_tui.store.edits import EditError, add_lead, attach_inboxes, detach_inboxes
from outreach_tui.store.edits.campaigns import (
    create_campaign,
    delete_campaign,
    launch_blockers,
    launch_warnings,
    set_status,
    status_problem,
)
from outreach_tui.store.queries import campaigns as campaign_queries
from outreach_tui.store.queries.leads import LeadFilter, leads_at


@pytest.fixture
def db(synced_db: Path) -> Iterator[Database]:
    writer = open_writer(synced_db)
    yield writer
    writer.close()


def _by_name(db: Database, name: str) -> campaign_queries.CampaignRow:
    return next(c for c in campaign_queries.list_campaigns(db) if c.name == name)


def test_status_rules_follow_the_documented_transitions(db: Database) -> None:
    draft = _by_name(db, "Logistics re-engagement")
    assert launch_blockers(db, draft.id) == ["an inbox"]
    assert status_problem(db, draft.id, "active") == ("cannot launch: the campaign needs an inbox")
    assert status_problem(db, draft.id, "paused") == "a draft campaign cannot be paused"
    with pytest.raises(EditError, match="needs an inbox"):
        set_status(db, draft.id, "active")
    inbox_id = db.conn.execute("SELECT id FROM inboxes ORDER BY email LIMIT 1").fetchone()[0]
    attach_inboxes(db, draft.id, [inbox_id])
    assert launch_blockers(db, draft.id) == []  # the queued attach counts
    detach_inboxes(db, draft.id, [inbox_id])
    assert launch_blockers(db, draft.id) == ["an inbox"]
    active = _by_name(db, "Enterprise expansion - APAC")
    assert status_problem(db, active.id, "active") == "the campaign is already active"
    [item] = set_status(db, active.id, "paused")
    assert (item.field, item.value, item.base) == ("status", "paused", "active")


def test_launch_warnings_name_no_leads_and_an_empty_first_subject(db: Database) -> None:
    draft = _by_name(db, "Logistics re-engagement")
    assert launch_warnings(db, draft.id) == [
        "no leads yet: nothing would be sent",
        "variant A of the first step has an empty subject",
    ]
    add_lead(db, draft.id, "ana@example.com")  # queued: counts before the sync
    db.conn.execute("UPDATE variants SET subject = 'Hello' WHERE campaign_id = ?", [draft.id])
    assert launch_warnings(db, draft.id) == []
    ready = _by_name(db, "Webinar follow-up")  # several steps: later subjects may be empty
    db.conn.execute(
        "UPDATE variants SET subject = '' WHERE sequence_id IN (SELECT id FROM sequences"
        " WHERE campaign_id = ? AND step > (SELECT MIN(step) FROM sequences"
        " WHERE campaign_id = ?))",
        [ready.id, ready.id],
    )
    assert not any("subject" in w for w in launch_warnings(db, ready.id))


def test_create_then_delete_before_sync_leaves_nothing(db: Database) -> None:
    item = create_campaign(db, "  Spring pilots  ")
    placeholder = item.resource_id
    assert placeholder.startswith(outbox.LOCAL_ID_PREFIX)
    assert item.value == {"name": "Spring pilots"}
    row = campaign_queries.get_campaign(db, placeholder)
    assert row is not None and row.status == "draft" and row.local_state == "pending"
    with pytest.raises(EditError, match="does not match"):
        delete_campaign(db, placeholder, confirm_name="spring pilots")
    assert delete_campaign(db, placeholder, confirm_name="Spring pilots") == []
    assert campaign_queries.get_campaign(db, placeholder) is None
    assert outbox.list_items(db, (outbox.PENDING,)) == []
    with pytest.raises(EditError, match="cannot be empty"):
        create_campaign(db, "   ")


def test_a_queued_campaign_delete_hides_it_and_undo_brings_it_back(db: Database) -> None:
    campaign = _by_name(db, "Fintech decision makers")
    [item] = delete_campaign(db, campaign.id, confirm_name=campaign.name)
    assert (item.resource, item.op) == ("campaign", "delete")
    assert campaign_queries.get_campaign(db, campaign.id) is None
    assert campaign.id not in {c.id for c in campaign_queries.list_campaigns(db)}
    with pytest.raises(EditError, match="being deleted"):
        set_status(db, campaign.id, "active")
    outbox.withdraw(db, item.id)
    back = campaign_queries.get_campaign(db, campaign.id)
    assert back is not None and back.name == campaign.name


def test_add_lead_if_exists_fail_skip_and_update(db: Database) -> None:
    campaign = _by_name(db, "Fintech decision makers")
    db.conn.execute(
        "INSERT INTO leads (id, campaign_id, email, first_name, variables, created_at)"
        " VALUES ('lead-x', ?, 'ann@acme.test', 'Ann', '{\"company\": \"Acme\"}', '2026-01-01')",
        [campaign.id],
    )
    with pytest.raises(EditError, match="already a lead"):
        add_lead(db, campaign.id, "ANN@acme.test")
    assert add_lead(db, campaign.id, "ann@acme.test", if_exists="skip") is None
    assert outbox.list_items(db, (outbox.PENDING,)) == []
    item = add_lead(
        db,
        campaign.id,
        "ann@acme.test",
        first_name="Anne",
        variables={"company": "Acme Corp"},
        if_exists="update",
    )
    assert item is not None and item.value["if_exists"] == "update"
    leads = leads_at(db, campaign.id, LeadFilter(search="ann@"), offset=0, limit=5)
    assert [(r.id, r.first_name, r.variables) for r in leads] == [
        ("lead-x", "Anne", {"company": "Acme Corp"})
    ]  # one row, updated in place
    with pytest.raises(EditError, match="if_exists"):
        add_lead(db, campaign.id, "bo@acme.test", if_exists="merge")
