"""The pace learned from the server: announced limits, silent limits, the ceiling, priority.

Every test runs on a fake clock that only moves when someone sleeps on it, against a
fake fixed-window server written here (the simulator's rules: a window opens with the
first request after the previous one ended; Reset and Retry-After are whole seconds,
rounded up).
"""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from outreach_tui.api import LearnedPace, background_requests
from outreach_tui.api.pace import DEFAULT_START_RATE, AdaptiveRate
from outreach_tui.api.ratelimit import RequestPacer
from tests.api.fake_time import FakeTime


class WindowServer:
    """`limit` requests per `window` seconds; with `announce`, X-RateLimit-* headers,
    else a refusal is only 429 + Retry-After."""

    def __init__(self, fake: FakeTime, limit: int, window: float, *, announce: bool) -> None:
        self.fake = fake
        self.limit = limit
        self.window = window
        self.announce = announce
        self.start = -math.inf
        self.used = 0
        self.statuses: list[int] = []

    def answer(self) -> tuple[int, dict[str, str]]:
        now = self.fake.now
        if now >= self.start + self.window:
            self.start, self.used = now, 0
        reset = max(1, math.ceil(self.start + self.window - now))
        allowed = self.used < self.limit
        self.used += allowed
        headers = {}
        if self.announce:
            headers = {
                "x-ratelimit-limit": str(self.limit),
                "x-ratelimit-remaining": str(self.limit - self.used),
                "x-ratelimit-reset": str(reset),
            }
        if not allowed:
            headers["retry-after"] = str(reset)
        self.statuses.append(200 if allowed else 429)
        return (200 if allowed else 429), headers


async def _fetch(pacer: RequestPacer, server: WindowServer, fake: FakeTime) -> None:
    """One request, retried after a 429 as the client does (the pacer holds it)."""
    while True:
        async with pacer.slot() as ticket:
            fake.now += 0.01  # the round trip
            status, headers = server.answer()
            pacer.observe(status, headers, ticket)
        if status != 429:
            return


def _pacer(fake: FakeTime, **options: object) -> RequestPacer:
    return RequestPacer(clock=fake.clock, sleep=fake.sleep, **options)  # type: ignore[arg-type]


async def test_an_announced_limit_is_met_evenly_without_a_429() -> None:
    fake = FakeTime()
    pacer = _pacer(fake)
    server = WindowServer(fake, limit=5, window=1.0, announce=True)
    started = fake.now
    for _ in range(100):
        await _fetch(pacer, server, fake)
    elapsed = fake.now - started
    assert 429 not in server.statuses
    assert elapsed <= 1.15 * 100 / 5  # the ideal is requests / rate
    assert pacer.requests_per_second == pytest.approx(5.0)
    # spread out, not spent in bursts: no two requests closer than the announced spacing
    assert min(fake.sleeps[5:]) > 0.15
    assert pacer.learned() == LearnedPace(5.0, announced=True)


async def test_an_announced_limit_per_minute_paces_at_limit_over_window() -> None:
    fake = FakeTime()
    pacer = _pacer(fake)
    server = WindowServer(fake, limit=120, window=60.0, announce=True)
    for _ in range(10):
        await _fetch(pacer, server, fake)
    assert pacer.requests_per_second == pytest.approx(2.0)
    assert 429 not in server.statuses


async def test_a_silent_limit_is_learned_with_few_429s() -> None:
    fake = FakeTime()
    pacer = _pacer(fake)
    server = WindowServer(fake, limit=5, window=1.0, announce=False)
    started = fake.now
    for _ in range(150):
        await _fetch(pacer, server, fake)
    elapsed = fake.now - started
    assert 1 <= server.statuses.count(429) <= 5
    assert elapsed <= 1.6 * 150 / 5
    learned = pacer.learned()
    assert learned is not None and not learned.announced
    assert 3.0 <= learned.requests_per_second <= 5.0
    assert pacer.counts().rate_limited == server.statuses.count(429)
    assert pacer.counts().requests == len(server.statuses)


async def test_an_unlimited_server_is_soon_not_held_back() -> None:
    fake = FakeTime()
    pacer = _pacer(fake)
    for _ in range(200):
        async with pacer.slot() as ticket:
            pacer.observe(200, {}, ticket)
    # slow start: a generous first guess that grows with every answer
    assert sum(fake.sleeps) < 1.2
    assert pacer.requests_per_second is not None
    assert pacer.requests_per_second > 100 * DEFAULT_START_RATE
    assert pacer.learned() is None  # nothing worth remembering


async def test_a_429_with_retry_after_in_seconds_pauses_and_halves_the_rate() -> None:
    fake = FakeTime()
    pacer = _pacer(fake, start_rate=8.0)
    async with pacer.slot() as ticket:
        pacer.observe(200, {}, ticket)
    fake.now += 1.0
    async with pacer.slot() as ticket:
        assert pacer.observe(429, {"retry-after": "3"}, ticket) == 3
    # refused at 1 request/s really sent (below the 8/s allowed): half of that
    assert pacer.requests_per_second == pytest.approx(0.5)
    before = fake.now
    async with pacer.slot():
        pass
    assert fake.now - before == pytest.approx(3.0)


async def test_a_429_with_an_http_date_pauses_until_that_date() -> None:
    fake = FakeTime()
    pacer = _pacer(fake, start_rate=None)
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    async with pacer.slot() as ticket:
        retry_after = pacer.observe(429, {"retry-after": when}, ticket)
    assert retry_after is not None and 18 <= retry_after <= 20
    before = fake.now
    async with pacer.slot():
        pass
    assert 18 <= fake.now - before <= 20.1
    assert pacer.counts().rate_limited == 1


