"""The API key stays secret; the base URL must be https or loopback; headers are right."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Awaitable, Callable

import httpx
import pytest

from outreach_tui import __version__
from outreach_tui.api import (
    AuthenticationError,
    ConflictError,
    ForbiddenError,
    InsecureBaseURLError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ReachkitClient,
    ReachkitError,
    RequestValidationError,
    ServerError,
    ServerValidationError,
    UncertainWriteError,
)
from tests.api.factories import API_KEY, MockServer, conversation_json, json_response, page_json

ECHO = {"error": f"bad key {API_KEY}", "details": {"field": API_KEY, "hint": [API_KEY]}}


def _assert_secret(error: BaseException) -> None:
    texts = [
        str(error),
        repr(error),
        getattr(error, "message", ""),
        "".join(traceback.format_exception(error)),
        json.dumps(getattr(error, "details", {})),
        str(getattr(error, "server_message", "")),
    ]
    for text in texts:
        assert API_KEY not in text, text


def _raising(exc: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


@pytest.mark.parametrize(
    ("handler", "call", "error_class"),
    [
        (lambda r: json_response(401, ECHO), lambda c: c.get_inbox("i"), AuthenticationError),
        (lambda r: json_response(403, ECHO), lambda c: c.get_inbox("i"), ForbiddenError),
        (lambda r: json_response(404, ECHO), lambda c: c.get_inbox("i"), NotFoundError),
        (lambda r: json_response(409, ECHO), lambda c: c.get_inbox("i"), ConflictError),
        (lambda r: json_response(422, ECHO), lambda c: c.get_inbox("i"), ServerValidationError),
        (
            lambda r: json_response(429, ECHO, {"retry-after": "99999"}),
            lambda c: c.get_inbox("i"),
            RateLimitedError,
        ),
        (lambda r: json_response(500, ECHO), lambda c: c.get_inbox("i"), ServerError),
        (lambda r: json_response(200, ECHO), lambda c: c.get_inbox("i"), MalformedResponseError),
        (
            lambda r: httpx.Response(200, content=f"<html>{API_KEY}</html>".encode()),
            lambda c: c.get_inbox("i"),
            MalformedResponseError,
        ),
        (
            lambda r: json_response(200, {"data": {"id": "s", "step": 1, "variants": API_KEY}}),
            lambda c: c.update_sequence("c", "s", 2),
            MalformedResponseError,
        ),
        (
            _raising(httpx.ConnectError(f"refused for {API_KEY}")),
            lambda c: c.get_inbox("i"),
            NetworkError,
        ),
        (
            _raising(httpx.ReadTimeout(f"slow {API_KEY}")),
            lambda c: c.get_inbox("i"),
            NetworkError,
        ),
        (
            _raising(RuntimeError(f"app crashed {API_KEY}")),
            lambda c: c.get_inbox("i"),
            NetworkError,
        ),
        (
            _raising(httpx.RemoteProtocolError(f"dropped {API_KEY}")),
            lambda c: c.reply_to_conversation("conv", "hi"),
            UncertainWriteError,
        ),
        (
            lambda r: json_response(502, ECHO),
            lambda c: c.add_to_blocklist("a@b.test"),
            UncertainWriteError,
        ),
        (
            lambda r: json_response(200, {}),
            lambda c: c.update_conversation("c", label_override=API_KEY),
            RequestValidationError,
        ),
    ],
)
async def test_no_error_ever_shows_the_key(
    handler: Callable[[httpx.Request], httpx.Response],
    call: Callable[[ReachkitClient], Awaitable[object]],
    error_class: type[ReachkitError],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    server = MockServer(handler)
    async with server.client() as client:
        with pytest.raises(error_class) as caught:
            await call(client)
    _assert_secret(caught.value)
    if isinstance(caught.value, UncertainWriteError):
        _assert_secret(caught.value.cause)
    assert API_KEY not in caplog.text


async def test_skipped_record_reasons_do_not_quote_the_key() -> None:
    items = [conversation_json(API_KEY, label=5), conversation_json("ok")]
    server = MockServer(lambda r: json_response(200, page_json(items)))
    async with server.client() as client:
        page = await client.list_conversations()
    assert [c.id for c in page.items] == ["ok"]
    assert API_KEY not in page.model_dump_json()


def test_a_key_that_cannot_be_a_header_is_refused_without_echoing_it() -> None:
    with pytest.raises(RequestValidationError) as caught:
        ReachkitClient(base_url="https://x.test", api_key=API_KEY + "\n")
    _assert_secret(caught.value)
    with pytest.raises(RequestValidationError):
        ReachkitClient(base_url="https://x.test", api_key="")


def test_client_repr_does_not_show_the_key() -> None:
    client = ReachkitClient(base_url="https://x.test", api_key=API_KEY)
    assert API_KEY not in repr(client)
    assert API_KEY not in repr(vars(client).get("_pacer"))


async def test_only_bearer_auth_is_sent_on_every_kind_of_request() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/check"):
            return json_response(200, {"data": {"blocked": False}})
        return json_response(200, page_json([]))

    server = MockServer(handler)
    async with server.client() as client:
        await client.list_conversations(search="hello")
        await client.check_blocklist("a@b.test")
        with pytest.raises(UncertainWriteError):
            await client.create_campaign("Q3")  # the empty page does not fit a campaign
        await client.delete_campaign("c")
    assert len(server.requests) == 4
    for request in server.requests:
        assert request.headers["authorization"] == f"Bearer {API_KEY}"
        assert "x-api-key" not in request.headers
        assert API_KEY not in str(request.url)
        assert API_KEY not in request.content.decode()
        assert request.headers["user-agent"] == f"outreach-tui/{__version__}"


@pytest.mark.parametrize(
    "base_url",
    [
        "http://reachkit.example",
        "http://10.0.0.5:8765",
        "ftp://reachkit.example",
        "reachkit.example",
        "https://user:pw@reachkit.example",
        "https://x.test/?api_key=1",
        "http://127.0.0.1.evil.test",
    ],
)
def test_non_https_or_odd_base_urls_are_refused(base_url: str) -> None:
    with pytest.raises(InsecureBaseURLError):
        ReachkitClient(base_url=base_url, api_key=API_KEY)


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("http://127.0.0.1", "http://127.0.0.1/api/v1/"),
        ("http://127.8.9.10:8765/", "http://127.8.9.10:8765/api/v1/"),
        ("http://localhost:8765/api/v1", "http://localhost:8765/api/v1/"),
        ("http://[::1]:8765/api/v1/", "http://[::1]:8765/api/v1/"),
        ("https://reachkit.example", "https://reachkit.example/api/v1/"),
        ("https://proxy.example/reachkit/api/v1", "https://proxy.example/reachkit/api/v1/"),
    ],
)
def test_loopback_http_and_https_are_accepted_with_or_without_the_suffix(
    base_url: str, expected: str
) -> None:
    assert ReachkitClient(base_url=base_url, api_key=API_KEY).base_url == expected


async def test_requests_go_under_the_api_root() -> None:
    server = MockServer(lambda r: json_response(200, {"data": {"blocked": True}}))
    async with server.client(base_url="https://reachkit.example/api/v1/") as client:
        assert await client.check_blocklist("a@b.test") is True
    assert server.requests[0].url.path == "/api/v1/blocklist/check"
    assert server.requests[0].url.params["email"] == "a@b.test"


async def test_ids_cannot_escape_their_path_segment() -> None:
    server = MockServer(lambda r: json_response(404, {"error": "no"}))
    async with server.client() as client:
        with pytest.raises(NotFoundError):
            await client.get_campaign("../inboxes/x?y=1")
        for bad in ("", "..", ".", "a\nb"):
            with pytest.raises(RequestValidationError):
                await client.get_campaign(bad)
    assert len(server.requests) == 1
    assert server.requests[0].url.raw_path == b"/api/v1/campaigns/..%2Finboxes%2Fx%3Fy%3D1"
