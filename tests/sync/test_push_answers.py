"""A pushed create takes the server's answer at once: the placeholder becomes the server's
row (id, defaults) without waiting for the next pull."""

from __future__ import annotations

from sqlite_utils import Database
from starlette.applications import Starlette

from outreach_tui.api import ReachkitClient
from outreach_tui.core.timefmt import parse_timestamp
from outreach_tui.store.edits import campaigns as campaign_edits
from outreach_tui.store.queries import campaigns as campaign_queries
from outreach_tui.sync.engine import run_sync
from tests.sync.conftest import KEY
from tests.sync.sim_state import workspace


async def test_a_created_campaign_holds_the_servers_defaults_right_after_the_push(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    assert (await run_sync(client, db)).ok
    item = campaign_edits.create_campaign(db, "Spring pilots")
    placeholder = campaign_queries.get_campaign(db, item.resource_id)
    assert placeholder is not None and placeholder.schedule is None  # nothing known yet
    report = await run_sync(client, db)
    assert report.ok and report.pushed == 1
    [server] = [c for c in workspace(app, KEY).campaigns.values() if c.name == "Spring pilots"]
    answer = await client.get_campaign(server.id)
    row = campaign_queries.get_campaign(db, server.id)
    assert row is not None and row.local_state is None
    assert campaign_queries.get_campaign(db, item.resource_id) is None
    assert row.schedule is not None and row.schedule["timezone"] == answer.schedule.timezone
    assert row.updated_at is not None
    assert parse_timestamp(row.updated_at) == answer.updated_at
