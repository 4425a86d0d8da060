"""Leads (create with if_exists, variables, enums) and the blocklist."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.simulator.calls import assert_error, call, data, first_campaign, new_campaign

LEAD_FIELDS = {
    "id",
    "email",
    "first_name",
    "last_name",
    "status",
    "is_bounced",
    "is_unsubscribed",
    "provider",
    "variables",
    "created_at",
    "updated_at",
}


async def _add(client: httpx.AsyncClient, campaign_id: str, **body: Any) -> httpx.Response:
    return await call(client, "POST", f"/campaigns/{campaign_id}/leads", json=body)


async def test_new_lead_round_trips_its_variables(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    variables = {"company": "Acme", "role": "VP Sales", "score": 7, "tags": ["a", "b"]}
    response = await _add(
        client, campaign["id"], email="ada@acme.example", first_name="Ada", variables=variables
    )
    lead = response.json()["data"]
    assert set(lead) == LEAD_FIELDS
    assert lead["variables"] == variables and lead["first_name"] == "Ada"
    assert lead["status"] == "uncontacted" and lead["provider"] is None
    assert lead["is_bounced"] is False and lead["is_unsubscribed"] is False
    shown = await data(client, "GET", f"/campaigns/{campaign['id']}/leads/{lead['id']}")
    assert shown == lead


@pytest.mark.parametrize("email", [None, "", "not-an-email", "a@b", "two@@at.example", 5])
async def test_lead_email_is_required_and_plausible(
    client: httpx.AsyncClient, email: object
) -> None:
    campaign = await new_campaign(client)
    body = {} if email is None else {"email": email}
    response = await call(client, "POST", f"/campaigns/{campaign['id']}/leads", json=body)
    assert "email" in assert_error(response, 422)["details"]


async def test_existing_lead_with_if_exists_fail_is_409(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    first = (await _add(client, campaign["id"], email="bo@x.example")).json()["data"]
    for body in ({}, {"if_exists": "fail"}):
        response = await _add(client, campaign["id"], email="BO@X.example", **body)
        assert assert_error(response, 409)["details"]["lead_id"] == first["id"]


async def test_existing_lead_with_if_exists_skip_returns_it_unchanged(
    client: httpx.AsyncClient,
) -> None:
    campaign = await new_campaign(client)
    first = (await _add(client, campaign["id"], email="cy@x.example", first_name="Cy")).json()
    again = await _add(
        client, campaign["id"], email="cy@x.example", first_name="Other", if_exists="skip"
    )
    assert again.status_code == 200 and again.json()["data"] == first["data"]


async def test_existing_lead_with_if_exists_update_replaces_given_fields(
    client: httpx.AsyncClient,
) -> None:
    campaign = await new_campaign(client)
    first = (
        await _add(
            client, campaign["id"], email="di@x.example", last_name="Old", variables={"a": 1}
        )
    ).json()["data"]
    updated = (
        await _add(
            client, campaign["id"], email="di@x.example", variables={"b": 2}, if_exists="update"
        )
    ).json()["data"]
    assert updated["id"] == first["id"] and updated["variables"] == {"b": 2}
    assert updated["last_name"] == "Old"
    leads = await data(client, "GET", f"/campaigns/{campaign['id']}/leads")
    assert len(leads) == 1


@pytest.mark.parametrize(
    "body", [{"if_exists": "merge"}, {"variables": ["x"]}, {"first_name": 3}, {"id": "x"}]
)
async def test_lead_fields_are_type_checked(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    campaign = await new_campaign(client)
    response = await _add(client, campaign["id"], email="ed@x.example", **body)
    assert set(assert_error(response, 422)["details"]) == set(body)


async def test_seeded_leads_use_the_documented_enums(client: httpx.AsyncClient) -> None:
    campaign = await first_campaign(client, "active")
    leads = await data(
        client, "GET", f"/campaigns/{campaign['id']}/leads", params={"page_size": 100}
    )
    assert {lead["status"] for lead in leads} <= {"uncontacted", "contacted", "replied"}
    assert {lead["provider"] for lead in leads} <= {
        None,
        "other",
        "google",
        "microsoft",
        "yahoo",
        "zoho",
    }
    assert all(isinstance(lead["variables"], dict) for lead in leads)


async def test_lead_delete_then_404_and_leads_count_follows(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    lead = (await _add(client, campaign["id"], email="fi@x.example")).json()["data"]
    shown = await data(client, "GET", f"/campaigns/{campaign['id']}")
    assert shown["stats"]["leads_count"] == 1
    path = f"/campaigns/{campaign['id']}/leads/{lead['id']}"
    assert (await call(client, "DELETE", path)).status_code == 204
    assert_error(await call(client, "GET", path), 404)
    assert (await data(client, "GET", f"/campaigns/{campaign['id']}"))["stats"]["leads_count"] == 0


async def test_lead_of_another_campaign_is_404(client: httpx.AsyncClient) -> None:
    one, two = await new_campaign(client, "one"), await new_campaign(client, "two")
    lead = (await _add(client, one["id"], email="gu@x.example")).json()["data"]
    assert_error(await call(client, "GET", f"/campaigns/{two['id']}/leads/{lead['id']}"), 404)


async def test_lead_search_matches_email_and_names(client: httpx.AsyncClient) -> None:
    campaign = await new_campaign(client)
    await _add(client, campaign["id"], email="hal@x.example", first_name="Halvard")
    await _add(client, campaign["id"], email="ivy@x.example", first_name="Ivy")
    found = await data(
        client, "GET", f"/campaigns/{campaign['id']}/leads", params={"search": "HALV"}
    )
    assert [lead["email"] for lead in found] == ["hal@x.example"]


async def test_blocklist_add_list_check_and_delete(client: httpx.AsyncClient) -> None:
    entry = await data(client, "POST", "/blocklist", json={"email": "Spam@Example.com"})
    assert set(entry) == {"id", "email", "created_at"}
    check = await data(client, "GET", "/blocklist/check", params={"email": "spam@example.COM"})
    assert check == {"blocked": True}
    listed = await data(client, "GET", "/blocklist", params={"search": "spam@example"})
    assert [e["id"] for e in listed] == [entry["id"]]
    assert (await call(client, "DELETE", f"/blocklist/{entry['id']}")).status_code == 204
    check = await data(client, "GET", "/blocklist/check", params={"email": "spam@example.com"})
    assert check == {"blocked": False}
    assert_error(await call(client, "DELETE", f"/blocklist/{entry['id']}"), 404)


async def test_blocklist_duplicate_add_returns_the_existing_entry(
    client: httpx.AsyncClient,
) -> None:
    first = await data(client, "POST", "/blocklist", json={"email": "dup@example.com"})
    again = await data(client, "POST", "/blocklist", json={"email": "DUP@example.com"})
    assert again == first


@pytest.mark.parametrize("body", [{}, {"email": ""}, {"email": "nope"}, {"email": 1}])
async def test_blocklist_email_must_be_valid(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    assert (
        "email" in assert_error(await call(client, "POST", "/blocklist", json=body), 422)["details"]
    )


async def test_blocklist_check_needs_an_email(client: httpx.AsyncClient) -> None:
    assert "email" in assert_error(await call(client, "GET", "/blocklist/check"), 422)["details"]
