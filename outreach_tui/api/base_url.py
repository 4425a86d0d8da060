"""Normalising the server's base URL and refusing cleartext to anything but loopback."""

from __future__ import annotations

import ipaddress

import httpx

from outreach_tui.api.errors import InsecureBaseURLError

API_PREFIX = "/api/v1"


def is_loopback_host(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (what never leaves this machine)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def api_root(base_url: str) -> httpx.URL:
    """The API root (".../api/v1") for a server root given with or without that suffix.

    Raises InsecureBaseURLError for anything but an https URL, or an http URL whose host
    is loopback; and for URLs carrying credentials, a query or a fragment.
    """
    try:
        url = httpx.URL(base_url.strip())
    except (httpx.InvalidURL, TypeError):
        raise InsecureBaseURLError("base URL is not a valid URL") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise InsecureBaseURLError("base URL must be an http(s) URL with a host")
    if url.port is not None and not 1 <= url.port <= 65535:
        # httpx would hand it to the socket layer, whose OverflowError comes back wrapped
        # in a task group's ExceptionGroup: say it here, in words.
        raise InsecureBaseURLError(f"base URL port {url.port} is out of range (1-65535)")
    if url.scheme == "http" and not is_loopback_host(url.host):
        raise InsecureBaseURLError(
            f"refusing cleartext http to {url.host}: use https (http is for loopback only)"
        )
    if url.userinfo or url.query or url.fragment:
        # A key in the URL would end up in logs; a query would be dropped silently.
        raise InsecureBaseURLError("base URL must not carry credentials, a query or a fragment")
    path = url.path.rstrip("/")
    if path.endswith(API_PREFIX):
        path = path[: -len(API_PREFIX)]
    return url.copy_with(path=path + API_PREFIX + "/")
