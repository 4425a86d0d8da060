"""Sending inboxes: the record, its JSON projections and its warmup statistics.

Warmup choices (the reference only names the fields): the last 7 UTC days ending today;
`sent` is the sum of the daily `sent`; `received` and `saved_from_spam` are stored per day
too (saved never exceeds spam); `health_score` = round(100 * (sent - spam) / sent), and 0
when nothing was sent in the window (no evidence of health counts as unhealthy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from outreach_tui.simulator.clock import iso, last_days


@dataclass(slots=True)
class WarmupDay:
    """Warmup traffic of one day."""

    sent: int
    received: int
    spam: int
    saved: int


@dataclass(slots=True)
class Inbox:
    """A sending inbox of the workspace."""

    id: str
    email: str
    provider: str
    connection_type: str
    connection_status: str
    first_name: str
    last_name: str
    reply_to: str
    signature: str
    is_active: bool
    is_warming: bool
    daily_campaign_limit: int
    daily_warmup_limit: int
    created_at: int
    updated_at: int
    ramp_up_progress: int = 0
    warmup: dict[str, WarmupDay] = field(default_factory=dict)

    @property
    def domain(self) -> str:
        """The part of the address after the @."""
        return self.email.rpartition("@")[2]

    @property
    def full_name(self) -> str:
        """First and last name joined."""
        return f"{self.first_name} {self.last_name}".strip()


def inbox_summary(inbox: Inbox) -> dict[str, Any]:
    """The projection used inline on campaigns and by attach/detach."""
    return {
        "id": inbox.id,
        "email": inbox.email,
        "provider": inbox.provider,
        "is_active": inbox.is_active,
        "connection_status": inbox.connection_status,
    }


def inbox_json(inbox: Inbox, campaigns: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The full projection; `campaigns` (show and update only) lists attached campaigns."""
    data: dict[str, Any] = {
        "id": inbox.id,
        "email": inbox.email,
        "domain": inbox.domain,
        "provider": inbox.provider,
        "connection_type": inbox.connection_type,
        "connection_status": inbox.connection_status,
        "first_name": inbox.first_name,
        "last_name": inbox.last_name,
        "reply_to": inbox.reply_to,
        "signature": inbox.signature,
        "is_active": inbox.is_active,
        "is_warming": inbox.is_warming,
        "daily_campaign_limit": inbox.daily_campaign_limit,
        "daily_warmup_limit": inbox.daily_warmup_limit,
    }
    if campaigns is not None:
        data["campaigns"] = campaigns
    data["created_at"] = iso(inbox.created_at)
    data["updated_at"] = iso(inbox.updated_at)
    return data


def warmup_stats_json(inbox: Inbox, today: int) -> dict[str, Any]:
    """Warmup statistics over the 7 days ending today."""
    empty = WarmupDay(0, 0, 0, 0)
    days = [(date, inbox.warmup.get(date, empty)) for date in last_days(7, today)]
    sent = sum(entry.sent for _, entry in days)
    spam = sum(entry.spam for _, entry in days)
    health = round(100 * (sent - spam) / sent) if sent else 0
    return {
        "sent": sent,
        "received": sum(entry.received for _, entry in days),
        "saved_from_spam": sum(entry.saved for _, entry in days),
        "health_score": max(0, min(100, health)),
        "ramp_up_progress": inbox.ramp_up_progress,
        "daily": [
            {"date": date, "sent": entry.sent, "spam_count": entry.spam} for date, entry in days
        ],
    }
