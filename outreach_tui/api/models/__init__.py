"""Pydantic models of the Reachkit API, one module per resource."""

from outreach_tui.api.models.blocklist import BlocklistEntry
from outreach_tui.api.models.campaigns import (
    Campaign,
    CampaignAnalytics,
    CampaignInbox,
    CampaignOptions,
    CampaignStats,
    DailyPoint,
    DaySchedule,
    Schedule,
    SequenceStats,
    TimeWindow,
    VariantStats,
)
from outreach_tui.api.models.common import ApiModel, ListMetadata, Page, SkippedRecord
from outreach_tui.api.models.conversations import Attachment, Conversation, Message, Recipient
from outreach_tui.api.models.inboxes import Inbox, InboxCampaign, WarmupDay, WarmupStats
from outreach_tui.api.models.leads import Lead
from outreach_tui.api.models.sequences import Sequence, Variant

__all__ = [
    "ApiModel",
    "Attachment",
    "BlocklistEntry",
    "Campaign",
    "CampaignAnalytics",
    "CampaignInbox",
    "CampaignOptions",
    "CampaignStats",
    "Conversation",
    "DailyPoint",
    "DaySchedule",
    "Inbox",
    "InboxCampaign",
    "Lead",
    "ListMetadata",
    "Message",
    "Page",
    "Recipient",
    "Schedule",
    "Sequence",
    "SequenceStats",
    "SkippedRecord",
    "TimeWindow",
    "Variant",
    "VariantStats",
    "WarmupDay",
    "WarmupStats",
]
