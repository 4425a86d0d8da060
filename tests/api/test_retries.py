"""What is retried, what is not, and what a caller is told when a write's fate is unknown."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from outreach_tui.api import (
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ReachkitClient,
    ServerError,
    ServerValidationError,
    UncertainWriteError,
)
from tests.api.factories import MockServer, conversation_json, json_response, message_json

Step = Callable[[httpx.Request], httpx.Response]


def _script(*steps: Step | httpx.Response | Exception) -> MockServer:
    """A server answering each request with the next step (a response, or raising)."""
    remaining: Iterator[Step | httpx.Response | Exception] = iter(steps)

    def handler(request: httpx.Request) -> httpx.Response:
        step = next(remaining)
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)

    return MockServer(handler)


def _ok_conversation() -> httpx.Response:
    return json_response(200, {"data": conversation_json()})


def _ok_message() -> httpx.Response:
    return json_response(200, {"data": message_json()})


def _keys(server: MockServer) -> list[str | None]:
    return [request.headers.get("idempotency-key") for request in server.requests]


@pytest.mark.parametrize(
    "failure",
    [
        json_response(500, {"error": "boom"}),
        json_response(503, {"error": "busy"}),
        httpx.Response(200, content=b'{"data": {"id": "conv-1", "mess'),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("peer closed connection without sending complete message"),
        httpx.ReadError("connection reset by peer"),
        httpx.ConnectError("connection refused"),
        RuntimeError("in-process app dropped the connection"),
    ],
)
async def test_reads_are_retried_after_transient_failures(
    failure: httpx.Response | Exception,
) -> None:
    server = _script(failure, failure, _ok_conversation())
    async with server.client() as client:
        conversation = await client.get_conversation("conv-1")
    assert conversation.id == "conv-1"
    assert len(server.requests) == 3


async def test_reads_give_up_after_the_attempt_cap_with_the_last_error() -> None:
    server = MockServer(lambda r: json_response(500, {"error": "down"}))
    async with server.client() as client:
        with pytest.raises(ServerError, match="down"):
            await client.list_campaigns()
    assert len(server.requests) == 6


async def test_client_errors_are_not_retried() -> None:
    server = MockServer(lambda r: json_response(422, {"error": "bad"}))
    async with server.client() as client:
        with pytest.raises(ServerValidationError):
            await client.get_campaign_analytics("c")
    assert len(server.requests) == 1


async def test_idempotent_write_keeps_its_key_across_retries() -> None:
    server = _script(
        json_response(503, {"error": "busy"}),
        httpx.RemoteProtocolError("dropped"),
        _ok_conversation(),
    )
    async with server.client() as client:
        await client.update_conversation("conv-1", is_read=True)
    keys = _keys(server)
    assert len(keys) == 3 and keys[0] and len(set(keys)) == 1


async def test_the_callers_idempotency_key_is_sent_as_is() -> None:
    server = _script(json_response(500, {}), _ok_conversation())
    async with server.client() as client:
        await client.update_conversation(
            "conv-1", label_override="interested", idempotency_key="outbox-42"
        )
    assert _keys(server) == ["outbox-42", "outbox-42"]


async def test_each_call_gets_its_own_generated_key() -> None:
    server = MockServer(lambda r: _ok_conversation())
    async with server.client() as client:
        await client.update_conversation("conv-1", is_read=True)
        await client.update_conversation("conv-1", is_read=False)
    first, second = _keys(server)
    assert first and second and first != second


async def test_reads_carry_no_idempotency_key() -> None:
    server = MockServer(lambda r: _ok_conversation())
    async with server.client() as client:
        await client.get_conversation("conv-1")
    assert _keys(server) == [None]


@pytest.mark.parametrize(
    "failure",
    [
        json_response(500, {"error": "boom"}),
        json_response(504, {}),
        httpx.ReadTimeout("no answer"),
        httpx.WriteTimeout("stuck sending"),
        httpx.RemoteProtocolError("server disconnected"),
        RuntimeError("in-process app dropped the connection"),
        httpx.Response(200, content=b"<html>proxy</html>"),
    ],
)
async def test_a_reply_with_unknown_outcome_raises_uncertain_at_once(
    failure: httpx.Response | Exception,
) -> None:
    server = _script(failure, _ok_message())
    async with server.client() as client:
        with pytest.raises(UncertainWriteError) as caught:
            await client.reply_to_conversation(
                "conv-1", "<p>Tuesday works</p>", idempotency_key="reply-7"
            )
    assert len(server.requests) == 1
    assert caught.value.idempotency_key == "reply-7"
    assert isinstance(caught.value.cause, ServerError | NetworkError | MalformedResponseError)
    assert caught.value.message.startswith("Outcome unknown")


@pytest.mark.parametrize(
    "refusal",
    [
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("connect timed out"),
        json_response(429, {"error": "slow down"}, {"retry-after": "0"}),
    ],
)
async def test_a_create_is_retried_when_it_provably_never_reached_the_server(
    refusal: httpx.Response | Exception,
) -> None:
    server = _script(refusal, _ok_message())
    async with server.client() as client:
        message = await client.reply_to_conversation("conv-1", "hello")
    assert message.direction == "outgoing"
    keys = _keys(server)
    assert len(keys) == 2 and keys[0] == keys[1]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.create_conversation(to=["sam@acme.test"], subject="Hi", content="<p>x</p>"),
        lambda c: c.create_campaign("Q3"),
        lambda c: c.create_lead("camp", email="sam@acme.test"),
        lambda c: c.create_sequence("camp"),
        lambda c: c.create_variant("camp", "seq", subject="Hello"),
        lambda c: c.add_to_blocklist("spam@acme.test"),
    ],
)
async def test_every_create_reports_an_unknown_outcome(call) -> None:
    server = MockServer(lambda r: json_response(502, {"error": "bad gateway"}))
    async with server.client() as client:
        with pytest.raises(UncertainWriteError):
            await call(client)
    assert len(server.requests) == 1


async def test_lead_create_that_skips_existing_is_retried_like_an_idempotent_write() -> None:
    lead = {
        "id": "l",
        "email": "sam@acme.test",
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-01T00:00:00Z",
    }
    server = _script(json_response(500, {}), json_response(200, {"data": lead}))
    async with server.client() as client:
        created = await client.create_lead("camp", email="sam@acme.test", if_exists="skip")
    assert created.id == "l"
    assert len(server.requests) == 2


async def test_a_delete_whose_first_attempt_was_lost_counts_a_404_as_done() -> None:
    server = _script(httpx.RemoteProtocolError("dropped"), json_response(404, {"error": "gone"}))
    async with server.client() as client:
        assert await client.delete_lead("camp", "lead") is None
    assert len(server.requests) == 2


async def test_a_delete_of_something_missing_is_not_found() -> None:
    server = MockServer(lambda r: json_response(404, {"error": "no such lead"}))
    async with server.client() as client:
        with pytest.raises(NotFoundError):
            await client.delete_lead("camp", "lead")


async def test_a_429_asking_for_too_long_is_raised_not_waited_out() -> None:
    server = MockServer(lambda r: json_response(429, {"error": "quota"}, {"retry-after": "3600"}))
    async with server.client() as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.list_inboxes()
    assert caught.value.retry_after == 3600
    assert len(server.requests) == 1


async def test_a_record_of_the_wrong_shape_is_not_fetched_again() -> None:
    """A well-formed answer that does not validate would come back the same: no retry."""
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(200, json={"data": {"id": "c1", "messages": "not a list"}})

    async with ReachkitClient(
        base_url="http://127.0.0.1",
        api_key="k",
        transport=httpx.MockTransport(handler),
        requests_per_minute=None,
        start_rate=None,
    ) as client:
        try:
            await client.get_conversation("c1")
        except MalformedResponseError as error:
            assert not error.transient
        else:
            raise AssertionError("expected MalformedResponseError")
    assert calls == 1
