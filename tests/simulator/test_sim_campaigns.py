"""Campaigns: create, update (all-or-nothing, transitions, launch rules), list, show,
analytics, delete."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from tests.simulator.calls import (
    assert_error,
    call,
    campaigns,
    data,
    first_campaign,
    inbox_ids,
    new_campaign,
)


async def test_new_campaign_is_a_draft_with_one_step_and_one_empty_variant(
    client: httpx.AsyncClient,
) -> None:
    campaign = await new_campaign(client, "Launch list")
    assert campaign["status"] == "draft" and campaign["name"] == "Launch list"
    assert campaign["stats"]["sequence_steps"] == 1 and campaign["inboxes"] == []
    steps = await data(client, "GET", f"/campaigns/{campaign['id']}/sequences")
    assert len(steps) == 1 and steps[0]["step"] == 1 and steps[0]["delay_days"] is None
    (variant,) = steps[0]["variants"]
    assert variant["letter"] == "A" and variant["enabled"] is True
    assert variant["subject"] is None and variant["body_html"] is None


async def test_campaign_dates_are_iso_utc_with_z(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    for field in ("created_at", "updated_at"):
        assert campaign[field].endswith("Z")
        dt.datetime.strptime(campaign[field], "%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    "body", [{}, {"name": ""}, {"name": "   "}, {"name": 5}, {"name": "x" * 151}]
)
async def test_campaign_name_is_required_non_empty_and_at_most_150(
    client: httpx.AsyncClient, body: dict[str, object]
) -> None:
    result = assert_error(await call(client, "POST", "/campaigns", json=body), 422)
    assert "name" in result["details"]


async def test_campaign_name_of_150_characters_is_accepted(client: httpx.AsyncClient) -> None:
    assert (await new_campaign(client, "x" * 150))["name"] == "x" * 150


async def test_patch_is_all_or_nothing(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client, "Before")
    response = await call(
        client, "PATCH", f"/campaigns/{campaign['id']}", json={"name": "After", "daily_limit": -5}
    )
    assert_error(response, 422)
    unchanged = await data(client, "GET", f"/campaigns/{campaign['id']}")
    assert unchanged["name"] == "Before"
    assert unchanged["options"]["daily_limit"] == campaign["options"]["daily_limit"]


async def test_patch_updates_name_and_options_together(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    changed = await data(
        client,
        "PATCH",
        f"/campaigns/{campaign['id']}",
        json={"name": "Renamed", "daily_limit": 0, "text_only": True, "esp_matching": True},
    )
    assert changed["name"] == "Renamed"
    assert changed["options"]["daily_limit"] == 0
    assert changed["options"]["text_only"] is True and changed["options"]["esp_matching"] is True
    assert changed["updated_at"] >= campaign["updated_at"]


@pytest.mark.parametrize("value", [-1, 1.5, "10", True, None])
async def test_daily_limit_must_be_an_integer_at_least_0(
    client: httpx.AsyncClient, value: object
) -> None:
    campaign = await new_campaign(client)
    response = await call(
        client, "PATCH", f"/campaigns/{campaign['id']}", json={"daily_limit": value}
    )
    assert "daily_limit" in assert_error(response, 422)["details"]


@pytest.mark.parametrize("value", [1, "true", None])
async def test_option_flags_must_be_booleans(client: httpx.AsyncClient, value: object) -> None:
    campaign = await new_campaign(client)
    response = await call(
        client, "PATCH", f"/campaigns/{campaign['id']}", json={"stop_on_reply": value}
    )
    assert "stop_on_reply" in assert_error(response, 422)["details"]


async def _launchable(client: httpx.AsyncClient) -> dict[str, object]:
    campaign = await new_campaign(client)
    inbox = (await inbox_ids(client))[0]
    await data(
        client, "POST", f"/campaigns/{campaign['id']}/inboxes/attach", json={"inbox_ids": [inbox]}
    )
    return campaign


async def test_status_moves_draft_active_paused_active(client: httpx.AsyncClient) -> None:
    campaign = await _launchable(client)
    path = f"/campaigns/{campaign['id']}"
    for status in ("active", "paused", "active"):
        assert (await data(client, "PATCH", path, json={"status": status}))["status"] == status


@pytest.mark.parametrize(
    ("moves", "refused"),
    [
        ((), "paused"),  # draft -> paused
        ((), "draft"),  # nothing goes to draft
        (("active",), "draft"),
        (("active", "paused"), "draft"),
        ((), "archived"),
    ],
)
async def test_invalid_status_transitions_are_422(
    client: httpx.AsyncClient, moves: tuple[str, ...], refused: str
) -> None:
    campaign = await _launchable(client)
    path = f"/campaigns/{campaign['id']}"
    for status in moves:
        await data(client, "PATCH", path, json={"status": status})
    body = assert_error(await call(client, "PATCH", path, json={"status": refused}), 422)
    assert "status" in body["details"]


async def test_launch_without_an_inbox_says_the_inbox_is_missing(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    response = await call(
        client, "PATCH", f"/campaigns/{campaign['id']}", json={"status": "active"}
    )
    body = assert_error(response, 422)
    assert "inbox" in body["error"] and "inboxes" in body["details"]
    assert "variants" not in body["details"]


async def test_launch_without_an_enabled_variant_says_so(client: httpx.AsyncClient) -> None:
    campaign = await _launchable(client)
    (step,) = await data(client, "GET", f"/campaigns/{campaign['id']}/sequences")
    await call(client, "DELETE", f"/campaigns/{campaign['id']}/sequences/{step['id']}")
    response = await call(
        client, "PATCH", f"/campaigns/{campaign['id']}", json={"status": "active"}
    )
    body = assert_error(response, 422)
    assert "variant" in body["error"] and "variants" in body["details"]
    assert "inboxes" not in body["details"]


async def test_list_items_omit_daily_and_sequences_from_stats(client: httpx.AsyncClient) -> None:
    for campaign in await campaigns(client):
        assert "daily" not in campaign["stats"] and "sequences" not in campaign["stats"]
        assert {"sent", "contacted", "replies", "reply_rate", "bounce_rate"} <= set(
            campaign["stats"]
        )


async def test_show_includes_daily_and_sequences(client: httpx.AsyncClient) -> None:
    campaign = await first_campaign(client, "active")
    shown = await data(client, "GET", f"/campaigns/{campaign['id']}")
    assert len(shown["stats"]["daily"]) == 30
    assert len(shown["stats"]["sequences"]) == shown["stats"]["sequence_steps"]
    assert shown["inboxes"] and set(shown["inboxes"][0]) == {
        "id",
        "email",
        "provider",
        "is_active",
        "connection_status",
    }


async def test_analytics_cover_30_days_ending_today(client: httpx.AsyncClient) -> None:
    campaign = await first_campaign(client, "active")
    analytics = await data(client, "GET", f"/campaigns/{campaign['id']}/analytics")
    dates = [point["date"] for point in analytics["daily"]]
    today = dt.datetime.now(dt.UTC).date()
    assert dates == [str(today - dt.timedelta(days=n)) for n in range(29, -1, -1)]
    variants = [v for step in analytics["sequences"] for v in step["variants"]]
    assert sum(v["sent"] for v in variants) == analytics["sent"]
    assert sum(v["replies"] for v in variants) == analytics["replies"]
    assert {"id", "enabled", "sent", "replies", "reply_rate", "positive_replies"} <= set(
        variants[0]
    )


async def test_delete_cascades_to_sequences_leads_and_schedule(client: httpx.AsyncClient) -> None:
    campaign = await first_campaign(client, "active")
    path = f"/campaigns/{campaign['id']}"
    lead = (await data(client, "GET", f"{path}/leads"))[0]
    response = await call(client, "DELETE", path)
    assert response.status_code == 204 and response.content == b""
    for sub in ("", "/sequences", "/leads", f"/leads/{lead['id']}", "/analytics"):
        assert_error(await call(client, "GET", f"{path}{sub}"), 404)
    assert_error(await call(client, "PATCH", f"{path}/schedule", json={}), 404)
    assert campaign["id"] not in {c["id"] for c in await campaigns(client)}


async def test_deleting_a_campaign_unlinks_its_conversations(client: httpx.AsyncClient) -> None:
    conversations = await data(client, "GET", "/unibox/conversations", params={"page_size": 100})
    linked = next(c for c in conversations if c["lead_id"])
    owner = None
    for campaign in await campaigns(client):
        response = await call(
            client, "GET", f"/campaigns/{campaign['id']}/leads/{linked['lead_id']}"
        )
        if response.status_code == 200:
            owner = campaign
    assert owner is not None
    await call(client, "DELETE", f"/campaigns/{owner['id']}")
    shown = await data(client, "GET", f"/unibox/conversations/{linked['id']}")
    assert shown["lead_id"] is None
