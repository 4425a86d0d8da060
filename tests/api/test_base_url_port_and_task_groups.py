"""A base URL with an impossible port is refused in words, and a network error wrapped in
an anyio task group's ExceptionGroup is explained by the error inside it."""

from __future__ import annotations

import httpx
import pytest

from outreach_tui.api import ReachkitClient
from outreach_tui.api.errors import InsecureBaseURLError, NetworkError
from tests.api.factories import API_KEY, MockServer


@pytest.mark.parametrize("port", [0, 65536, 99999])
def test_a_port_out_of_range_is_refused_before_any_request(port: int) -> None:
    with pytest.raises(InsecureBaseURLError, match=rf"port {port} is out of range \(1-65535\)"):
        ReachkitClient(base_url=f"http://127.0.0.1:{port}", api_key=API_KEY)


async def test_a_real_port_out_of_range_never_surfaces_as_a_task_group() -> None:
    # What httpx does with such a port today: OverflowError inside a TaskGroup.
    async with httpx.AsyncClient() as plain:
        with pytest.raises(ExceptionGroup):
            await plain.get("http://127.0.0.1:99999/")


async def test_a_connect_error_inside_an_exception_group_reads_as_could_not_connect() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise ExceptionGroup(
            "unhandled errors in a TaskGroup", [httpx.ConnectError("Connection refused")]
        )

    async with MockServer(refuse).client() as client:
        with pytest.raises(NetworkError) as raised:
            await client.list_inboxes()
    assert "could not connect (Connection refused)" in raised.value.message
    assert "TaskGroup" not in raised.value.message
    assert raised.value.may_have_reached_server is False  # provably never sent
