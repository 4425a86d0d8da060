"""The endpoint list of ../shared/reference/reachkit-api.md, as a request checker.

Written from the reference by hand (not from the client's code), so a request the client
invents, a path it misspells or a query parameter the reference does not list fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_ID = r"[^/]+"
_PAGING = frozenset({"page", "page_size", "search", "sort_by", "sort_order"})


@dataclass(frozen=True)
class Endpoint:
    """One documented endpoint: method, path pattern under /api/v1, what it accepts."""

    method: str
    pattern: str
    query: frozenset[str] = frozenset()
    body: frozenset[str] | None = None  # allowed JSON body keys (None: no body)

    def matches(self, method: str, path: str) -> bool:
        """Whether a request line is this endpoint."""
        regex = "^/api/v1" + self.pattern.replace(":id", _ID) + "$"
        return method == self.method and re.match(regex, path) is not None


ENDPOINTS: tuple[Endpoint, ...] = (
    # blocklist
    Endpoint("GET", "/blocklist/check", frozenset({"email"})),
    Endpoint("POST", "/blocklist", body=frozenset({"email"})),
    Endpoint("DELETE", "/blocklist/:id"),
    Endpoint("GET", "/blocklist", _PAGING),
    # campaigns
    Endpoint("GET", "/campaigns/:id/analytics"),
    Endpoint("POST", "/campaigns/:id/inboxes/attach", body=frozenset({"inbox_ids"})),
    Endpoint("POST", "/campaigns/:id/inboxes/detach", body=frozenset({"inbox_ids"})),
    Endpoint("POST", "/campaigns", body=frozenset({"name"})),
    Endpoint("DELETE", "/campaigns/:id"),
    Endpoint("GET", "/campaigns", _PAGING),
    Endpoint("GET", "/campaigns/:id"),
    Endpoint(
        "PATCH",
        "/campaigns/:id",
        body=frozenset(
            {
                "name",
                "status",
                "daily_limit",
                "stop_on_reply",
                "stop_on_company_reply",
                "text_only",
                "unsubscribe_option",
                "esp_matching",
            }
        ),
    ),
    Endpoint(
        "PATCH", "/campaigns/:id/schedule", body=frozenset({"timezone", "default_window", "days"})
    ),
    # conversations
    Endpoint(
        "POST", "/unibox/conversations", body=frozenset({"inbox_id", "to", "subject", "content"})
    ),
    Endpoint("GET", "/unibox/conversations/:id/attachments/:id"),
    Endpoint("GET", "/unibox/conversations", frozenset({"page", "page_size", "search", "folder"})),
    Endpoint("POST", "/unibox/conversations/:id/reply", body=frozenset({"content"})),
    Endpoint("GET", "/unibox/conversations/:id"),
    Endpoint("PATCH", "/unibox/conversations/:id", body=frozenset({"label_override", "is_read"})),
    # inboxes
    Endpoint("GET", "/inboxes", _PAGING),
    Endpoint("GET", "/inboxes/:id"),
    Endpoint(
        "PATCH",
        "/inboxes/:id",
        body=frozenset(
            {
                "is_active",
                "is_warming",
                "first_name",
                "last_name",
                "reply_to",
                "signature",
                "daily_campaign_limit",
                "daily_warmup_limit",
            }
        ),
    ),
    Endpoint("GET", "/inboxes/:id/warmup/stats"),
    # leads
    Endpoint(
        "POST",
        "/campaigns/:id/leads",
        body=frozenset({"email", "first_name", "last_name", "variables", "if_exists"}),
    ),
    Endpoint("DELETE", "/campaigns/:id/leads/:id"),
    Endpoint("GET", "/campaigns/:id/leads", _PAGING),
    Endpoint("GET", "/campaigns/:id/leads/:id"),
    # sequences and variants
    Endpoint("POST", "/campaigns/:id/sequences", body=frozenset({"delay_days"})),
    Endpoint(
        "POST",
        "/campaigns/:id/sequences/:id/variants",
        body=frozenset({"subject", "body_html", "enabled"}),
    ),
    Endpoint("DELETE", "/campaigns/:id/sequences/:id"),
    Endpoint("DELETE", "/campaigns/:id/variants/:id"),
    Endpoint("GET", "/campaigns/:id/sequences"),
    Endpoint("PATCH", "/campaigns/:id/sequences/:id", body=frozenset({"delay_days"})),
    Endpoint(
        "PATCH", "/campaigns/:id/variants/:id", body=frozenset({"subject", "body_html", "enabled"})
    ),
)

_FOLDERS = ("primary", "others")


def _check_query(query: Sequence[tuple[str, str]], endpoint: Endpoint) -> list[str]:
    problems = []
    names = [name for name, _ in query]
    if len(names) != len(set(names)):
        problems.append(f"repeated query parameter in {names}")
    for name, value in query:
        if name not in endpoint.query:
            problems.append(f"query parameter {name!r} is not documented here")
        elif name == "page" and not (value.isdigit() and int(value) >= 1):
            problems.append(f"page={value!r}")
        elif name == "page_size" and not (value.isdigit() and 1 <= int(value) <= 100):
            problems.append(f"page_size={value!r} (max 100)")
        elif name == "folder" and value not in _FOLDERS:
            problems.append(f"folder={value!r}")
        elif name == "sort_order" and value not in ("asc", "desc"):
            problems.append(f"sort_order={value!r}")
    return problems


def request_problems(
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    api_key: str,
) -> list[str]:
    """What is wrong with one request against the reference ([] when it is allowed).

    Checks the endpoint (method + path), its query parameters and values, the JSON body
    keys of writes, and that the key travels only as `Authorization: Bearer`.
    """
    endpoint = next((e for e in ENDPOINTS if e.matches(method, path)), None)
    if endpoint is None:
        return [f"{method} {path} is not an endpoint of the reference"]
    problems = _check_query(query, endpoint)
    lowered = {k.lower(): v for k, v in headers.items()}
    if lowered.get("authorization") != f"Bearer {api_key}":
        problems.append("the key is not in Authorization: Bearer")
    if any(api_key in value for name, value in query) or "x-api-key" in lowered:
        problems.append("the key travels outside the Authorization header")
    if endpoint.body is None:
        if body.strip():
            problems.append(f"{method} {path} carries a body")
    else:
        try:
            payload = json.loads(body)
        except ValueError:
            return [*problems, f"{method} {path}: body is not JSON"]
        if not isinstance(payload, dict) or not set(payload) <= endpoint.body:
            problems.append(f"{method} {path}: body keys {sorted(payload)} not documented")
    return [f"{method} {path}: {p}" if not p.startswith(method) else p for p in problems]
