"""Campaign endpoints: list, create, show, update, delete, analytics, schedule, inboxes.

Choices where the reference is silent: create accepts only `name`; the campaign PATCH
answer carries the summary stats like the list (the reference shows no daily/sequences
there), show and create the full stats; `sort_by` accepts created_at, updated_at, name and
status; `inbox_ids` must be a non-empty list of strings, and unknown ids are listed in the
404 details; detaching every inbox of an active campaign is allowed (it only blocks a
later launch).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from outreach_tui.simulator.bodies import MISSING, BodyCheck
from outreach_tui.simulator.campaigns import (
    ALLOWED_TRANSITIONS,
    Campaign,
    Step,
    Variant,
    new_campaign,
)
from outreach_tui.simulator.errors import ApiError, validation_error
from outreach_tui.simulator.html_body import with_unsubscribe_link, without_unsubscribe_link
from outreach_tui.simulator.inboxes import inbox_summary
from outreach_tui.simulator.paging import (
    page_metadata,
    page_of,
    page_request,
    search_filter,
    sorted_items,
)
from outreach_tui.simulator.routes import ApiCall, Route, listing, no_content, ok
from outreach_tui.simulator.schedule import updated_schedule

NAME_MAX = 150
BOOLEAN_OPTIONS = (
    "stop_on_reply",
    "stop_on_company_reply",
    "text_only",
    "unsubscribe_option",
    "esp_matching",
)
SORT_KEYS = {
    "created_at": lambda c: c.created_at,
    "updated_at": lambda c: c.updated_at,
    "name": lambda c: c.name,
    "status": lambda c: c.status,
}


def list_campaigns(call: ApiCall) -> Response:
    """GET /campaigns: created_at ascending by default; search matches the name."""
    workspace = call.workspace
    request = page_request(call.query, default_size=30)
    campaigns = sorted(workspace.campaigns.values(), key=lambda c: (c.created_at, c.id))
    found = search_filter(campaigns, call.query, lambda c: (c.name,))
    ordered = sorted_items(found, call.query, SORT_KEYS, lambda c: c.id)
    page = page_of(ordered, request)
    data = [workspace.campaign_view(campaign, detail=False) for campaign in page]
    return listing(data, page_metadata(request, len(ordered)))


def create_campaign(call: ApiCall) -> Response:
    """POST /campaigns: a draft with one step holding one empty variant."""
    workspace = call.workspace
    check = BodyCheck(call.body(), ("name",))
    name = check.string("name", required=True, non_empty=True, max_length=NAME_MAX)
    check.raise_if_invalid()
    campaign = new_campaign(workspace.ids.new(), name, workspace.now())
    step = Step(id=workspace.ids.new(), delay_days=3)
    step.variants.append(Variant(id=workspace.ids.new(), letter="A", subject=None, body_html=None))
    campaign.steps.append(step)
    workspace.campaigns[campaign.id] = campaign
    workspace.touch()
    return ok(workspace.campaign_view(campaign, detail=True))


def show_campaign(call: ApiCall) -> Response:
    """GET /campaigns/:id with daily and per-sequence statistics."""
    campaign = call.workspace.campaign(call.params["campaign_id"])
    return ok(call.workspace.campaign_view(campaign, detail=True))


def _launch_blockers(campaign: Campaign) -> dict[str, str]:
    blockers = {}
    if not any(variant.enabled for step in campaign.steps for variant in step.variants):
        blockers["variants"] = "the campaign has no enabled variant"
    if not campaign.inbox_ids:
        blockers["inboxes"] = "the campaign has no inbox attached"
    return blockers


def _check_status(campaign: Campaign, status: Any) -> None:
    if status == campaign.status:
        return  # already there: a harmless no-op (e.g. a retried PATCH)
    if (campaign.status, status) not in ALLOWED_TRANSITIONS:
        raise validation_error(
            {"status": f"cannot change status from {campaign.status} to {status}"}
        )
    if status == "active":
        blockers = _launch_blockers(campaign)
        if blockers:
            missing = " and ".join(
                what
                for what, key in (("an enabled variant", "variants"), ("an inbox", "inboxes"))
                if key in blockers
            )
            raise validation_error(
                {"status": f"cannot launch without {missing}", **blockers},
                f"cannot launch the campaign: it needs {missing}",
            )


def update_campaign(call: ApiCall) -> Response:
    """PATCH /campaigns/:id: all fields validated first, then applied together."""
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    check = BodyCheck(call.body(), ("name", "status", "daily_limit", *BOOLEAN_OPTIONS))
    name = check.string("name", non_empty=True, max_length=NAME_MAX)
    status = check.string("status")
    if status is not MISSING and status not in ("active", "paused"):
        check.fail("status", "must be active or paused")
    daily_limit = check.integer("daily_limit", minimum=0)
    flags = {option: check.boolean(option) for option in BOOLEAN_OPTIONS}
    check.raise_if_invalid()
    if status is not MISSING:
        _check_status(campaign, status)

    before = (campaign.name, campaign.status, dict(campaign.options))
    if name is not MISSING:
        campaign.name = name
    if status is not MISSING:
        campaign.status = status
    if daily_limit is not MISSING:
        campaign.options["daily_limit"] = daily_limit
    for option, value in flags.items():
        if value is not MISSING:
            campaign.options[option] = value
    if (
        flags["unsubscribe_option"] is not MISSING
        and before[2]["unsubscribe_option"] != (flags["unsubscribe_option"])
    ):
        _apply_unsubscribe_option(campaign)
    if before != (campaign.name, campaign.status, campaign.options):
        campaign.updated_at = workspace.now()
        workspace.touch()
    return ok(workspace.campaign_view(campaign, detail=False))


def _apply_unsubscribe_option(campaign: Campaign) -> None:
    enabled = campaign.options["unsubscribe_option"]
    for step in campaign.steps:
        for variant in step.variants:
            if enabled:
                variant.set_body(with_unsubscribe_link(variant.body_html))
            else:
                variant.set_body(without_unsubscribe_link(variant.body_html))


def delete_campaign(call: ApiCall) -> Response:
    """DELETE /campaigns/:id: its schedule, steps, variants and leads go with it.

    Conversations stay (they are the inbox's), but lose their link to the deleted leads.
    """
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    now = workspace.now()
    for lead in campaign.leads.ordered:
        workspace.leads.pop(lead.id, None)
        conversation = workspace.conversations.get(lead.conversation_id or "")
        if conversation is not None and conversation.lead_id == lead.id:
            conversation.lead_id = None
            conversation.updated_at = max(conversation.updated_at, now)
    del workspace.campaigns[campaign.id]
    workspace.touch()
    return no_content()


def campaign_analytics(call: ApiCall) -> Response:
    """GET /campaigns/:id/analytics: headline numbers, 30 days, per-variant numbers."""
    campaign = call.workspace.campaign(call.params["campaign_id"])
    return ok(dict(call.workspace.campaign_stats(campaign)))


def update_schedule(call: ApiCall) -> Response:
    """PATCH /campaigns/:id/schedule: all-or-nothing, times on the 30-minute grid."""
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    schedule, errors = updated_schedule(campaign.schedule, call.body())
    if errors:
        raise validation_error(errors)
    if schedule != campaign.schedule:
        campaign.schedule = schedule
        campaign.updated_at = workspace.now()
        workspace.touch()
    return ok(schedule)


def _inbox_ids(call: ApiCall) -> list[str]:
    check = BodyCheck(call.body(), ("inbox_ids",))
    ids = check.body.get("inbox_ids", MISSING)
    if ids is MISSING:
        check.fail("inbox_ids", "is required")
    elif not isinstance(ids, list) or not ids:
        check.fail("inbox_ids", "must be a non-empty list of inbox ids")
    elif not all(isinstance(item, str) for item in ids):
        check.fail("inbox_ids", "must contain only strings")
    check.raise_if_invalid()
    unknown = [inbox_id for inbox_id in ids if inbox_id not in call.workspace.inboxes]
    if unknown:
        # all-or-nothing: one unknown (or foreign) id and nothing changes
        raise ApiError(404, "inbox not found", {"inbox_ids": sorted(set(unknown))})
    return list(dict.fromkeys(ids))


def _attached(call: ApiCall, campaign: Campaign) -> Response:
    inboxes = call.workspace.inboxes
    return ok([inbox_summary(inboxes[inbox_id]) for inbox_id in campaign.inbox_ids])


def attach_inboxes(call: ApiCall) -> Response:
    """POST /campaigns/:id/inboxes/attach: idempotent, deduped, all-or-nothing 404."""
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    added = [i for i in _inbox_ids(call) if i not in campaign.inbox_ids]
    if added:
        campaign.inbox_ids.extend(added)
        campaign.updated_at = workspace.now()
        workspace.touch()
    return _attached(call, campaign)


def detach_inboxes(call: ApiCall) -> Response:
    """POST /campaigns/:id/inboxes/detach: idempotent, all-or-nothing 404."""
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    removed = set(_inbox_ids(call)) & set(campaign.inbox_ids)
    if removed:
        campaign.inbox_ids = [i for i in campaign.inbox_ids if i not in removed]
        campaign.updated_at = workspace.now()
        workspace.touch()
    return _attached(call, campaign)


ROUTES: list[Route] = [
    ("GET", "/campaigns", list_campaigns),
    ("POST", "/campaigns", create_campaign),
    ("GET", "/campaigns/{campaign_id}", show_campaign),
    ("PATCH", "/campaigns/{campaign_id}", update_campaign),
    ("DELETE", "/campaigns/{campaign_id}", delete_campaign),
    ("GET", "/campaigns/{campaign_id}/analytics", campaign_analytics),
    ("PATCH", "/campaigns/{campaign_id}/schedule", update_schedule),
    ("POST", "/campaigns/{campaign_id}/inboxes/attach", attach_inboxes),
    ("POST", "/campaigns/{campaign_id}/inboxes/detach", detach_inboxes),
]
