"""Inboxes: show with campaigns, PATCH bounds and types, warmup statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from tests.simulator.calls import assert_error, call, data, first_campaign, inbox_ids

INBOX_FIELDS = {
    "id",
    "email",
    "domain",
    "provider",
    "connection_type",
    "connection_status",
    "first_name",
    "last_name",
    "reply_to",
    "signature",
    "is_active",
    "is_warming",
    "daily_campaign_limit",
    "daily_warmup_limit",
    "created_at",
    "updated_at",
}


async def test_inbox_list_and_show_projections(client: httpx.AsyncClient) -> None:
    inboxes = await data(client, "GET", "/inboxes")
    assert all(set(inbox) == INBOX_FIELDS for inbox in inboxes)
    campaign = await first_campaign(client, "active")
    attached = campaign["inboxes"][0]["id"]
    shown = await data(client, "GET", f"/inboxes/{attached}")
    assert set(shown) == INBOX_FIELDS | {"campaigns"}
    assert campaign["id"] in {c["id"] for c in shown["campaigns"]}
    assert set(shown["campaigns"][0]) == {"id", "name", "status", "created_at", "updated_at"}


@pytest.mark.parametrize(
    "body",
    [
        {"daily_campaign_limit": 0},
        {"daily_campaign_limit": 501},
        {"daily_warmup_limit": 0},
        {"daily_warmup_limit": 101},
        {"daily_warmup_limit": "10"},
        {"is_active": "false"},
        {"is_warming": 0},
        {"first_name": None},
        {"reply_to": "not an email"},
        {"email": "x@y.example"},
    ],
)
async def test_inbox_patch_checks_bounds_and_types(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    inbox = (await inbox_ids(client))[0]
    response = await call(client, "PATCH", f"/inboxes/{inbox}", json=body)
    assert set(assert_error(response, 422)["details"]) == set(body)


async def test_inbox_patch_accepts_the_bounds(client: httpx.AsyncClient) -> None:
    inbox = (await inbox_ids(client))[0]
    for body in (
        {"daily_campaign_limit": 1, "daily_warmup_limit": 1},
        {"daily_campaign_limit": 500, "daily_warmup_limit": 100},
    ):
        updated = await data(client, "PATCH", f"/inboxes/{inbox}", json=body)
        assert {key: updated[key] for key in body} == body


async def test_inbox_patch_empty_reply_to_clears_it(client: httpx.AsyncClient) -> None:
    inbox = (await inbox_ids(client))[0]
    set_ = await data(client, "PATCH", f"/inboxes/{inbox}", json={"reply_to": "r@x.example"})
    assert set_["reply_to"] == "r@x.example"
    cleared = await data(client, "PATCH", f"/inboxes/{inbox}", json={"reply_to": ""})
    assert cleared["reply_to"] == ""


async def test_inbox_patch_is_all_or_nothing(client: httpx.AsyncClient) -> None:
    inbox = (await inbox_ids(client))[0]
    before = await data(client, "GET", f"/inboxes/{inbox}")
    response = await call(
        client, "PATCH", f"/inboxes/{inbox}", json={"first_name": "Zed", "daily_warmup_limit": 0}
    )
    assert_error(response, 422)
    assert (await data(client, "GET", f"/inboxes/{inbox}"))["first_name"] == before["first_name"]


async def test_inbox_patch_applies_and_bumps_updated_at(client: httpx.AsyncClient) -> None:
    inbox = (await inbox_ids(client))[0]
    before = await data(client, "GET", f"/inboxes/{inbox}")
    updated = await data(
        client,
        "PATCH",
        f"/inboxes/{inbox}",
        json={"is_active": not before["is_active"], "signature": "<p>Bye</p>", "last_name": ""},
    )
    assert updated["is_active"] is not before["is_active"]
    assert updated["signature"] == "<p>Bye</p>" and updated["last_name"] == ""
    assert updated["updated_at"] > before["updated_at"]


async def test_warmup_stats_cover_7_days_with_consistent_health(client: httpx.AsyncClient) -> None:
    today = dt.datetime.now(dt.UTC).date()
    scores = []
    for inbox in await inbox_ids(client):
        stats = await data(client, "GET", f"/inboxes/{inbox}/warmup/stats")
        dates = [point["date"] for point in stats["daily"]]
        assert dates == [str(today - dt.timedelta(days=n)) for n in range(6, -1, -1)]
        sent = sum(point["sent"] for point in stats["daily"])
        spam = sum(point["spam_count"] for point in stats["daily"])
        assert stats["sent"] == sent and 0 <= stats["saved_from_spam"] <= spam
        expected = round(100 * (sent - spam) / sent) if sent else 0
        assert stats["health_score"] == expected and 0 <= stats["ramp_up_progress"] <= 100
        scores.append(stats["health_score"])
    assert min(scores) < 70 < max(scores)


async def test_unknown_inbox_is_404(client: httpx.AsyncClient) -> None:
    assert_error(await call(client, "GET", "/inboxes/nope/warmup/stats"), 404)
