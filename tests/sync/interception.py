"""A transport in front of the in-process simulator that misbehaves on chosen requests.

Each rule names a method and a path suffix and what happens to matching requests:
- "apply_then_drop": the server handles the request, then the connection breaks before
  the answer arrives (the write happened; the client cannot know);
- "drop": the connection breaks and the server never handled the request;
- "5xx": a 500 answer, nothing handled;
- "apply_then_hang" / "hang": like the drops, but the answer never comes (for cancelling).
A rule applies `times` times (None: always).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx
from starlette.applications import Starlette


@dataclass
class Rule:
    """What to do with requests matching `method` and ending with `suffix`."""

    method: str
    suffix: str
    action: str
    times: int | None = None
    hits: int = 0

    def matches(self, request: httpx.Request) -> bool:
        if request.method != self.method or not request.url.path.endswith(self.suffix):
            return False
        return self.times is None or self.hits < self.times


class InterceptingTransport(httpx.AsyncBaseTransport):
    """httpx.ASGITransport on the simulator, with misbehaviour by rule."""

    def __init__(self, app: Starlette, rules: list[Rule]) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.rules = rules
        self.never = asyncio.Event()
        # set when a hanging rule has done its part (the test may then cancel)
        self.hanging = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        rule = next((r for r in self.rules if r.matches(request)), None)
        if rule is None:
            return await self.inner.handle_async_request(request)
        rule.hits += 1
        if rule.action == "5xx":
            return httpx.Response(500, json={"error": "internal server error"})
        if rule.action.startswith("apply_then_"):
            response = await self.inner.handle_async_request(request)
            await response.aread()
        if rule.action.endswith("hang"):
            self.hanging.set()
            await self.never.wait()
        raise httpx.ReadError("connection reset by peer", request=request)
