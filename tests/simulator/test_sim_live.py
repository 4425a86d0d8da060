"""Time moves: new replies land and campaign numbers grow, consistently."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from tests.simulator.calls import KEY, campaigns, data


async def test_incoming_reply_lands_on_top_unread(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    workspace = app.state.simulator.workspace(KEY)
    before = await data(client, "GET", "/unibox/conversations", params={"page_size": 100})
    for _ in range(12):
        landed = workspace.add_incoming_reply()
        after = await data(client, "GET", "/unibox/conversations", params={"page_size": 100})
        latest = after[0]["messages"][-1]["email_date"]
        conversation = next(c for c in after if c["id"] == landed)
        newest = conversation["messages"][-1]
        assert (
            newest["email_date"] == latest == max(m["email_date"] for m in conversation["messages"])
        )
        assert newest["direction"] == "incoming" and newest["is_read"] is False
    new_threads = sum(1 for c in after if c["id"] not in {b["id"] for b in before})
    total = sum(len(c["messages"]) for c in after)
    assert total == sum(len(c["messages"]) for c in before) + 12 + new_threads


async def test_time_moving_keeps_campaign_numbers_consistent(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    workspace = app.state.simulator.workspace(KEY)
    before = {c["id"]: c["stats"] for c in await campaigns(client)}
    for _ in range(40):
        workspace.add_incoming_reply()
        workspace.grow_campaigns()
    grew = False
    for campaign in await campaigns(client):
        stats = (await data(client, "GET", f"/campaigns/{campaign['id']}"))["stats"]
        assert stats["sent"] >= stats["contacted"] >= stats["replies"]
        assert sum(day["sent"] for day in stats["daily"]) <= stats["sent"]
        assert sum(day["replies"] for day in stats["daily"]) <= stats["replies"]
        variants = [v for step in stats["sequences"] for v in step["variants"]]
        assert sum(v["sent"] for v in variants) == stats["sent"]
        if campaign["status"] == "active":
            grew = grew or stats["sent"] > before[campaign["id"]]["sent"]
        else:
            assert stats["sent"] == before[campaign["id"]]["sent"]
    assert grew
