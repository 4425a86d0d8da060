"""Pulls a screen asks for: the leads of one campaign, the blocklist, one campaign's detail."""

from __future__ import annotations

from sqlite_utils import Database
from starlette.applications import Starlette

from outreach_tui.api import ReachkitClient
from outreach_tui.store import sync_state
from outreach_tui.sync import pull
from outreach_tui.sync.engine import run_sync
from outreach_tui.sync.progress import SyncRun
from tests.sync.conftest import KEY
from tests.sync.sim_state import workspace


async def test_pull_leads_stores_every_lead_of_the_campaign_and_removes_deleted_ones(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    assert (await run_sync(client, db)).ok
    campaign_id = max(workspace(app, KEY).campaigns.values(), key=lambda c: len(c.leads)).id
    run = SyncRun(client=client, db=db)
    await pull.pull_leads(run, campaign_id)
    server_ids = {lead.id async for lead in client.iter_leads(campaign_id)}
    cached = {
        row[0]
        for row in db.conn.execute("SELECT id FROM leads WHERE campaign_id = ?", [campaign_id])
    }
    assert cached == server_ids and cached
    assert sync_state.get_sync_state(db, "leads", campaign_id).last_full_at is not None
    gone = sorted(server_ids)[0]
    await client.delete_lead(campaign_id, gone)
    await pull.pull_leads(SyncRun(client=client, db=db), campaign_id)
    assert db.conn.execute("SELECT COUNT(*) FROM leads WHERE id = ?", [gone]).fetchone()[0] == 0


async def test_pull_blocklist(client: ReachkitClient, db: Database) -> None:
    await client.add_to_blocklist("blocked@spam.test")
    run = SyncRun(client=client, db=db)
    await pull.pull_blocklist(run)
    emails = {row[0] for row in db.conn.execute("SELECT email FROM blocklist")}
    assert "blocked@spam.test" in emails
    assert run.report.pulled["blocklist"] == len(emails)
