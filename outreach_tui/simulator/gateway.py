"""The ASGI middleware in front of every route: auth, rate limit, faults, request log.

Order for a request under /api/v1: authenticate (401 without rate-limit headers) ->
rate limit (429 + Retry-After, no budget used) -> fault decision -> handler -> fault effect
-> rate-limit headers. Anything outside /api/v1 is a JSON 404 and never faulted.

Auth choices: the key is read from `Authorization: Bearer`, else `X-API-Key`, else
`?api_key=`; the first one present decides (a wrong Bearer token is 401 even if another
header holds a good key). The request log strips `api_key` from query strings.

`Idempotency-Key` is ignored unless the app was created with `honour_idempotency=True`;
then a POST/PATCH/DELETE repeating the key of an earlier 2xx answer with the same method
and path gets that answer again without running the handler.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from outreach_tui.simulator.errors import error_body, json_bytes
from outreach_tui.simulator.faults import FaultDecision
from outreach_tui.simulator.simulation import RequestRecord, Simulator

API_PREFIX = "/api/v1"
_PROXY_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
_FAULT_MESSAGES = {500: "internal server error", 502: "bad gateway", 503: "service unavailable"}
_IDEMPOTENT_METHODS = frozenset({"POST", "PATCH", "DELETE"})


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _api_key(scope: Scope, headers: dict[str, str]) -> str | None:
    authorization = headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if headers.get("x-api-key"):
        return headers["x-api-key"].strip()
    for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), True):
        if name == "api_key":
            return value
    return None


def _logged_query(scope: Scope) -> str:
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    return urlencode([(k, v) for k, v in pairs if k != "api_key"])


def _encode(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]


async def _send_simple(
    send: Send, status: int, body: bytes, content_type: str, headers: dict[str, str]
) -> None:
    all_headers = {"content-type": content_type, "content-length": str(len(body)), **headers}
    await send({"type": "http.response.start", "status": status, "headers": _encode(all_headers)})
    await send({"type": "http.response.body", "body": body})


class Gateway:
    """Pure ASGI middleware wrapping the Starlette router."""

    def __init__(self, app: ASGIApp, simulator: Simulator) -> None:
        self.app = app
        self.simulator = simulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sim = self.simulator
        method, path = scope["method"], scope["path"]
        query = _logged_query(scope)

        def log(status: int, fault: str | None = None) -> None:
            sim.record(RequestRecord(method, path, query, status, fault))

        if path != API_PREFIX and not path.startswith(API_PREFIX + "/"):
            await _send_simple(
                send, 404, json_bytes(error_body("not found")), "application/json", {}
            )
            log(404)
            return
        headers = _headers(scope)
        key = _api_key(scope, headers)
        with sim.lock:
            workspace = sim.workspace_for(key)
            if workspace is None:
                decision = None
            else:
                decision = sim.limiter.check(key) if sim.limiter else None  # type: ignore[arg-type]
        if workspace is None:
            message = "missing API key" if key is None else "invalid API key"
            await _send_simple(send, 401, json_bytes(error_body(message)), "application/json", {})
            log(401)
            return
        limit_headers = decision.headers() if decision else {}
        if decision is not None and not decision.allowed:
            body = json_bytes(error_body("rate limit exceeded"))
            await _send_simple(send, 429, body, "application/json", limit_headers)
            log(429)
            return
        with sim.lock:
            fault = sim.faults.decide() if sim.faults else FaultDecision(None)
        if fault.latency:
            await asyncio.sleep(fault.latency)
        if fault.kind == "5xx":
            await self._server_error(send, fault, limit_headers)
            log(fault.status, "5xx")
            return

        scope["reachkit.workspace"] = workspace
        scope["reachkit.simulator"] = sim
        status, response_headers, body = await self._answer(scope, receive, headers, key or "")
        for name, value in limit_headers.items():
            response_headers.append((name.lower().encode(), value.encode()))
        if fault.kind == "malformed" and status == 200 and body[:1] in (b"{", b"["):
            body = body[: len(body) // 2]
            response_headers = [
                (k, str(len(body)).encode() if k == b"content-length" else v)
                for k, v in response_headers
            ]
            log(status, "malformed")
        elif fault.kind == "drop":
            log(status, "drop")
            await self._drop(send, status, response_headers, body)
            return
        else:
            log(status)
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})

    async def _answer(
        self, scope: Scope, receive: Receive, headers: dict[str, str], key: str
    ) -> tuple[int, list[Any], bytes]:
        """Run the router and collect its whole answer (our answers are never streamed)."""
        sim = self.simulator
        idempotency_key = headers.get("idempotency-key")
        remembered = None
        if sim.honour_idempotency and idempotency_key and scope["method"] in _IDEMPOTENT_METHODS:
            remembered = (key, idempotency_key)
            with sim.lock:
                stored = sim.idempotent_answers.get(remembered)
            if stored is not None and stored[:2] == (scope["method"], scope["path"]):
                return stored[2], list(stored[3]), stored[4]
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        status, response_headers, body = start["status"], list(start["headers"]), b"".join(chunks)
        if remembered is not None and 200 <= status < 300:
            with sim.lock:
                sim.idempotent_answers[remembered] = (
                    scope["method"],
                    scope["path"],
                    status,
                    list(response_headers),
                    body,
                )
        return status, response_headers, body

    async def _server_error(
        self, send: Send, fault: FaultDecision, limit_headers: dict[str, str]
    ) -> None:
        if fault.status == 502 and fault.html:
            # what a reverse proxy sends: HTML, and none of the API's headers
            await _send_simple(send, 502, _PROXY_502, "text/html", {})
            return
        extra = dict(limit_headers)
        if fault.status == 503:
            extra["Retry-After"] = "1"
        body = json_bytes(error_body(_FAULT_MESSAGES[fault.status]))
        await _send_simple(send, fault.status, body, "application/json", extra)

    async def _drop(self, send: Send, status: int, headers: list[Any], body: bytes) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if self.simulator.served_over_socket:
            # part of the body, then return without finishing: uvicorn closes the socket
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
            return
        raise httpx.RemoteProtocolError("simulated dropped connection (Reachkit simulator fault)")
