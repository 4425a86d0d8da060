"""Assembling the Starlette app: routes under /api/v1, JSON errors, the gateway."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from outreach_tui.simulator.errors import ApiError, error_body, json_response
from outreach_tui.simulator.gateway import API_PREFIX, Gateway
from outreach_tui.simulator.routes import (
    ApiCall,
    Handler,
    blocklist_routes,
    campaign_routes,
    conversation_routes,
    inbox_routes,
    lead_routes,
    sequence_routes,
)
from outreach_tui.simulator.simulation import Simulator, generate_api_key

_ROUTE_MODULES = (
    campaign_routes,
    sequence_routes,
    lead_routes,
    blocklist_routes,
    conversation_routes,
    inbox_routes,
)
_STATUS_MESSAGES = {404: "not found", 405: "method not allowed"}


def _endpoint(handlers: dict[str, Handler]) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        handler = handlers[request.method if request.method != "HEAD" else "GET"]
        raw_body = await request.body()
        simulator: Simulator = request.scope["reachkit.simulator"]
        call = ApiCall(
            workspace=request.scope["reachkit.workspace"],
            params=request.path_params,
            query=request.query_params,
            raw_body=raw_body,
        )
        with simulator.lock:
            try:
                return handler(call)
            except ApiError as error:
                return error.response()

    return endpoint


def _routes() -> list[Route]:
    by_path: dict[str, dict[str, Handler]] = {}
    for module in _ROUTE_MODULES:
        for method, path, handler in module.ROUTES:
            by_path.setdefault(path, {})[method] = handler
    return [
        Route(API_PREFIX + path, _endpoint(handlers), methods=list(handlers))
        for path, handlers in by_path.items()
    ]


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = _STATUS_MESSAGES.get(exc.status_code, str(exc.detail))
    return json_response(error_body(message), exc.status_code, exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    return json_response(error_body("internal server error"), 500)


def create_app(
    api_keys: Sequence[str] | None = None,
    size: int = 300,
    seed: int = 1,
    rate_limit: str | None = None,
    faults: str | None = None,
    live_interval: float = 0.0,
    honour_idempotency: bool = False,
) -> Starlette:
    """The simulator as an ASGI app; `app.state.simulator` is the `Simulator`.

    `api_keys` default to one generated key (see `simulator.api_keys`). Raises ValueError
    for a bad `rate_limit` or `faults` spec.
    """
    simulator = Simulator(
        list(api_keys) if api_keys else [generate_api_key()],
        size,
        seed,
        rate_limit=rate_limit,
        faults=faults,
        live_interval=live_interval,
        honour_idempotency=honour_idempotency,
    )
    app = Starlette(
        routes=_routes(),
        middleware=[Middleware(Gateway, simulator=simulator)],
        exception_handlers={HTTPException: _http_error, Exception: _unexpected},
    )
    # /api/v1/campaigns/ is an unknown route (JSON 404), not a redirect
    app.router.redirect_slashes = False
    app.state.simulator = simulator
    return app
