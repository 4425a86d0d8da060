"""Inbox models: sending inboxes, the campaigns using them, and warmup stats."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from outreach_tui.api.enums import (
    OpenCampaignStatus,
    OpenConnectionStatus,
    OpenConnectionType,
    OpenProvider,
)
from outreach_tui.api.models.common import ApiModel


class InboxCampaign(ApiModel):
    """A campaign an inbox sends for (embedded in GET /inboxes/:id)."""

    id: str
    name: str | None = None
    status: OpenCampaignStatus | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Inbox(ApiModel):
    """A sending inbox. `campaigns` is only filled by show and update."""

    id: str
    email: str
    domain: str | None = None
    provider: OpenProvider | None = None
    connection_type: OpenConnectionType | None = None
    connection_status: OpenConnectionStatus | None = None
    first_name: str | None = None
    last_name: str | None = None
    reply_to: str | None = None
    signature: str | None = None
    is_active: bool = False
    is_warming: bool = False
    daily_campaign_limit: int | None = None
    daily_warmup_limit: int | None = None
    campaigns: list[InboxCampaign] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime


class WarmupDay(ApiModel):
    """One day of warmup activity."""

    date: date
    sent: int = 0
    spam_count: int = 0


class WarmupStats(ApiModel):
    """Warmup statistics of an inbox over the last 7 days."""

    sent: int = 0
    received: int = 0
    saved_from_spam: int = 0
    health_score: int | None = None
    ramp_up_progress: int | None = None
    daily: list[WarmupDay] = Field(default_factory=list)
