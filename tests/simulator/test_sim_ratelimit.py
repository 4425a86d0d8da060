"""Rate limiting: headers on every answer, 429 with Retry-After, fixed windows per key."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from outreach_tui.simulator import create_app
from outreach_tui.simulator.ratelimit import RateLimit, parse_rate_limit
from tests.simulator.calls import KEY, OTHER_KEY, assert_error, call, client_for


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limited() -> tuple[Starlette, FakeClock]:
    app = create_app(api_keys=[KEY, OTHER_KEY], size=10, seed=1, rate_limit="3/min")
    clock = FakeClock()
    app.state.simulator.monotonic = clock
    return app, clock


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("60/min", RateLimit(60, 60.0)),
        ("120/minute", RateLimit(120, 60.0)),
        ("5/s", RateLimit(5, 1.0)),
        (" 2 / sec ", RateLimit(2, 1.0)),
        ("5/s silent", RateLimit(5, 1.0, announced=False)),
        ("60/min,silent", RateLimit(60, 60.0, announced=False)),
    ],
)
def test_rate_limit_spec_is_parsed(spec: str, expected: RateLimit) -> None:
    assert parse_rate_limit(spec) == expected


@pytest.mark.parametrize(
    "spec", ["5/fortnight", "0/min", "min", "-1/s", "5 per min", "5/s quiet", "silent"]
)
def test_bad_rate_limit_spec_is_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="invalid rate limit"):
        parse_rate_limit(spec)


async def test_every_api_answer_carries_rate_limit_headers(
    limited: tuple[Starlette, FakeClock],
) -> None:
    app, clock = limited
    async with client_for(app) as client:
        ok = await call(client, "GET", "/campaigns")
        missing = await call(client, "GET", "/no-such-route")
    for response, remaining in ((ok, "2"), (missing, "1")):
        assert response.headers["x-ratelimit-limit"] == "3"
        assert response.headers["x-ratelimit-remaining"] == remaining
        assert response.headers["x-ratelimit-reset"] == "60"
    clock.now += 20.5
    async with client_for(app) as client:
        later = await call(client, "GET", "/inboxes")
    assert later.headers["x-ratelimit-reset"] == "40"


async def test_past_the_limit_is_429_with_retry_after(limited: tuple[Starlette, FakeClock]) -> None:
    app, clock = limited
    async with client_for(app) as client:
        for _ in range(3):
            assert (await call(client, "GET", "/campaigns")).status_code == 200
        clock.now += 15
        refused = await call(client, "GET", "/campaigns")
    body = assert_error(refused, 429)
    assert body["error"] == "rate limit exceeded"
    assert refused.headers["retry-after"] == "45"
    assert refused.headers["x-ratelimit-remaining"] == "0"


async def test_refused_requests_do_not_consume_budget(limited: tuple[Starlette, FakeClock]) -> None:
    app, clock = limited
    async with client_for(app) as client:
        for _ in range(3):
            await call(client, "GET", "/campaigns")
        for _ in range(5):
            assert (await call(client, "GET", "/campaigns")).status_code == 429
        clock.now += 60
        statuses = [(await call(client, "GET", "/campaigns")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


async def test_each_key_has_its_own_window(limited: tuple[Starlette, FakeClock]) -> None:
    app, _ = limited
    async with client_for(app, KEY) as mine, client_for(app, OTHER_KEY) as theirs:
        for _ in range(3):
            await call(mine, "GET", "/campaigns")
        assert (await call(mine, "GET", "/campaigns")).status_code == 429
        assert (await call(theirs, "GET", "/campaigns")).status_code == 200


async def test_failed_auth_and_paths_outside_the_api_are_not_limited(
    limited: tuple[Starlette, FakeClock],
) -> None:
    app, _ = limited
    async with client_for(app, key="wrong") as wrong:
        for _ in range(5):
            response = await call(wrong, "GET", "/campaigns")
            assert response.status_code == 401 and "x-ratelimit-limit" not in response.headers
    async with client_for(app) as client:
        assert "x-ratelimit-limit" not in (await client.get("/")).headers
        assert (await call(client, "GET", "/campaigns")).headers["x-ratelimit-remaining"] == "2"


async def test_rate_limit_can_be_set_and_cleared_in_process(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    assert "x-ratelimit-limit" not in (await call(client, "GET", "/campaigns")).headers
    app.state.simulator.set_rate_limit("2/s")
    assert (await call(client, "GET", "/campaigns")).headers["x-ratelimit-limit"] == "2"
    app.state.simulator.set_rate_limit(None)
    assert "x-ratelimit-limit" not in (await call(client, "GET", "/campaigns")).headers


async def test_a_silent_limit_says_nothing_until_it_refuses() -> None:
    app = create_app(api_keys=[KEY], size=10, seed=1, rate_limit="2/s silent")
    clock = FakeClock()
    app.state.simulator.monotonic = clock
    async with client_for(app) as client:
        answers = [await call(client, "GET", "/campaigns") for _ in range(3)]
        clock.now += 0.4
        refused = await call(client, "GET", "/campaigns")
        clock.now += 0.6
        again = await call(client, "GET", "/campaigns")
    assert [a.status_code for a in answers] == [200, 200, 429]
    for answer in (*answers, refused, again):
        assert not any(name.startswith("x-ratelimit") for name in answer.headers)
    assert answers[2].headers["retry-after"] == "1"
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert again.status_code == 200
