"""Campaign inboxes (attach/detach), sequence steps and variants."""

from __future__ import annotations

import httpx
import pytest

from tests.simulator.calls import (
    OTHER_KEY,
    assert_error,
    call,
    client_for,
    data,
    inbox_ids,
    new_campaign,
)


async def test_inbox_attach_is_idempotent_deduped_and_answers_the_full_set(
    client: httpx.AsyncClient,
) -> None:
    campaign = await new_campaign(client)
    first, second = (await inbox_ids(client))[:2]
    path = f"/campaigns/{campaign['id']}/inboxes/attach"
    attached = await data(client, "POST", path, json={"inbox_ids": [first, first]})
    assert [inbox["id"] for inbox in attached] == [first]
    attached = await data(client, "POST", path, json={"inbox_ids": [second, first]})
    assert [inbox["id"] for inbox in attached] == [first, second]
    shown = await data(client, "GET", f"/campaigns/{campaign['id']}")
    assert [inbox["id"] for inbox in shown["inboxes"]] == [first, second]


async def test_inbox_attach_with_an_unknown_or_foreign_id_is_404_and_changes_nothing(
    app: object, client: httpx.AsyncClient
) -> None:
    campaign = await new_campaign(client)
    mine = (await inbox_ids(client))[0]
    async with client_for(app, OTHER_KEY) as other:  # type: ignore[arg-type]
        foreign = (await inbox_ids(other))[0]
    for bad in (foreign, "00000000-0000-4000-8000-000000000000"):
        response = await call(
            client,
            "POST",
            f"/campaigns/{campaign['id']}/inboxes/attach",
            json={"inbox_ids": [mine, bad]},
        )
        assert_error(response, 404)
    assert (await data(client, "GET", f"/campaigns/{campaign['id']}"))["inboxes"] == []


async def test_inbox_detach_is_idempotent_and_all_or_nothing(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    first, second, third = (await inbox_ids(client))[:3]
    base = f"/campaigns/{campaign['id']}/inboxes"
    await data(client, "POST", f"{base}/attach", json={"inbox_ids": [first, second]})
    assert_error(
        await call(client, "POST", f"{base}/detach", json={"inbox_ids": [first, "nope"]}), 404
    )
    remaining = await data(client, "POST", f"{base}/detach", json={"inbox_ids": [first, third]})
    assert [inbox["id"] for inbox in remaining] == [second]
    again = await data(client, "POST", f"{base}/detach", json={"inbox_ids": [first]})
    assert [inbox["id"] for inbox in again] == [second]


@pytest.mark.parametrize("body", [{}, {"inbox_ids": []}, {"inbox_ids": "x"}, {"inbox_ids": [1]}])
async def test_inbox_attach_needs_a_list_of_ids(
    client: httpx.AsyncClient, body: dict[str, object]
) -> None:
    campaign = await new_campaign(client)
    response = await call(client, "POST", f"/campaigns/{campaign['id']}/inboxes/attach", json=body)
    assert "inbox_ids" in assert_error(response, 422)["details"]


async def test_new_step_is_appended_with_default_delay_and_null_on_the_last(
    client: httpx.AsyncClient,
) -> None:
    campaign = await new_campaign(client)
    path = f"/campaigns/{campaign['id']}/sequences"
    created = await data(client, "POST", path)
    assert created["step"] == 2 and created["delay_days"] is None
    assert [v["letter"] for v in created["variants"]] == ["A"]
    steps = await data(client, "GET", path)
    assert [(s["step"], s["delay_days"]) for s in steps] == [(1, 3), (2, None)]


async def test_previous_last_step_gets_its_delay_back(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    path = f"/campaigns/{campaign['id']}/sequences"
    await data(client, "POST", path, json={"delay_days": 5})
    await data(client, "POST", path, json={"delay_days": 1})
    steps = await data(client, "GET", path)
    assert [s["delay_days"] for s in steps] == [3, 5, None]


async def test_steps_are_renumbered_contiguously_on_delete(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    path = f"/campaigns/{campaign['id']}/sequences"
    for _ in range(3):
        await data(client, "POST", path)
    steps = await data(client, "GET", path)
    response = await call(client, "DELETE", f"{path}/{steps[1]['id']}")
    assert response.status_code == 204
    after = await data(client, "GET", path)
    assert [s["step"] for s in after] == [1, 2, 3]
    assert [s["id"] for s in after] == [steps[0]["id"], steps[2]["id"], steps[3]["id"]]


async def test_step_delay_patch_requires_an_integer_at_least_0(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    path = f"/campaigns/{campaign['id']}/sequences"
    first = (await data(client, "GET", path))[0]
    await data(client, "POST", path)
    for bad in ({}, {"delay_days": -1}, {"delay_days": "2"}, {"delay_days": None}):
        response = await call(client, "PATCH", f"{path}/{first['id']}", json=bad)
        assert "delay_days" in assert_error(response, 422)["details"]
    updated = await data(client, "PATCH", f"{path}/{first['id']}", json={"delay_days": 0})
    assert updated["delay_days"] == 0 and updated["step"] == 1


async def test_sequence_of_another_campaign_is_404(client: httpx.AsyncClient) -> None:
    one, two = await new_campaign(client, "one"), await new_campaign(client, "two")
    step = (await data(client, "GET", f"/campaigns/{one['id']}/sequences"))[0]
    response = await call(
        client, "PATCH", f"/campaigns/{two['id']}/sequences/{step['id']}", json={"delay_days": 1}
    )
    assert_error(response, 404)
