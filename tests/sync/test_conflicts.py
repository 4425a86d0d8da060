"""Conflicts: the same field changed here and on the server between two syncs.

Triage fields: the user's latest action wins and the overwritten server value is logged.
Long text: nothing is overwritten; the item waits in `conflict` with both versions kept
until the user keeps theirs or takes the server's.
"""

from __future__ import annotations

from sqlite_utils import Database
from starlette.applications import Starlette

from outreach_tui.api import ReachkitClient
from outreach_tui.store import edits, outbox
from outreach_tui.store.outbox.conflicts import conflict_log
from outreach_tui.store.queries.campaigns import variant_versions
from outreach_tui.store.queries.conversations import get_conversation
from outreach_tui.sync.engine import SyncOptions, run_sync
from tests.sync.conftest import KEY
from tests.sync.sim_state import server_conversation, server_variant


def _first_conversation(db: Database, label_not: str) -> str:
    row = db.conn.execute(
        "SELECT id FROM conversations WHERE label IS NOT ? ORDER BY id LIMIT 1", [label_not]
    ).fetchone()
    return row[0]


def _first_variant(db: Database) -> tuple[str, str]:
    row = db.conn.execute(
        "SELECT id, campaign_id FROM variants WHERE body_html IS NOT NULL ORDER BY id LIMIT 1"
    ).fetchone()
    return row[0], row[1]


async def test_label_changed_on_both_sides_latest_user_action_wins_and_is_logged(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    assert (await run_sync(client, db)).ok
    cid = _first_conversation(db, "meeting_requested")
    edits.set_label(db, cid, "meeting_requested")
    # meanwhile a colleague relabels it in the web app
    await client.update_conversation(cid, label_override="not_interested")

    report = await run_sync(client, db)

    assert report.ok and report.overwritten == 1 and report.conflicts == 0
    assert server_conversation(app, KEY, cid).label == "meeting_requested"
    row = get_conversation(db, cid)
    assert row is not None and row.label == "meeting_requested" and row.local_state is None
    [entry] = conflict_log(db, resource_id=cid)
    assert (entry.field, entry.theirs, entry.mine, entry.resolution) == (
        "label_override",
        "not_interested",
        "meeting_requested",
        "overwritten",
    )
    assert outbox.state_counts(db)["done"] == 1


async def test_label_set_to_the_same_value_on_both_sides_logs_nothing(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    assert (await run_sync(client, db)).ok
    cid = _first_conversation(db, "referral")
    edits.set_label(db, cid, "referral")
    await client.update_conversation(cid, label_override="referral")
    report = await run_sync(client, db)
    assert report.ok and report.overwritten == 0
    assert conflict_log(db, resource_id=cid) == []
    assert server_conversation(app, KEY, cid).label_override == "referral"


async def _variant_conflict(
    client: ReachkitClient, db: Database
) -> tuple[str, str, outbox.OutboxItem]:
    assert (await run_sync(client, db)).ok
    variant_id, campaign_id = _first_variant(db)
    edits.update_variant(db, variant_id, body_html="<p>Mine: hello {{first_name|there}}</p>")
    await client.update_variant(campaign_id, variant_id, body_html="<p>Theirs: hi there</p>")
    report = await run_sync(client, db)
    assert report.conflicts == 1 and report.pushed == 0
    [item] = outbox.list_items(db, (outbox.CONFLICT,))
    return variant_id, campaign_id, item


async def test_variant_body_changed_on_both_sides_waits_in_conflict_with_both_versions(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    variant_id, _, item = await _variant_conflict(client, db)

    assert "Theirs" in server_variant(app, KEY, variant_id).body_html
    assert item.value == "<p>Mine: hello {{first_name|there}}</p>"
    assert "Theirs" in item.theirs
    versions = variant_versions(db, variant_id)
    assert versions is not None
    assert versions["mine"]["body_html"] == item.value
    assert "Theirs" in versions["theirs"]["body_html"]
    # another sync neither pushes nor forgets it
    report = await run_sync(client, db)
    assert report.ok and report.pushed == 0
    assert outbox.get_item(db, item.id).state == outbox.CONFLICT
    assert "Theirs" in server_variant(app, KEY, variant_id).body_html


async def test_keep_mine_pushes_mine_on_the_next_sync(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    variant_id, _, item = await _variant_conflict(client, db)
    outbox.keep_mine(db, item.id)
    report = await run_sync(client, db)
    assert report.ok and report.pushed == 1 and report.conflicts == 0
    assert "Mine: hello" in server_variant(app, KEY, variant_id).body_html
    assert outbox.get_item(db, item.id).state == outbox.DONE
    assert [e.resolution for e in conflict_log(db, resource_id=variant_id)] == ["kept_mine"]


async def test_take_theirs_makes_theirs_local_and_pushes_nothing(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    variant_id, _, item = await _variant_conflict(client, db)
    outbox.take_theirs(db, item.id)
    versions = variant_versions(db, variant_id)
    assert versions is not None and "Theirs" in versions["mine"]["body_html"]
    writes_before = sum(1 for r in app.state.simulator.requests if r.method != "GET")
    report = await run_sync(client, db)
    assert report.ok and report.pushed == 0
    assert sum(1 for r in app.state.simulator.requests if r.method != "GET") == writes_before
    assert "Theirs" in server_variant(app, KEY, variant_id).body_html
    assert (
        outbox.list_items(db, (outbox.PENDING, outbox.IN_FLIGHT, outbox.FAILED, outbox.CONFLICT))
        == []
    )
    [entry] = conflict_log(db, resource_id=variant_id)
    assert entry.resolution == "took_theirs" and "Mine" in entry.mine and "Theirs" in entry.theirs


async def test_a_pull_between_keeps_the_pending_label_visible(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    assert (await run_sync(client, db)).ok
    cid = _first_conversation(db, "meeting_requested")
    edits.set_label(db, cid, "meeting_requested")
    await client.update_conversation(cid, label_override="not_interested")
    assert (await run_sync(client, db, SyncOptions(push=False, full=True))).ok
    row = get_conversation(db, cid)
    assert row is not None and row.label == "meeting_requested" and row.local_state == "pending"
    assert server_conversation(app, KEY, cid).label == "not_interested"
