"""Who may use a served app: whoever holds the token printed at start, from this origin.

Whoever opens the page drives an app that holds the profile's API key, so every HTTP and
websocket request must carry the token: as the `token` query parameter (the URL printed at
start), or as the cookie set by the first request that carried it. The page's scripts,
styles and websocket then authenticate with the cookie, which the browser sends on its own
and no script can read (HttpOnly). A request without either gets 403 before any handler
runs, so it can never start an app process.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware

TOKEN_PARAM = "token"
_FORBIDDEN_TEXT = (
    "403 forbidden: open the URL that `outreach-tui serve` printed (it carries the access token)\n"
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def new_token() -> str:
    """A fresh access token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server reachable from this machine only."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


class TokenGate:
    """Checks the token of each request; the token itself never leaves this object's repr."""

    def __init__(self, token: str, port: int) -> None:
        self._token = token.encode()
        # Browsers share cookies between the ports of one host: a name per port keeps two
        # servers on the same machine from overwriting each other's cookie.
        self.cookie_name = f"outreach_tui_serve_{port}"

    def __repr__(self) -> str:
        return f"TokenGate(cookie_name={self.cookie_name!r})"

    def matches(self, candidate: str | None) -> bool:
        """Whether `candidate` is the token (in constant time, so timing leaks nothing)."""
        if candidate is None:
            return False
        return hmac.compare_digest(candidate.encode("utf-8", "replace"), self._token)

    def middleware(self) -> Middleware:
        """An aiohttp middleware: 403 unless the request carries the token or its cookie."""

        @web.middleware
        async def require_token(request: web.Request, handler: Handler) -> web.StreamResponse:
            offered = request.query.get(TOKEN_PARAM)
            if offered is not None:
                # A wrong token in the URL is refused even with a good cookie: the URL is wrong.
                if not self.matches(offered):
                    return forbidden()
                response = await handler(request)
                if not response.prepared:  # a websocket has sent its headers already
                    self._set_cookie(response)
                return response
            if not self.matches(request.cookies.get(self.cookie_name)):
                return forbidden()
            return await handler(request)

        return require_token

    def _set_cookie(self, response: web.StreamResponse) -> None:
        # A session cookie (gone when the browser closes), unreadable by scripts, and never
        # sent with a request another site starts (no cross-site websocket can ride on it).
        response.set_cookie(
            self.cookie_name,
            self._token.decode(),
            path="/",
            httponly=True,
            samesite="Strict",
        )


def forbidden() -> web.Response:
    """The one answer to a request that may not use the server."""
    return web.Response(status=403, text=_FORBIDDEN_TEXT)


def same_origin(request: web.Request) -> bool:
    """Whether a websocket request comes from a page of this server (or from no page).

    Browsers always send `Origin` with a websocket; a page of another site opening ours
    is refused even if the browser were to attach the cookie.
    """
    origin = request.headers.get("Origin")
    if origin is None:  # not a browser: the token alone decides
        return True
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return False
    return bool(netloc) and netloc.lower() == request.host.lower()
