"""The client's merge-tag validator and the simulator's agree, through HTTP.

Random templates are PATCHed as a variant's subject and body on the in-process simulator;
the 422's ``details.offset`` (or the 200) must match ``core.mergetags.validate(text)``.
The two implementations share no code (the simulator imports nothing from core), so a
difference is a bug in one of them, judged against the written grammar.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from outreach_tui.core.mergetags import validate
from outreach_tui.simulator import create_app

KEY = "agreement-key"

# Pieces that matter to the grammar, plus the characters where two readings could differ:
# str.strip's whitespace (incl. \x1c-\x1f and U+3000), a non-BMP character (offsets are code
# points, not UTF-16 units), case-folding look-alikes of the keywords, line endings.
PIECES = [
    "{{",
    "}}",
    "{",
    "}",
    "\\",
    "\\{{",
    "|",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\x1c",
    "\u3000",
    "\u00a0",
    "a",
    "First Name",
    "SPINTAX",
    "spintax",
    "LOOM",
    "Loom",
    "SPİNTAX",
    "\u212aey",
    "é",
    "😀",
    "<b>",
]
templates = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=24).map("".join),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
)


@dataclass
class VariantEndpoint:
    """PATCH one variant of an in-process simulator from synchronous test code."""

    loop: asyncio.AbstractEventLoop
    client: httpx.AsyncClient
    path: str

    def patch(self, body: dict[str, Any]) -> httpx.Response:
        return self.loop.run_until_complete(self.client.patch(self.path, json=body))


@pytest.fixture(scope="module")
def endpoint() -> Iterator[VariantEndpoint]:
    """One simulator for the module (hypothesis calls the test hundreds of times)."""
    app: Starlette = create_app(api_keys=[KEY], size=20, seed=3)
    loop = asyncio.new_event_loop()
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://127.0.0.1/api/v1",
        headers={"Authorization": f"Bearer {KEY}"},
    )
    try:
        run = loop.run_until_complete
        campaign = run(client.get("/campaigns")).json()["data"][0]["id"]
        steps = run(client.get(f"/campaigns/{campaign}/sequences")).json()["data"]
        variant = steps[0]["variants"][0]["id"]
        yield VariantEndpoint(loop, client, f"/campaigns/{campaign}/variants/{variant}")
    finally:
        loop.run_until_complete(client.aclose())
        loop.close()
        app.state.simulator.close()


def _server_verdict(endpoint: VariantEndpoint, body: dict[str, Any]) -> tuple[str, int] | None:
    """None when the server accepts `body`, else the (field, offset) of its 422."""
    response = endpoint.patch(body)
    if response.status_code == 200:
        return None
    assert response.status_code == 422, response.text
    details = response.json()["details"]
    assert details["code"] == "invalid_merge_tag"
    return details["field"], details["offset"]


def _client_verdict(field: str, text: str) -> tuple[str, int] | None:
    error = validate(text)
    return None if error is None else (field, error.offset)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(subject=templates, body=templates)
@example(subject="{{a\\{{b}}", body="{{ SpInTaX }}")
@example(subject="😀{{", body="ok")
@example(subject="ok", body="x {{LOOM| }} {{")
@example(subject="{{\u212aey}}", body="{{\x1c}}")
def test_client_and_simulator_agree_on_subject_and_body(
    endpoint: VariantEndpoint, subject: str, body: str
) -> None:
    # The subject alone, the body alone, then both (the server checks the subject first).
    assert _server_verdict(endpoint, {"subject": subject}) == _client_verdict("subject", subject)
    assert _server_verdict(endpoint, {"body_html": body}) == _client_verdict("body_html", body)
    expected = _client_verdict("subject", subject) or _client_verdict("body_html", body)
    assert _server_verdict(endpoint, {"subject": subject, "body_html": body}) == expected
