"""Campaign models: options, schedule, stats, analytics and the inbox projection."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from outreach_tui.api.enums import (
    OpenCampaignStatus,
    OpenConnectionStatus,
    OpenProvider,
)
from outreach_tui.api.models.common import ApiModel


class TimeWindow(ApiModel):
    """A sending window, "HH:MM" to "HH:MM" (24-hour, on the server's 30-minute grid)."""

    start: str
    end: str


class DaySchedule(ApiModel):
    """One weekday: `enabled`, and start/end overriding the default window (None = default)."""

    enabled: bool = True
    start: str | None = None
    end: str | None = None


class Schedule(ApiModel):
    """A campaign's sending schedule; `days` is keyed by lower-case weekday name."""

    timezone: str | None = None
    default_window: TimeWindow | None = None
    days: dict[str, DaySchedule] = Field(default_factory=dict)


class CampaignOptions(ApiModel):
    """A campaign's sending options."""

    daily_limit: int | None = None
    stop_on_reply: bool | None = None
    stop_on_company_reply: bool | None = None
    text_only: bool | None = None
    esp_matching: bool | None = None
    unsubscribe_option: bool | None = None


class DailyPoint(ApiModel):
    """One day of campaign activity."""

    date: date
    sent: int = 0
    replies: int = 0


class VariantStats(ApiModel):
    """Performance of one variant of a sequence step."""

    id: str
    enabled: bool = True
    sent: int = 0
    replies: int = 0
    reply_rate: float = 0.0
    positive_replies: int = 0
    positive_reply_rate: float = 0.0


class SequenceStats(ApiModel):
    """Performance of one sequence step, per variant."""

    id: str
    step: int | None = None
    variants: list[VariantStats] = Field(default_factory=list)


class CampaignStats(ApiModel):
    """Headline numbers; `daily` and `sequences` are empty on list items."""

    progress: int = 0
    sequence_steps: int = 0
    leads_count: int = 0
    sent: int = 0
    contacted: int = 0
    replies: int = 0
    reply_rate: float = 0.0
    positive_replies: int = 0
    positive_reply_rate: float = 0.0
    bounced: int = 0
    bounce_rate: float = 0.0
    daily: list[DailyPoint] = Field(default_factory=list)
    sequences: list[SequenceStats] = Field(default_factory=list)


class CampaignAnalytics(CampaignStats):
    """The full analytics view of a campaign (GET /campaigns/:id/analytics)."""


class CampaignInbox(ApiModel):
    """The inbox projection embedded in a campaign and returned by attach/detach."""

    id: str
    email: str | None = None
    provider: OpenProvider | None = None
    is_active: bool | None = None
    connection_status: OpenConnectionStatus | None = None


class Campaign(ApiModel):
    """A campaign, as returned by list, show, create and update."""

    id: str
    name: str
    status: OpenCampaignStatus
    progress: int = 0
    options: CampaignOptions = Field(default_factory=CampaignOptions)
    schedule: Schedule = Field(default_factory=Schedule)
    stats: CampaignStats = Field(default_factory=CampaignStats)
    inboxes: list[CampaignInbox] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime
