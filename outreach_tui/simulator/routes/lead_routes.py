"""Leads of a campaign: list, create (with if_exists), show, delete."""

from __future__ import annotations

from starlette.responses import Response

from outreach_tui.simulator.bodies import MISSING, BodyCheck, is_plausible_email
from outreach_tui.simulator.campaigns import Campaign
from outreach_tui.simulator.errors import ApiError, not_found
from outreach_tui.simulator.leads import Lead, lead_json
from outreach_tui.simulator.paging import (
    page_metadata,
    page_of,
    page_request,
    search_filter,
    sorted_items,
)
from outreach_tui.simulator.routes import ApiCall, Route, listing, no_content, ok

IF_EXISTS = ("fail", "skip", "update")
SORT_KEYS = {
    "created_at": lambda lead: lead.created_at,
    "updated_at": lambda lead: lead.updated_at,
    "email": lambda lead: lead.email,
    "first_name": lambda lead: lead.first_name,
    "last_name": lambda lead: lead.last_name,
    "status": lambda lead: lead.status,
}


def _search_texts(lead: Lead) -> tuple[str | None, ...]:
    company = lead.variables.get("company")
    return (
        lead.email,
        lead.first_name,
        lead.last_name,
        company if isinstance(company, str) else None,
    )


def list_leads(call: ApiCall) -> Response:
    """GET /campaigns/:id/leads: created_at ascending by default."""
    campaign = call.workspace.campaign(call.params["campaign_id"])
    request = page_request(call.query, default_size=30)
    found = search_filter(campaign.leads.ordered, call.query, _search_texts)
    ordered = sorted_items(found, call.query, SORT_KEYS, lambda lead: lead.id)
    page = page_of(ordered, request)
    return listing([lead_json(lead) for lead in page], page_metadata(request, len(ordered)))


def _lead(campaign: Campaign, lead_id: str) -> Lead:
    lead = campaign.leads.by_id.get(lead_id)
    if lead is None:
        raise not_found("lead")
    return lead


def create_lead(call: ApiCall) -> Response:
    """POST /campaigns/:id/leads: if_exists fail (409) / skip / update."""
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    check = BodyCheck(call.body(), ("email", "first_name", "last_name", "variables", "if_exists"))
    email = check.string("email", required=True, non_empty=True)
    if email is not MISSING and not is_plausible_email(email.strip()):
        check.fail("email", "must be a valid email address")
    first_name = check.string("first_name", nullable=True)
    last_name = check.string("last_name", nullable=True)
    variables = check.body.get("variables", MISSING)
    if variables is not MISSING and variables is not None and not isinstance(variables, dict):
        check.fail("variables", "must be an object")
    if_exists = check.string("if_exists")
    if if_exists is not MISSING and if_exists not in IF_EXISTS:
        check.fail("if_exists", "must be one of: fail, skip, update")
    check.raise_if_invalid()

    email = email.strip()
    existing = campaign.leads.by_email.get(email.casefold())
    now = workspace.now()
    if existing is not None:
        mode = "fail" if if_exists is MISSING else if_exists
        if mode == "fail":
            raise ApiError(
                409,
                "a lead with this email already exists in the campaign",
                {"email": "already exists", "lead_id": existing.id},
            )
        if mode == "update":
            before = (existing.first_name, existing.last_name, existing.variables)
            if first_name is not MISSING:
                existing.first_name = first_name or ""
            if last_name is not MISSING:
                existing.last_name = last_name or ""
            if variables is not MISSING:
                existing.variables = dict(variables or {})
            if before != (existing.first_name, existing.last_name, existing.variables):
                existing.updated_at = now
                workspace.touch()
        return ok(lead_json(existing))

    lead = Lead(
        id=workspace.ids.new(),
        campaign_id=campaign.id,
        email=email,
        first_name="" if first_name in (MISSING, None) else first_name,
        last_name="" if last_name in (MISSING, None) else last_name,
        status="uncontacted",
        is_bounced=False,
        is_unsubscribed=False,
        provider=None,
        variables={} if variables in (MISSING, None) else dict(variables),
        created_at=now,
        updated_at=now,
    )
    campaign.leads.add(lead)
    workspace.leads[lead.id] = lead
    workspace.touch()
    return ok(lead_json(lead))


def show_lead(call: ApiCall) -> Response:
    """GET /campaigns/:id/leads/:id."""
    campaign = call.workspace.campaign(call.params["campaign_id"])
    return ok(lead_json(_lead(campaign, call.params["lead_id"])))


def delete_lead(call: ApiCall) -> Response:
    """DELETE /campaigns/:id/leads/:id (its conversation stays, unlinked)."""
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    lead = _lead(campaign, call.params["lead_id"])
    campaign.leads.remove(lead)
    workspace.leads.pop(lead.id, None)
    conversation = workspace.conversations.get(lead.conversation_id or "")
    if conversation is not None and conversation.lead_id == lead.id:
        conversation.lead_id = None
        conversation.updated_at = max(conversation.updated_at, workspace.now())
    workspace.touch()
    return no_content()


ROUTES: list[Route] = [
    ("GET", "/campaigns/{campaign_id}/leads", list_leads),
    ("POST", "/campaigns/{campaign_id}/leads", create_lead),
    ("GET", "/campaigns/{campaign_id}/leads/{lead_id}", show_lead),
    ("DELETE", "/campaigns/{campaign_id}/leads/{lead_id}", delete_lead),
]
