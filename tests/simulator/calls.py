"""Small helpers to call the simulator through httpx in tests."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

KEY = "K"
OTHER_KEY = "K2"


def client_for(app: Starlette, key: str | None = KEY) -> httpx.AsyncClient:
    """An httpx client talking to `app` in-process with `key` as Bearer token."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sim", headers=headers
    )


async def call(client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """Call the API under /api/v1 and return the raw response."""
    return await client.request(method, f"/api/v1{path}", **kwargs)


async def data(client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> Any:
    """Call the API, insist on a 2xx answer, return its `data`."""
    response = await call(client, method, path, **kwargs)
    assert response.is_success, (response.status_code, response.text)
    return response.json()["data"]


async def campaigns(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    """Every campaign of the workspace."""
    return await data(client, "GET", "/campaigns", params={"page_size": 100})


async def first_campaign(client: httpx.AsyncClient, status: str | None = None) -> dict[str, Any]:
    """The first campaign (optionally the first with a given status)."""
    return next(c for c in await campaigns(client) if status is None or c["status"] == status)


async def new_campaign(client: httpx.AsyncClient, name: str = "Test campaign") -> dict[str, Any]:
    """A fresh draft campaign."""
    return await data(client, "POST", "/campaigns", json={"name": name})


async def inbox_ids(client: httpx.AsyncClient) -> list[str]:
    """Ids of every inbox, in listing order."""
    return [i["id"] for i in await data(client, "GET", "/inboxes", params={"page_size": 100})]


def assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    """The answer has `status` and the error envelope; returns the body."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    assert "\n" not in body["error"]
    return body
