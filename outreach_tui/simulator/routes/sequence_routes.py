"""Sequence steps and their variants.

Choices where the reference is silent:
- A variant's subject is required and non-empty on create (as documented) but may be set to
  "" by PATCH: follow-up steps often reuse the thread's subject. `body_html` may be null.
- Merge tags are checked on the text as submitted, subject first, and only the first error
  is reported: 422 {"error": "<field>: invalid merge tag at offset N", "details":
  {"field", "offset", "code": "invalid_merge_tag"}}.
- Disabling the last enabled variant of a step is 422 (details on `enabled`); deleting a
  variant that would leave its step without an enabled variant is 422
  `cannot_delete_last_variant`. Deleting a whole step is always allowed (a campaign left
  without steps simply cannot be launched).
- Listing sequences is not paginated (the reference shows no metadata).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from outreach_tui.simulator.bodies import MISSING, BodyCheck
from outreach_tui.simulator.campaigns import (
    DEFAULT_DELAY_DAYS,
    Campaign,
    Step,
    Variant,
    letter_after,
    step_json,
    variant_json,
)
from outreach_tui.simulator.errors import ApiError, not_found, validation_error
from outreach_tui.simulator.html_body import normalize_body_html, with_unsubscribe_link
from outreach_tui.simulator.mergetags import merge_tag_error_offset
from outreach_tui.simulator.routes import ApiCall, Route, no_content, ok
from outreach_tui.simulator.workspace import Workspace


def _step(campaign: Campaign, step_id: str) -> Step:
    for step in campaign.steps:
        if step.id == step_id:
            return step
    raise not_found("sequence")


def _changed(workspace: Workspace, campaign: Campaign) -> None:
    campaign.updated_at = workspace.now()
    workspace.touch()


def list_sequences(call: ApiCall) -> Response:
    """GET /campaigns/:id/sequences: every step with its variants, by step number."""
    campaign = call.workspace.campaign(call.params["campaign_id"])
    return ok([step_json(campaign, step) for step in campaign.steps])


def create_sequence(call: ApiCall) -> Response:
    """POST /campaigns/:id/sequences: a new last step with one empty variant A."""
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    check = BodyCheck(call.body(), ("delay_days",))
    delay = check.integer("delay_days", minimum=0)
    check.raise_if_invalid()
    step = Step(
        id=workspace.ids.new(), delay_days=DEFAULT_DELAY_DAYS if delay is MISSING else delay
    )
    variant = Variant(id=workspace.ids.new(), letter="A", subject=None, body_html=None)
    if campaign.options["unsubscribe_option"]:
        variant.set_body(with_unsubscribe_link(None))
    step.variants.append(variant)
    campaign.steps.append(step)
    _changed(workspace, campaign)
    return ok(step_json(campaign, step))


def update_sequence(call: ApiCall) -> Response:
    """PATCH /campaigns/:id/sequences/:id: delay_days (required, integer >= 0)."""
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    step = _step(campaign, call.params["sequence_id"])
    check = BodyCheck(call.body(), ("delay_days",))
    delay = check.integer("delay_days", required=True, minimum=0)
    check.raise_if_invalid()
    if step.delay_days != delay:
        step.delay_days = delay
        _changed(workspace, campaign)
    return ok(step_json(campaign, step))


def delete_sequence(call: ApiCall) -> Response:
    """DELETE /campaigns/:id/sequences/:id: later steps move up (numbers stay contiguous)."""
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    step = _step(campaign, call.params["sequence_id"])
    campaign.steps.remove(step)
    _changed(workspace, campaign)
    return no_content()


def _merge_tag_problem(field: str, value: Any) -> ApiError | None:
    if not isinstance(value, str):
        return None
    offset = merge_tag_error_offset(value)
    if offset is None:
        return None
    return ApiError(
        422,
        f"{field}: invalid merge tag at offset {offset}",
        {"field": field, "offset": offset, "code": "invalid_merge_tag"},
    )


def _check_merge_tags(subject: Any, body_html: Any) -> None:
    # the subject is checked first; only the first problem is reported
    for field, value in (("subject", subject), ("body_html", body_html)):
        problem = _merge_tag_problem(field, value)
        if problem is not None:
            raise problem


def _stored_body(campaign: Campaign, body_html: str | None) -> str | None:
    normalized = None if body_html is None else normalize_body_html(body_html)
    if campaign.options["unsubscribe_option"]:
        return with_unsubscribe_link(normalized)
    return normalized


def create_variant(call: ApiCall) -> Response:
    """POST /campaigns/:id/sequences/:id/variants: subject required, body normalized."""
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    step = _step(campaign, call.params["sequence_id"])
    check = BodyCheck(call.body(), ("subject", "body_html", "enabled"))
    subject = check.string("subject", required=True, non_empty=True)
    body_html = check.string("body_html", nullable=True)
    enabled = check.boolean("enabled")
    check.raise_if_invalid()
    _check_merge_tags(subject, body_html)
    variant = Variant(
        id=workspace.ids.new(),
        letter=letter_after([v.letter for v in step.variants]),
        subject=subject,
        body_html=None,
        enabled=True if enabled is MISSING else enabled,
    )
    variant.set_body(_stored_body(campaign, None if body_html is MISSING else body_html))
    step.variants.append(variant)
    _changed(workspace, campaign)
    return ok(variant_json(variant, with_letter=False))


def _variant(campaign: Campaign, variant_id: str) -> tuple[Step, Variant]:
    found = campaign.find_variant(variant_id)
    if found is None:
        raise not_found("variant")
    return found


def update_variant(call: ApiCall) -> Response:
    """PATCH /campaigns/:id/variants/:id: subject, body_html, enabled (all-or-nothing)."""
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    step, variant = _variant(campaign, call.params["variant_id"])
    check = BodyCheck(call.body(), ("subject", "body_html", "enabled"))
    subject = check.string("subject")
    body_html = check.string("body_html", nullable=True)
    enabled = check.boolean("enabled")
    check.raise_if_invalid()
    _check_merge_tags(subject, body_html)
    if enabled is False and variant.enabled:
        others = [v for v in step.variants if v is not variant and v.enabled]
        if not others:
            raise validation_error(
                {"enabled": "the last enabled variant of a step cannot be disabled"}
            )
    before = (variant.subject, variant.body_html, variant.enabled)
    if subject is not MISSING:
        variant.subject = subject
    if body_html is not MISSING:
        variant.set_body(_stored_body(campaign, body_html))
    if enabled is not MISSING:
        variant.enabled = enabled
    if before != (variant.subject, variant.body_html, variant.enabled):
        _changed(workspace, campaign)
    return ok(variant_json(variant, with_letter=False))


def delete_variant(call: ApiCall) -> Response:
    """DELETE /campaigns/:id/variants/:id: 422 cannot_delete_last_variant when it is needed."""
    workspace = call.workspace
    campaign = workspace.campaign(call.params["campaign_id"])
    step, variant = _variant(campaign, call.params["variant_id"])
    if not any(v.enabled for v in step.variants if v is not variant):
        raise ApiError(
            422,
            "cannot_delete_last_variant",
            {"variant_id": "deleting it would leave the step without an enabled variant"},
        )
    step.variants.remove(variant)
    _changed(workspace, campaign)
    return no_content()


ROUTES: list[Route] = [
    ("GET", "/campaigns/{campaign_id}/sequences", list_sequences),
    ("POST", "/campaigns/{campaign_id}/sequences", create_sequence),
    ("PATCH", "/campaigns/{campaign_id}/sequences/{sequence_id}", update_sequence),
    ("DELETE", "/campaigns/{campaign_id}/sequences/{sequence_id}", delete_sequence),
    ("POST", "/campaigns/{campaign_id}/sequences/{sequence_id}/variants", create_variant),
    ("PATCH", "/campaigns/{campaign_id}/variants/{variant_id}", update_variant),
    ("DELETE", "/campaigns/{campaign_id}/variants/{variant_id}", delete_variant),
]
