"""Campaigns, their sequence steps and variants: records and JSON projections.

Choices where the reference is silent:
- A new campaign: draft, progress 0, options daily_limit 50, stop_on_reply true, everything
  else false, the default schedule (see schedule.py), one step with one empty variant A.
- Status moves draft->active, active->paused, paused->active; asking for the status the
  campaign already has (active or paused) is accepted as a no-op so a retried PATCH is
  harmless; anything else is 422. Launching (to active) needs an enabled variant and an
  attached inbox; the 422 names what is missing.
- Variant letters are given in creation order and never reused while the variant exists:
  a new variant gets the letter after the highest one in its step (A..Z, then AA, AB...).
- Step `delay_days` is stored on every step and shown as null on the last one; appending a
  step shows the previous last step's stored value again.
- A campaign's `updated_at` moves when its own fields, schedule, inboxes, steps or variants
  change; statistics move on their own (they are "cached" numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from outreach_tui.simulator.clock import iso
from outreach_tui.simulator.html_body import body_text_from_html
from outreach_tui.simulator.leads import CampaignLeads
from outreach_tui.simulator.schedule import default_schedule

CAMPAIGN_STATUSES = ("draft", "active", "paused")
ALLOWED_TRANSITIONS = {("draft", "active"), ("active", "paused"), ("paused", "active")}
DEFAULT_DELAY_DAYS = 3


@dataclass(slots=True)
class Variant:
    """One A/B variant of a step; `sent` is its share of the campaign's sent emails."""

    id: str
    letter: str
    subject: str | None
    body_html: str | None
    enabled: bool = True
    sent: int = 0
    body_text: str | None = None

    def set_body(self, body_html: str | None) -> None:
        """Store a normalized body and its derived text."""
        self.body_html = body_html
        self.body_text = None if body_html is None else body_text_from_html(body_html)


@dataclass(slots=True)
class Step:
    """A sequence step; `delay_days` is the stored gap to the next step."""

    id: str
    delay_days: int
    variants: list[Variant] = field(default_factory=list)


@dataclass(slots=True)
class Campaign:
    """A campaign with everything it owns."""

    id: str
    name: str
    status: str
    options: dict[str, Any]
    schedule: dict[str, Any]
    created_at: int
    updated_at: int
    steps: list[Step] = field(default_factory=list)
    inbox_ids: list[str] = field(default_factory=list)
    leads: CampaignLeads = field(default_factory=CampaignLeads)
    daily_sent: dict[str, int] = field(default_factory=dict)
    revision: int = 0  # bumped when a conversation of one of its leads changes

    @property
    def sent_total(self) -> int:
        """Emails sent: the sum of every variant's share."""
        return sum(variant.sent for step in self.steps for variant in step.variants)

    def find_variant(self, variant_id: str) -> tuple[Step, Variant] | None:
        """The step and variant with this id, if the campaign owns it."""
        for step in self.steps:
            for variant in step.variants:
                if variant.id == variant_id:
                    return step, variant
        return None


def default_options() -> dict[str, Any]:
    """Options of a new campaign."""
    return {
        "daily_limit": 50,
        "stop_on_reply": True,
        "stop_on_company_reply": False,
        "text_only": False,
        "esp_matching": False,
        "unsubscribe_option": False,
    }


def new_campaign(campaign_id: str, name: str, now: int) -> Campaign:
    """A draft campaign with defaults (its first step is added by the caller)."""
    return Campaign(
        id=campaign_id,
        name=name,
        status="draft",
        options=default_options(),
        schedule=default_schedule(),
        created_at=now,
        updated_at=now,
    )


def letter_after(letters: list[str]) -> str:
    """The next variant letter after the highest of `letters` (A when empty)."""

    def number(letter: str) -> int:
        value = 0
        for char in letter:
            value = value * 26 + (ord(char) - ord("A") + 1)
        return value

    highest = max((number(letter) for letter in letters), default=0)
    value, result = highest + 1, ""
    while value:
        value, remainder = divmod(value - 1, 26)
        result = chr(ord("A") + remainder) + result
    return result


def variant_json(variant: Variant, *, with_letter: bool) -> dict[str, Any]:
    """A variant; sequence listings carry the letter, variant endpoints do not."""
    data: dict[str, Any] = {"id": variant.id}
    if with_letter:
        data["letter"] = variant.letter
    data.update(
        subject=variant.subject,
        body_html=variant.body_html,
        body_text=variant.body_text,
        enabled=variant.enabled,
    )
    return data


def step_json(campaign: Campaign, step: Step) -> dict[str, Any]:
    """A step with its variants; delay_days is null on the last step."""
    number = campaign.steps.index(step) + 1
    return {
        "id": step.id,
        "step": number,
        "delay_days": None if number == len(campaign.steps) else step.delay_days,
        "variants": [variant_json(variant, with_letter=True) for variant in step.variants],
    }


def campaign_reference(campaign: Campaign) -> dict[str, Any]:
    """The short projection listed on an inbox."""
    return {
        "id": campaign.id,
        "name": campaign.name,
        "status": campaign.status,
        "created_at": iso(campaign.created_at),
        "updated_at": iso(campaign.updated_at),
    }


def campaign_json(
    campaign: Campaign, stats: dict[str, Any], inboxes: list[dict[str, Any]]
) -> dict[str, Any]:
    """The campaign projection around already computed `stats` and inbox summaries."""
    return {
        "id": campaign.id,
        "name": campaign.name,
        "status": campaign.status,
        "progress": stats["progress"],
        "options": dict(campaign.options),
        "schedule": {
            "timezone": campaign.schedule["timezone"],
            "default_window": dict(campaign.schedule["default_window"]),
            "days": {day: dict(value) for day, value in campaign.schedule["days"].items()},
        },
        "stats": stats,
        "inboxes": inboxes,
        "created_at": iso(campaign.created_at),
        "updated_at": iso(campaign.updated_at),
    }
