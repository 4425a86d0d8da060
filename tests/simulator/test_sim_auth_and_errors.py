"""Authentication, workspaces per key, and the error envelope for every kind of failure."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from tests.simulator.calls import KEY, OTHER_KEY, assert_error, call, client_for, data


@pytest.mark.parametrize(
    ("headers", "params"),
    [
        ({"Authorization": f"Bearer {KEY}"}, {}),
        ({"X-API-Key": KEY}, {}),
        ({}, {"api_key": KEY}),
    ],
)
async def test_api_key_is_accepted_as_bearer_header_or_query(
    app: Starlette, headers: dict[str, str], params: dict[str, str]
) -> None:
    async with client_for(app, key=None) as anonymous:
        response = await call(anonymous, "GET", "/campaigns", headers=headers, params=params)
    assert response.status_code == 200
    assert response.json()["data"]


async def test_missing_api_key_is_401_with_error_body(app: Starlette) -> None:
    async with client_for(app, key=None) as anonymous:
        assert_error(await call(anonymous, "GET", "/campaigns"), 401)


async def test_wrong_api_key_is_401_and_never_echoed(app: Starlette) -> None:
    async with client_for(app, key="not-the-key-123") as wrong:
        body = assert_error(await call(wrong, "GET", "/inboxes"), 401)
    assert "not-the-key-123" not in str(body)


async def test_request_log_never_holds_the_api_key(app: Starlette) -> None:
    async with client_for(app, key=None) as anonymous:
        await call(anonymous, "GET", "/campaigns", params={"api_key": KEY, "page": "1"})
    record = app.state.simulator.requests[-1]
    assert record.status == 200 and record.query == "page=1"
    assert KEY not in repr(app.state.simulator.requests)


async def test_each_key_has_its_own_workspace_and_foreign_ids_are_404(app: Starlette) -> None:
    async with client_for(app, KEY) as mine, client_for(app, OTHER_KEY) as theirs:
        my_campaign = (await data(mine, "GET", "/campaigns"))[0]
        their_ids = {c["id"] for c in await data(theirs, "GET", "/campaigns")}
        assert my_campaign["id"] not in their_ids
        assert_error(await call(theirs, "GET", f"/campaigns/{my_campaign['id']}"), 404)
        conversation = (await data(mine, "GET", "/unibox/conversations"))[0]
        assert_error(await call(theirs, "GET", f"/unibox/conversations/{conversation['id']}"), 404)


async def test_unknown_route_is_404_json(client: httpx.AsyncClient) -> None:
    assert_error(await call(client, "GET", "/no-such-thing"), 404)
    assert_error(await client.get("/elsewhere"), 404)
    assert_error(await call(client, "GET", "/campaigns/"), 404)


async def test_wrong_method_is_405_json_with_allow(client: httpx.AsyncClient) -> None:
    response = await call(client, "PUT", "/campaigns")
    assert_error(response, 405)
    assert "POST" in response.headers["allow"]


async def test_invalid_json_body_is_400(client: httpx.AsyncClient) -> None:
    response = await call(
        client,
        "POST",
        "/campaigns",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert_error(response, 400)


async def test_json_body_that_is_not_an_object_is_400(client: httpx.AsyncClient) -> None:
    assert_error(await call(client, "POST", "/campaigns", json=["name"]), 400)


async def test_unknown_body_field_is_422_naming_it(client: httpx.AsyncClient) -> None:
    body = assert_error(
        await call(client, "POST", "/campaigns", json={"name": "x", "colour": 1}), 422
    )
    assert body["details"] == {"colour": "unknown field"}


async def test_validation_error_names_every_bad_field(client: httpx.AsyncClient) -> None:
    campaign = (await data(client, "GET", "/campaigns"))[0]
    response = await call(
        client,
        "PATCH",
        f"/campaigns/{campaign['id']}",
        json={"daily_limit": -1, "text_only": "yes"},
    )
    body = assert_error(response, 422)
    assert set(body["details"]) == {"daily_limit", "text_only"}
