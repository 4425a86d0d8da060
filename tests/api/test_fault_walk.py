"""Acceptance: a full walk of 10,000 conversations through faults and a rate limit.

The simulator serves on a real loopback socket and injects 5xx answers, dropped
connections and malformed bodies; its rate limit is partly spent by "another client"
before the walk starts, so the walk meets one 429 early. After that, pacing by the
X-RateLimit headers must keep it clear of 429 for the rest of the walk.
"""

from __future__ import annotations

import httpx
import pytest

from outreach_tui.api import ReachkitClient, RetryPolicy, UncertainWriteError
from outreach_tui.simulator import create_app
from outreach_tui.simulator.server import serve_in_thread

KEY = "fault-walk-key"


class HeaderLog(httpx.AsyncHTTPTransport):
    """The real loopback transport, noting each answer's X-RateLimit-Remaining."""

    def __init__(self) -> None:
        super().__init__()
        self.remaining: list[str | None] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        self.remaining.append(response.headers.get("x-ratelimit-remaining"))
        return response


LIMIT_PER_SECOND = 10


@pytest.mark.slow
async def test_full_walk_through_faults_yields_every_conversation_once() -> None:
    app = create_app(api_keys=[KEY], size=10_000, seed=7, rate_limit=None, faults=None)
    simulator = app.state.simulator
    with serve_in_thread(app, host="127.0.0.1", port=0) as base_url:
        simulator.set_rate_limit(f"{LIMIT_PER_SECOND}/s")
        # Another client with the same key spends the current window.
        async with httpx.AsyncClient(
            base_url=base_url, headers={"Authorization": f"Bearer {KEY}"}
        ) as other:
            for _ in range(LIMIT_PER_SECOND):
                await other.get("/api/v1/blocklist/check", params={"email": "x@y.test"})
        simulator.set_faults("5xx=0.1,drop=0.05,malformed=0.01")
        first_logged = len(simulator.requests)

        transport = HeaderLog()
        async with ReachkitClient(
            base_url=base_url,
            api_key=KEY,
            transport=transport,
            requests_per_minute=None,
            start_rate=None,
            retry=RetryPolicy(read_attempts=12, initial_backoff=0.005, max_backoff=0.05),
        ) as client:
            ids: list[str] = []
            skipped = 0
            async for page in client.iter_conversation_pages(page_size=100):
                ids.extend(conversation.id for conversation in page.items)
                skipped += len(page.skipped)
            simulator.set_faults(None)
            total = (await client.list_conversations(page_size=1)).metadata.total_count

    assert total == 10_000
    assert len(ids) == 10_000 and len(set(ids)) == 10_000
    assert skipped == 0
    statuses = [record.status for record in simulator.requests[first_logged:]]
    faults = [record.fault for record in simulator.requests[first_logged:] if record.fault]
    assert faults, "the fault injection was active"
    assert 429 in statuses, "the walk started in a spent window"
    first_429 = statuses.index(429)
    assert 429 not in statuses[first_429 + 1 :]
    # The walk did use whole windows: it met "0 remaining" and waited instead of asking.
    assert transport.remaining.count("0") >= 3


async def test_in_process_walk_survives_faults_surfaced_by_asgi_transport() -> None:
    app = create_app(
        api_keys=[KEY],
        size=1000,
        seed=3,
        rate_limit=None,
        faults="5xx=0.2,drop=0.1,malformed=0.05",
    )
    async with ReachkitClient(
        base_url="http://127.0.0.1",
        api_key=KEY,
        transport=httpx.ASGITransport(app=app),
        requests_per_minute=None,
        start_rate=None,
        retry=RetryPolicy(read_attempts=15, initial_backoff=0.001, max_backoff=0.005),
    ) as client:
        ids = [conversation.id async for conversation in client.iter_conversations()]
    assert len(ids) == len(set(ids)) == 1000
    assert any(record.fault for record in app.state.simulator.requests)


async def test_writes_under_faults_retry_when_safe_and_report_uncertainty_otherwise() -> None:
    app = create_app(api_keys=[KEY], size=50, seed=3, rate_limit=None, faults=None)
    simulator = app.state.simulator
    async with ReachkitClient(
        base_url="http://127.0.0.1",
        api_key=KEY,
        transport=httpx.ASGITransport(app=app),
        requests_per_minute=None,
        start_rate=None,
        retry=RetryPolicy(idempotent_attempts=30, initial_backoff=0.001, max_backoff=0.002),
    ) as client:
        conversation = (await client.list_conversations(page_size=1)).items[0]
        simulator.set_faults("5xx=0.5,drop=0.2")
        updated = await client.update_conversation(conversation.id, label_override="referral")
        assert updated.label == "referral"

        simulator.set_faults("5xx=1.0")
        before = len(simulator.requests)
        with pytest.raises(UncertainWriteError):
            await client.reply_to_conversation(conversation.id, "<p>Hello</p>")
        posts = [r for r in simulator.requests[before:] if r.method == "POST"]
        assert len(posts) == 1  # never sent twice
