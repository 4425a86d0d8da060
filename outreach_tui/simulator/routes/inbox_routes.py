"""Inbox endpoints: list, show (with campaigns), update, warmup statistics.

Choices: PATCH accepts only the documented fields (email, provider and the like are
read-only: "unknown field"); first_name, last_name and signature are strings (may be
empty); reply_to is "" to clear or a valid email.
"""

from __future__ import annotations

from starlette.responses import Response

from outreach_tui.simulator.bodies import MISSING, BodyCheck, is_plausible_email
from outreach_tui.simulator.campaigns import campaign_reference
from outreach_tui.simulator.inboxes import Inbox, inbox_json, warmup_stats_json
from outreach_tui.simulator.paging import (
    page_metadata,
    page_of,
    page_request,
    search_filter,
    sorted_items,
)
from outreach_tui.simulator.routes import ApiCall, Route, listing, ok
from outreach_tui.simulator.workspace import Workspace

SORT_KEYS = {
    "created_at": lambda inbox: inbox.created_at,
    "updated_at": lambda inbox: inbox.updated_at,
    "email": lambda inbox: inbox.email,
    "first_name": lambda inbox: inbox.first_name,
    "last_name": lambda inbox: inbox.last_name,
    "provider": lambda inbox: inbox.provider,
}
TEXT_FIELDS = ("first_name", "last_name", "signature")
BOOLEAN_FIELDS = ("is_active", "is_warming")


def _with_campaigns(workspace: Workspace, inbox: Inbox) -> dict:
    campaigns = sorted(
        (c for c in workspace.campaigns.values() if inbox.id in c.inbox_ids),
        key=lambda c: (c.created_at, c.id),
    )
    return inbox_json(inbox, [campaign_reference(c) for c in campaigns])


def list_inboxes(call: ApiCall) -> Response:
    """GET /inboxes: created_at ascending by default."""
    request = page_request(call.query, default_size=30)
    inboxes = sorted(call.workspace.inboxes.values(), key=lambda i: (i.created_at, i.id))
    found = search_filter(
        inboxes, call.query, lambda i: (i.email, i.first_name, i.last_name, i.domain)
    )
    ordered = sorted_items(found, call.query, SORT_KEYS, lambda inbox: inbox.id)
    page = page_of(ordered, request)
    return listing([inbox_json(i) for i in page], page_metadata(request, len(ordered)))


def show_inbox(call: ApiCall) -> Response:
    """GET /inboxes/:id with the campaigns it is attached to."""
    workspace = call.workspace
    return ok(_with_campaigns(workspace, workspace.inbox(call.params["inbox_id"])))


def update_inbox(call: ApiCall) -> Response:
    """PATCH /inboxes/:id: documented fields only, all-or-nothing."""
    workspace = call.workspace
    inbox = workspace.inbox(call.params["inbox_id"])
    check = BodyCheck(
        call.body(),
        (*BOOLEAN_FIELDS, *TEXT_FIELDS, "reply_to", "daily_campaign_limit", "daily_warmup_limit"),
    )
    changes: dict[str, object] = {}
    for field in BOOLEAN_FIELDS:
        changes[field] = check.boolean(field)
    for field in TEXT_FIELDS:
        changes[field] = check.string(field)
    reply_to = check.string("reply_to")
    if isinstance(reply_to, str) and reply_to.strip() and not is_plausible_email(reply_to.strip()):
        check.fail("reply_to", 'must be a valid email address, or "" to clear it')
    changes["reply_to"] = reply_to.strip() if isinstance(reply_to, str) else reply_to
    changes["daily_campaign_limit"] = check.integer("daily_campaign_limit", minimum=1, maximum=500)
    changes["daily_warmup_limit"] = check.integer("daily_warmup_limit", minimum=1, maximum=100)
    check.raise_if_invalid()
    changed = False
    for field, value in changes.items():
        if value is not MISSING and getattr(inbox, field) != value:
            setattr(inbox, field, value)
            changed = True
    if changed:
        inbox.updated_at = workspace.now()
        workspace.touch()
    return ok(_with_campaigns(workspace, inbox))


def warmup_stats(call: ApiCall) -> Response:
    """GET /inboxes/:id/warmup/stats: the last 7 days."""
    workspace = call.workspace
    inbox = workspace.inbox(call.params["inbox_id"])
    return ok(warmup_stats_json(inbox, workspace.now()))


ROUTES: list[Route] = [
    ("GET", "/inboxes", list_inboxes),
    ("GET", "/inboxes/{inbox_id}", show_inbox),
    ("PATCH", "/inboxes/{inbox_id}", update_inbox),
    ("GET", "/inboxes/{inbox_id}/warmup/stats", warmup_stats),
]
