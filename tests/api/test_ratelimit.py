"""Pacing: Retry-After, X-RateLimit-* headers, the local budget, the concurrency cap."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from outreach_tui.api.ratelimit import RequestPacer, parse_reset, parse_retry_after
from tests.api.factories import MockServer, conversation_json, json_response, page_json
from tests.api.fake_time import FakeTime


def _pacer(fake: FakeTime, **options: object) -> RequestPacer:
    options.setdefault("requests_per_minute", None)
    options.setdefault("start_rate", None)  # unpaced until refused: the headers' brakes alone
    return RequestPacer(clock=fake.clock, sleep=fake.sleep, **options)  # type: ignore[arg-type]


async def _send(pacer: RequestPacer, status: int = 200, headers: dict[str, str] | None = None):
    async with pacer.slot():
        return pacer.observe(status, headers or {})


def test_retry_after_in_seconds_and_as_an_http_date() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7
    assert parse_retry_after(" 1.5 ") == 1.5
    date = format_datetime(now + timedelta(seconds=42), usegmt=True)
    assert date.endswith("GMT")
    assert parse_retry_after(date, now=now) == 42
    past = format_datetime(now - timedelta(seconds=5), usegmt=True)
    assert parse_retry_after(past, now=now) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("") is None
    assert parse_retry_after(None) is None


def test_reset_as_delta_or_epoch() -> None:
    assert parse_reset("12") == 12
    assert parse_reset(str(10**9 + 500), wall_now=10**9 + 470) == 30
    assert parse_reset(str(10**9 + 5), wall_now=10**9 + 10) == 0
    assert parse_reset(str((10**9 + 500) * 1000), wall_now=10**9 + 470) == 30
    assert parse_reset("nan") is None
    assert parse_reset("tomorrow") is None


async def test_429_with_http_date_retry_after_pauses_every_request() -> None:
    fake = FakeTime()
    pacer = _pacer(fake)
    when = datetime.now(UTC) + timedelta(seconds=30)
    retry_after = await _send(pacer, 429, {"retry-after": format_datetime(when, usegmt=True)})
    assert retry_after is not None and 28 <= retry_after <= 30
    status = pacer.status()
    assert status.paused_until is not None
    await _send(pacer)  # the next request, whoever sends it, waits out the pause first
    assert len(fake.sleeps) == 1 and 28 <= fake.sleeps[0] <= 30.1


async def test_remaining_zero_waits_for_the_reset() -> None:
    fake = FakeTime()
    pacer = _pacer(fake)
    await _send(pacer, headers={"x-ratelimit-remaining": "1", "x-ratelimit-reset": "8"})
    await _send(pacer)  # spends the last one
    assert fake.sleeps == []
    await _send(pacer)
    assert len(fake.sleeps) == 1 and 8 <= fake.sleeps[0] <= 8.2


async def test_epoch_reset_is_understood() -> None:
    fake = FakeTime()
    pacer = _pacer(fake)
    reset = str(int(time.time()) + 20)
    await _send(pacer, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset})
    status = pacer.status()
    assert status.remaining == 0 and status.reset_at is not None
    assert timedelta(seconds=17) < status.reset_at - datetime.now(UTC) < timedelta(seconds=21)
    await _send(pacer)
    assert 17 < fake.sleeps[0] < 21


async def test_a_hostile_reset_cannot_freeze_the_client() -> None:
    fake = FakeTime()
    pacer = _pacer(fake, max_pause=5.0)
    await _send(pacer, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "99999999"})
    await _send(pacer)
    assert sum(fake.sleeps) <= 5.5


async def test_remaining_zero_without_reset_pauses_briefly_then_probes() -> None:
    fake = FakeTime()
    pacer = _pacer(fake)
    await _send(pacer, headers={"x-ratelimit-remaining": "0"})
    await _send(pacer)
    await _send(pacer)
    assert fake.sleeps == [1.0]


async def test_the_ceiling_spaces_requests_evenly() -> None:
    fake = FakeTime()
    pacer = _pacer(fake, requests_per_minute=3)
    for _ in range(4):
        await _send(pacer)
    assert fake.sleeps == [20.0, 20.0, 20.0]


async def test_status_reports_the_servers_numbers_counted_down() -> None:
    fake = FakeTime()
    pacer = _pacer(fake, requests_per_minute=60)
    await _send(
        pacer,
        headers={
            "x-ratelimit-limit": "100",
            "x-ratelimit-remaining": "50",
            "x-ratelimit-reset": "30",
        },
    )
    async with pacer.slot():
        status = pacer.status()
    assert (status.limit, status.remaining, status.budget_per_minute) == (100, 49, 60)
    assert status.paused_until is None


class WindowServer:
    """A server allowing `limit` requests per `window` seconds, with honest headers."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self.window_start = time.monotonic()
        self.count = 0
        self.statuses: list[int] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.002)
            now = time.monotonic()
            if now - self.window_start >= self.window:
                self.window_start, self.count = now, 0
            reset = f"{self.window - (now - self.window_start):.3f}"
            self.count += 1
            if self.count > self.limit:
                self.statuses.append(429)
                return json_response(
                    429,
                    {"error": "slow down"},
                    {
                        "retry-after": reset,
                        "x-ratelimit-remaining": "0",
                        "x-ratelimit-reset": reset,
                    },
                )
            self.statuses.append(200)
            headers = {
                "x-ratelimit-limit": str(self.limit),
                "x-ratelimit-remaining": str(self.limit - self.count),
                "x-ratelimit-reset": reset,
            }
            return json_response(200, {"data": conversation_json()}, headers)
        finally:
            self.in_flight -= 1


