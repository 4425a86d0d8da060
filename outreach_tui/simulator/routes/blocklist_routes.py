"""Blocklist endpoints: list, add, delete, check."""

from __future__ import annotations

from starlette.responses import Response

from outreach_tui.simulator.blocklist import BlockedEmail, blocked_json
from outreach_tui.simulator.bodies import BodyCheck, is_plausible_email
from outreach_tui.simulator.errors import not_found, validation_error
from outreach_tui.simulator.paging import (
    page_metadata,
    page_of,
    page_request,
    search_filter,
    sorted_items,
)
from outreach_tui.simulator.routes import ApiCall, Route, listing, no_content, ok

SORT_KEYS = {
    "created_at": lambda entry: entry.created_at,
    "email": lambda entry: entry.email,
}


def list_blocklist(call: ApiCall) -> Response:
    """GET /blocklist: created_at ascending by default; search matches the address."""
    request = page_request(call.query, default_size=30)
    entries = call.workspace.blocklist.ordered()
    found = search_filter(entries, call.query, lambda entry: (entry.email,))
    ordered = sorted_items(found, call.query, SORT_KEYS, lambda entry: entry.id)
    page = page_of(ordered, request)
    return listing([blocked_json(e) for e in page], page_metadata(request, len(ordered)))


def add_blocked(call: ApiCall) -> Response:
    """POST /blocklist: a duplicate answers the existing entry."""
    workspace = call.workspace
    check = BodyCheck(call.body(), ("email",))
    email = check.string("email", required=True, non_empty=True)
    if isinstance(email, str) and not is_plausible_email(email.strip()):
        check.fail("email", "must be a valid email address")
    check.raise_if_invalid()
    existing = workspace.blocklist.find(email)
    if existing is not None:
        return ok(blocked_json(existing))
    entry = BlockedEmail(workspace.ids.new(), email.strip(), workspace.now())
    workspace.blocklist.add(entry)
    workspace.touch()
    return ok(blocked_json(entry))


def delete_blocked(call: ApiCall) -> Response:
    """DELETE /blocklist/:id."""
    workspace = call.workspace
    entry = workspace.blocklist.by_id.get(call.params["entry_id"])
    if entry is None:
        raise not_found("blocklist entry")
    workspace.blocklist.remove(entry)
    workspace.touch()
    return no_content()


def check_blocked(call: ApiCall) -> Response:
    """GET /blocklist/check?email=: whether the address is listed (case-insensitive)."""
    email = (call.query.get("email") or "").strip()
    if not email:
        raise validation_error({"email": "is required"})
    return ok({"blocked": call.workspace.blocklist.find(email) is not None})


ROUTES: list[Route] = [
    ("GET", "/blocklist/check", check_blocked),
    ("GET", "/blocklist", list_blocklist),
    ("POST", "/blocklist", add_blocked),
    ("DELETE", "/blocklist/{entry_id}", delete_blocked),
]