async def test_429s_of_one_burst_cut_the_rate_once() -> None:
    fake = FakeTime()
    pacer = _pacer(fake, start_rate=None, max_concurrency=4)
    tickets = []
    for _ in range(4):
        tickets.append(await pacer.slot().__aenter__())
    for _ in range(4):
        fake.now += 0.001
    pacer.observe(429, {"retry-after": "1"}, tickets[0])
    rate = pacer.requests_per_second
    for ticket in tickets[1:]:
        pacer.observe(429, {"retry-after": "1"}, ticket)
    assert pacer.requests_per_second == rate == pytest.approx(2.0)  # 4 sent in the second
    assert pacer.counts().rate_limited == 4


def test_after_a_cut_the_rate_climbs_back_then_probes_slowly() -> None:
    assert AdaptiveRate(start=None).requests_per_second is None
    rate = AdaptiveRate(start=4.0)
    for moment in (0.0, 0.25, 0.5, 0.75):
        rate.admitted(moment)
    assert rate.refused(0.8, admitted_at=0.75)
    assert rate.requests_per_second == pytest.approx(2.0)
    for _ in range(4):
        rate.succeeded(held_back=True)
    climbed = rate.requests_per_second
    assert climbed is not None and 2.0 < climbed <= 0.9 * 4.0
    for _ in range(2):  # about +1 request/s per second, back to 90 % of the refused rate
        rate.succeeded(held_back=True)
    assert rate.requests_per_second == pytest.approx(3.6, abs=0.02)
    for _ in range(36):  # ten seconds at 3.6/s: probing adds ~0.02 request/s per second
        rate.succeeded(held_back=True)
    assert rate.requests_per_second == pytest.approx(3.8, abs=0.1)
    rate.succeeded(held_back=False)  # a request the rate did not hold back teaches nothing
    assert rate.requests_per_second == pytest.approx(3.8, abs=0.1)


async def test_the_ceiling_holds_under_an_announced_rate() -> None:
    fake = FakeTime()
    pacer = _pacer(fake, requests_per_minute=60)
    server = WindowServer(fake, limit=5, window=1.0, announce=True)
    for _ in range(6):
        await _fetch(pacer, server, fake)
    assert pacer.requests_per_second == pytest.approx(1.0)
    assert [round(s, 2) for s in fake.sleeps[1:]] == [0.99] * 4


async def test_a_learned_pace_is_resumed() -> None:
    fake = FakeTime()
    pacer = _pacer(fake)
    pacer.resume(LearnedPace(4.0, announced=False))
    assert pacer.requests_per_second == pytest.approx(4.0)
    assert pacer.learned() == LearnedPace(4.0, announced=False)
    for _ in range(3):
        async with pacer.slot() as ticket:
            pacer.observe(200, {}, ticket)
    assert fake.sleeps[0] == pytest.approx(0.25)
    announced = _pacer(fake)
    announced.resume(LearnedPace(5.0, announced=True))
    assert announced.learned() == LearnedPace(5.0, announced=True)
    # the server no longer announces: the remembered rate becomes one to learn from
    async with announced.slot() as ticket:
        announced.observe(200, {}, ticket)
    assert announced.learned() == LearnedPace(5.0, announced=False)


async def test_the_users_request_goes_before_the_next_background_page() -> None:
    fake = FakeTime()
    pacer = _pacer(fake, start_rate=1.0)
    order: list[str] = []
    two_pages_sent = asyncio.Event()

    async def request(name: str) -> None:
        async with pacer.slot() as ticket:
            order.append(name)
            if len(order) == 2:
                two_pages_sent.set()
            pacer.observe(200, {}, ticket)

    async def background_pages() -> None:
        with background_requests():
            await asyncio.gather(*(request(f"page {n}") for n in range(1, 5)))

    pages = asyncio.ensure_future(background_pages())
    await two_pages_sent.wait()
    await request("label push")  # queued while page 3 and page 4 wait for their turn
    await pages
    assert order == ["page 1", "page 2", "label push", "page 3", "page 4"]


def test_nonsense_start_rates_are_refused() -> None:
    with pytest.raises(ValueError):
        RequestPacer(start_rate=0)


async def test_a_limit_that_changes_mid_sync_is_followed_both_ways() -> None:
    fake = FakeTime()
    pacer = _pacer(fake)
    server = WindowServer(fake, limit=10, window=1.0, announce=True)
    for _ in range(40):
        await _fetch(pacer, server, fake)
    assert pacer.requests_per_second == pytest.approx(10.0)
    # The server lowers its limit: the next answers announce 4/s and the pace follows,
    # with at most the one refusal the old pace could still draw in the open window.
    server.limit = 4
    before = len(server.statuses)
    for _ in range(40):
        await _fetch(pacer, server, fake)
    assert pacer.requests_per_second == pytest.approx(4.0)
    assert server.statuses[before:].count(429) <= 1
    # It raises it again: the pace rises with the announcement, no 429.
    server.limit = 8
    before = len(server.statuses)
    started = fake.now
    for _ in range(40):
        await _fetch(pacer, server, fake)
    assert pacer.requests_per_second == pytest.approx(8.0)
    assert 429 not in server.statuses[before:]
    assert fake.now - started <= 1.2 * 40 / 8


async def test_a_silent_limit_that_drops_mid_sync_is_relearned_with_few_429s() -> None:
    fake = FakeTime()
    pacer = _pacer(fake)
    server = WindowServer(fake, limit=10, window=1.0, announce=False)
    for _ in range(60):
        await _fetch(pacer, server, fake)
    server.limit = 3
    before = len(server.statuses)
    for _ in range(60):
        await _fetch(pacer, server, fake)
    refused = server.statuses[before:].count(429)
    assert 1 <= refused <= 6
    assert pacer.requests_per_second <= 3.5