async def test_pacing_by_headers_keeps_a_burst_clear_of_429() -> None:
    window = WindowServer(limit=5, window=0.15)
    server = MockServer(lambda r: json_response(500, {}))
    server.transport = httpx.MockTransport(window.handle)
    async with server.client(max_concurrency=3) as client:
        await asyncio.gather(*(client.get_conversation("conv-1") for _ in range(24)))
    assert window.statuses.count(200) == 24
    assert 429 not in window.statuses
    assert window.max_in_flight <= 3


async def test_after_a_429_the_burst_recovers_without_another() -> None:
    # The server's first window is already spent by someone else: the first answer is a 429.
    window = WindowServer(limit=4, window=0.12)
    window.count = 4
    server = MockServer(lambda r: json_response(500, {}))
    server.transport = httpx.MockTransport(window.handle)
    async with server.client(max_concurrency=1) as client:
        for _ in range(12):
            await client.get_conversation("conv-1")
    assert window.statuses[0] == 429
    assert 429 not in window.statuses[1:]
    assert window.statuses.count(200) == 12


async def test_client_exposes_the_rate_limit_for_the_status_bar() -> None:
    server = MockServer(
        lambda r: json_response(
            200,
            page_json([conversation_json()]),
            {"x-ratelimit-limit": "60", "x-ratelimit-remaining": "42", "x-ratelimit-reset": "30"},
        )
    )
    async with server.client(requests_per_minute=60) as client:
        assert client.rate_limit.remaining is None
        await client.list_conversations()
        status = client.rate_limit
    assert (status.limit, status.remaining, status.budget_per_minute) == (60, 42, 60)
    assert status.reset_at is not None and status.reset_at > datetime.now(UTC)


def test_pacer_refuses_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        RequestPacer(requests_per_minute=0)
    with pytest.raises(ValueError):
        RequestPacer(max_concurrency=0)


async def test_client_waits_out_an_http_date_retry_after_then_succeeds() -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    answers = iter(
        [
            json_response(429, {"error": "Too many requests"}, {"retry-after": when}),
            json_response(200, {"data": conversation_json()}),
        ]
    )
    server = MockServer(lambda r: next(answers))
    fake = FakeTime()
    async with server.client() as client:
        client._pacer = _pacer(fake)  # a clock that only moves when slept on
        conversation = await client.get_conversation("conv-1")
    assert conversation.id == "conv-1"
    assert len(server.requests) == 2
    assert len(fake.sleeps) == 1 and 28 <= fake.sleeps[0] <= 30
