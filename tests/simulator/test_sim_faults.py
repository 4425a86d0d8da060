"""Fault injection: spec parsing, reproducibility, and each kind of fault observed."""

from __future__ import annotations

import json

import httpx
import pytest
from starlette.applications import Starlette

from outreach_tui.simulator import create_app
from outreach_tui.simulator.faults import FaultSpec, parse_faults
from outreach_tui.simulator.server import serve_in_thread
from tests.simulator.calls import KEY, call, client_for


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("5xx=0.1", FaultSpec(server_error=0.1)),
        (
            "5xx=0.1,latency=200ms,drop=0.05,malformed=0.01",
            FaultSpec(server_error=0.1, drop=0.05, malformed=0.01, latency=0.2),
        ),
        ("latency=1.5s", FaultSpec(latency=1.5)),
        ("latency=30", FaultSpec(latency=0.03)),
    ],
)
def test_fault_spec_is_parsed(spec: str, expected: FaultSpec) -> None:
    assert parse_faults(spec) == expected


@pytest.mark.parametrize(
    "spec",
    [
        "nonsense",
        "5xx=2",
        "drop=-0.1",
        "latency=fast",
        "5xx=0.6,drop=0.6",
        "5xx=0.1,5xx=0.2",
        "boom=1",
    ],
)
def test_bad_fault_spec_is_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="invalid faults spec"):
        parse_faults(spec)


async def _statuses(app: Starlette, count: int) -> list[tuple[int, str | None]]:
    outcomes = []
    async with client_for(app) as client:
        for _ in range(count):
            try:
                response = await call(client, "GET", "/inboxes")
            except httpx.RemoteProtocolError:
                outcomes.append((0, "drop"))
                continue
            outcomes.append((response.status_code, response.headers.get("content-type")))
    return outcomes


async def test_faults_are_reproducible_from_the_seed() -> None:
    spec = "5xx=0.3,drop=0.1,malformed=0.1"
    runs = [
        await _statuses(create_app(api_keys=[KEY], size=5, seed=9, faults=spec), 40)
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    other = await _statuses(create_app(api_keys=[KEY], size=5, seed=10, faults=spec), 40)
    assert other != runs[0]


async def test_server_errors_are_500_502_503_and_some_502_are_html() -> None:
    app = create_app(api_keys=[KEY], size=5, seed=3, faults="5xx=1")
    outcomes = await _statuses(app, 60)
    assert {status for status, _ in outcomes} == {500, 502, 503}
    types = {kind.split(";")[0] for status, kind in outcomes if status == 502}
    assert types == {"text/html", "application/json"}
    assert {r.fault for r in app.state.simulator.requests} == {"5xx"}


async def test_server_error_fault_leaves_state_unchanged() -> None:
    app = create_app(api_keys=[KEY], size=5, seed=3, faults="5xx=1")
    async with client_for(app) as client:
        response = await call(client, "POST", "/campaigns", json={"name": "never"})
    assert response.status_code >= 500
    names = [c.name for c in app.state.simulator.workspace(KEY).campaigns.values()]
    assert "never" not in names


async def test_malformed_fault_truncates_json_with_status_200() -> None:
    app = create_app(api_keys=[KEY], size=5, seed=3, faults="malformed=1")
    async with client_for(app) as client:
        response = await call(client, "GET", "/campaigns")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


async def test_drop_fault_in_process_raises_a_broken_connection_after_applying() -> None:
    app = create_app(api_keys=[KEY], size=5, seed=3, faults="drop=1")
    async with client_for(app) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await call(client, "POST", "/campaigns", json={"name": "applied"})
    names = [c.name for c in app.state.simulator.workspace(KEY).campaigns.values()]
    assert "applied" in names
    assert app.state.simulator.requests[-1].fault == "drop"


def test_drop_fault_over_a_socket_breaks_the_connection() -> None:
    app = create_app(api_keys=[KEY], size=5, seed=3, faults="drop=1")
    with (
        serve_in_thread(app, host="127.0.0.1", port=0) as base_url,
        httpx.Client(base_url=base_url, headers={"X-API-Key": KEY}) as client,
    ):
        with pytest.raises(httpx.RemoteProtocolError):
            client.get("/api/v1/campaigns")
        app.state.simulator.set_faults(None)
        assert client.get("/api/v1/campaigns").status_code == 200


def test_latency_fault_is_part_of_every_decision() -> None:
    app = create_app(api_keys=[KEY], size=5, seed=3, faults="latency=5ms")
    decision = app.state.simulator.faults.decide()
    assert decision.kind is None and decision.latency == pytest.approx(0.005)


async def test_faults_never_touch_requests_outside_the_api_or_failing_auth() -> None:
    app = create_app(api_keys=[KEY], size=5, seed=3, faults="5xx=1")
    async with client_for(app) as client:
        assert (await client.get("/")).status_code == 404
    async with client_for(app, key="wrong") as wrong:
        assert (await call(wrong, "GET", "/campaigns")).status_code == 401
    assert all(r.fault is None for r in app.state.simulator.requests)


async def test_faults_can_be_switched_in_process(client: httpx.AsyncClient, app: Starlette) -> None:
    app.state.simulator.set_faults("5xx=1")
    assert (await call(client, "GET", "/inboxes")).status_code >= 500
    app.state.simulator.set_faults(None)
    assert (await call(client, "GET", "/inboxes")).status_code == 200
