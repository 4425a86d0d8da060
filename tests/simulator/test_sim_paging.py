"""Pagination, sorting and search of the list endpoints."""

from __future__ import annotations

import math

import httpx
import pytest

from tests.simulator.calls import assert_error, call, data, first_campaign


async def test_metadata_counts_pages(client: httpx.AsyncClient) -> None:
    response = await call(client, "GET", "/unibox/conversations", params={"page_size": 7})
    metadata = response.json()["metadata"]
    assert metadata["page"] == 1 and metadata["page_size"] == 7
    assert metadata["total_count"] == 80
    assert metadata["total_pages"] == math.ceil(80 / 7)
    assert len(response.json()["data"]) == 7


async def test_default_page_sizes_are_20_for_conversations_and_30_elsewhere(
    client: httpx.AsyncClient,
) -> None:
    conversations = await call(client, "GET", "/unibox/conversations")
    assert conversations.json()["metadata"]["page_size"] == 20
    campaign = await first_campaign(client, "active")
    leads = await call(client, "GET", f"/campaigns/{campaign['id']}/leads")
    assert leads.json()["metadata"]["page_size"] == 30
    assert len(leads.json()["data"]) == min(30, leads.json()["metadata"]["total_count"])


async def test_page_size_above_100_is_clamped_and_echoed(client: httpx.AsyncClient) -> None:
    response = await call(client, "GET", "/unibox/conversations", params={"page_size": 500})
    assert response.json()["metadata"]["page_size"] == 100
    assert response.json()["metadata"]["total_pages"] == 1


@pytest.mark.parametrize(
    "params", [{"page": "0"}, {"page": "x"}, {"page_size": "0"}, {"page_size": "-3"}]
)
async def test_page_and_page_size_must_be_positive_integers(
    client: httpx.AsyncClient, params: dict[str, str]
) -> None:
    body = assert_error(await call(client, "GET", "/inboxes", params=params), 422)
    assert set(body["details"]) == set(params)


async def test_page_past_the_end_is_empty_with_correct_metadata(client: httpx.AsyncClient) -> None:
    response = await call(
        client, "GET", "/unibox/conversations", params={"page": 99, "page_size": 10}
    )
    assert response.status_code == 200
    assert response.json() == {
        "data": [],
        "metadata": {"page": 99, "page_size": 10, "total_count": 80, "total_pages": 8},
    }


async def test_empty_list_has_zero_pages(client: httpx.AsyncClient) -> None:
    response = await call(client, "GET", "/blocklist", params={"search": "nothing-matches-this"})
    assert response.json()["metadata"] == {
        "page": 1,
        "page_size": 30,
        "total_count": 0,
        "total_pages": 0,
    }


async def test_default_order_is_created_at_ascending(client: httpx.AsyncClient) -> None:
    for path in ("/campaigns", "/inboxes", "/blocklist"):
        items = await data(client, "GET", path, params={"page_size": 100})
        keys = [(item["created_at"], item["id"]) for item in items]
        assert keys == sorted(keys), path


async def test_sort_by_and_sort_order(client: httpx.AsyncClient) -> None:
    items = await data(
        client, "GET", "/campaigns", params={"sort_by": "name", "sort_order": "desc"}
    )
    names = [item["name"].casefold() for item in items]
    assert names == sorted(names, reverse=True)


async def test_sort_by_outside_the_allowlist_is_422(client: httpx.AsyncClient) -> None:
    body = assert_error(await call(client, "GET", "/campaigns", params={"sort_by": "secret"}), 422)
    assert "sort_by" in body["details"]


async def test_sort_order_must_be_asc_or_desc(client: httpx.AsyncClient) -> None:
    body = assert_error(await call(client, "GET", "/inboxes", params={"sort_order": "up"}), 422)
    assert "sort_order" in body["details"]


async def test_paging_through_a_list_yields_each_item_once(client: httpx.AsyncClient) -> None:
    campaign = await first_campaign(client, "active")
    seen: list[str] = []
    page = 1
    while True:
        items = await data(
            client,
            "GET",
            f"/campaigns/{campaign['id']}/leads",
            params={"page": page, "page_size": 9},
        )
        if not items:
            break
        seen += [item["id"] for item in items]
        page += 1
    assert len(seen) == len(set(seen)) == campaign["stats"]["leads_count"]


async def test_search_is_a_case_insensitive_substring(client: httpx.AsyncClient) -> None:
    found = await data(client, "GET", "/blocklist", params={"search": "GLOBEX"})
    assert [entry["email"] for entry in found] == ["Procurement@Globex.example"]
    inboxes = await data(client, "GET", "/inboxes", params={"search": "NORTHWIND-MAIL"})
    assert inboxes and all("northwind-mail" in inbox["email"] for inbox in inboxes)
