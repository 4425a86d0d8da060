"""The seeded workspace: deterministic, consistent numbers, and hostile content on purpose."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

import httpx
from starlette.applications import Starlette

from outreach_tui.simulator import create_app
from outreach_tui.simulator.mergetags import merge_tag_error_offset
from tests.simulator.calls import KEY, OTHER_KEY, campaigns, client_for, data


async def _snapshot(app: Starlette, key: str = KEY) -> str:
    async with client_for(app, key) as client:
        parts = [
            await data(client, "GET", "/campaigns", params={"page_size": 100}),
            await data(client, "GET", "/inboxes", params={"page_size": 100}),
            await data(client, "GET", "/unibox/conversations", params={"page_size": 100}),
            await data(client, "GET", "/blocklist", params={"page_size": 100}),
        ]
    return json.dumps(parts, sort_keys=True)


async def test_same_seed_gives_the_same_workspace() -> None:
    first, second = (create_app(api_keys=[KEY], size=40, seed=11) for _ in range(2))
    assert await _snapshot(first) == await _snapshot(second)
    third = create_app(api_keys=[KEY], size=40, seed=12)
    assert await _snapshot(third) != await _snapshot(first)


async def test_each_key_gets_a_different_workspace(app: Starlette) -> None:
    assert await _snapshot(app, KEY) != await _snapshot(app, OTHER_KEY)


async def test_size_is_the_number_of_conversations() -> None:
    app = create_app(api_keys=[KEY], size=33, seed=1)
    async with client_for(app) as client:
        response = await client.get("/api/v1/unibox/conversations")
    assert response.json()["metadata"]["total_count"] == 33


async def test_seeded_campaign_numbers_are_consistent(client: httpx.AsyncClient) -> None:
    statuses = set()
    for campaign in await campaigns(client):
        statuses.add(campaign["status"])
        stats = (await data(client, "GET", f"/campaigns/{campaign['id']}"))["stats"]
        assert stats["sent"] >= stats["contacted"] >= stats["replies"] >= stats["positive_replies"]
        assert stats["leads_count"] >= stats["contacted"] and stats["bounced"] <= stats["sent"]
        assert sum(day["sent"] for day in stats["daily"]) <= stats["sent"]
        assert sum(day["replies"] for day in stats["daily"]) <= stats["replies"]
        for rate, part, whole in (
            ("reply_rate", "replies", "contacted"),
            ("positive_reply_rate", "positive_replies", "replies"),
            ("bounce_rate", "bounced", "sent"),
        ):
            expected = round(100 * stats[part] / stats[whole], 2) if stats[whole] else 0
            assert stats[rate] == expected
        variants = [v for step in stats["sequences"] for v in step["variants"]]
        assert sum(v["sent"] for v in variants) == stats["sent"]
        assert sum(v["replies"] for v in variants) == stats["replies"]
        assert sum(v["positive_replies"] for v in variants) == stats["positive_replies"]
        assert all(v["sent"] >= v["replies"] >= v["positive_replies"] for v in variants)
        leads = await client.get(f"/api/v1/campaigns/{campaign['id']}/leads")
        assert leads.json()["metadata"]["total_count"] == stats["leads_count"]
        if campaign["status"] != "draft":
            assert 3 <= stats["sequence_steps"] <= 4 and campaign["inboxes"]
    assert statuses == {"draft", "active", "paused"}


async def test_seeded_conversations_link_to_real_leads(client: httpx.AsyncClient) -> None:
    conversations = await data(client, "GET", "/unibox/conversations", params={"page_size": 100})
    lead_ids = {c["lead_id"] for c in conversations if c["lead_id"]}
    assert lead_ids and any(c["lead_id"] is None for c in conversations)
    found = set()
    for campaign in await campaigns(client):
        for lead_id in lead_ids:
            response = await client.get(f"/api/v1/campaigns/{campaign['id']}/leads/{lead_id}")
            if response.status_code == 200:
                found.add(lead_id)
                assert response.json()["data"]["status"] == "replied"
    assert found == lead_ids


async def test_seeded_threads_are_realistic_and_varied(client: httpx.AsyncClient) -> None:
    conversations = await data(client, "GET", "/unibox/conversations", params={"page_size": 100})
    sizes = {len(c["messages"]) for c in conversations}
    assert min(sizes) >= 1 and max(sizes) <= 6 and len(sizes) >= 4
    messages = [m for c in conversations for m in c["messages"]]
    assert {m["direction"] for m in messages} == {"incoming", "outgoing"}
    assert {m["is_read"] for m in messages} == {True, False}
    assert any("gmail_quote" in m["html_body"] for m in messages)
    assert any("<img" in m["html_body"] for m in messages)
    assert len({c["label"] for c in conversations}) >= 8
    for conversation in conversations:
        dates = [m["email_date"] for m in conversation["messages"]]
        assert dates == sorted(dates)
        directions = [m["direction"] for m in conversation["messages"]]
        assert all(a != b for a, b in itertools.pairwise(directions))


async def test_seeded_variants_use_valid_merge_tags_and_spintax(client: httpx.AsyncClient) -> None:
    bodies = []
    for campaign in await campaigns(client):
        for step in await data(client, "GET", f"/campaigns/{campaign['id']}/sequences"):
            for variant in step["variants"]:
                for text in (variant["subject"], variant["body_html"]):
                    if text:
                        assert merge_tag_error_offset(text) is None
                        bodies.append(text)
    joined = "\n".join(bodies)
    assert "{{SPINTAX|" in joined and "{{LOOM|" in joined and "{{first_name" in joined


async def test_seeded_inboxes_tell_their_stories(client: httpx.AsyncClient) -> None:
    inboxes = await data(client, "GET", "/inboxes", params={"page_size": 100})
    assert {i["provider"] for i in inboxes} == {"google", "microsoft", "other"}
    assert {"error", "pending", "connected"} <= {i["connection_status"] for i in inboxes}
    scores = [
        (await data(client, "GET", f"/inboxes/{i['id']}/warmup/stats"))["health_score"]
        for i in inboxes
        if i["connection_status"] != "pending"
    ]
    assert min(scores) < 70 and max(scores) >= 90


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


async def test_hostile_content_is_seeded_on_purpose(client: httpx.AsyncClient) -> None:
    conversations = await data(client, "GET", "/unibox/conversations", params={"page_size": 100})
    text = "\n".join(_strings(conversations))
    assert "\x1b[" in text and "\x1b]8;;" in text and "\x07" in text and "\x9b" in text
    assert (
        "[bold red]" in text
        and "[link=https://evil.example]" in text
        and "[@click=app.quit]" in text
    )
    assert '<a href="https://evil.example/login">https://bank.example</a>' in text
    names = [r["name"] for c in conversations for m in c["messages"] for r in m["to_recipients"]]
    assert any("\u202e" in name for name in names)
    attachments = [a for c in conversations for m in c["messages"] for a in m["attachments"]]
    assert "../../.bashrc" in {a["filename"] for a in attachments}
    assert max(len(m["html_body"]) for c in conversations for m in c["messages"]) >= 1_000_000
    names = [c["name"] for c in await campaigns(client)]
    assert any("[bold red]" in name and "\x1b[" in name for name in names)
