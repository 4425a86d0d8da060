"""Leads of a campaign: the record, the per-campaign collection and the JSON projection.

Choices: emails match case-insensitively within one campaign (the same address may be a
lead of several campaigns); `if_exists: "fail"` answers 409 Conflict naming the existing
lead; `"update"` replaces the fields given (`variables` as a whole); a lead added through
the API starts `uncontacted` with `provider: null` (ESP detection pending).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from outreach_tui.simulator.clock import iso

LEAD_STATUSES = ("uncontacted", "contacted", "replied")
LEAD_PROVIDERS = ("other", "google", "microsoft", "yahoo", "zoho")


@dataclass(slots=True)
class Lead:
    """A lead; the last four fields feed campaign statistics and are never sent."""

    id: str
    campaign_id: str
    email: str
    first_name: str
    last_name: str
    status: str
    is_bounced: bool
    is_unsubscribed: bool
    provider: str | None
    variables: dict[str, Any]
    created_at: int
    updated_at: int
    conversation_id: str | None = None
    reply_variant_id: str | None = None
    replied_at: int | None = None
    steps_received: int = 0


def lead_json(lead: Lead) -> dict[str, Any]:
    """The lead projection."""
    return {
        "id": lead.id,
        "email": lead.email,
        "first_name": lead.first_name,
        "last_name": lead.last_name,
        "status": lead.status,
        "is_bounced": lead.is_bounced,
        "is_unsubscribed": lead.is_unsubscribed,
        "provider": lead.provider,
        "variables": lead.variables,
        "created_at": iso(lead.created_at),
        "updated_at": iso(lead.updated_at),
    }


class CampaignLeads:
    """The leads of one campaign in (created_at, id) order, with lookups by id and email."""

    def __init__(self) -> None:
        self.ordered: list[Lead] = []
        self._keys: list[tuple[int, str]] = []
        self.by_id: dict[str, Lead] = {}
        self.by_email: dict[str, Lead] = {}

    def __len__(self) -> int:
        return len(self.ordered)

    def add(self, lead: Lead) -> None:
        """Insert keeping the order (appending when it is the newest, the common case)."""
        key = (lead.created_at, lead.id)
        if not self._keys or key > self._keys[-1]:
            self._keys.append(key)
            self.ordered.append(lead)
        else:
            position = bisect.bisect_left(self._keys, key)
            self._keys.insert(position, key)
            self.ordered.insert(position, lead)
        self.by_id[lead.id] = lead
        self.by_email[lead.email.casefold()] = lead

    def remove(self, lead: Lead) -> None:
        """Remove a lead of this campaign."""
        position = bisect.bisect_left(self._keys, (lead.created_at, lead.id))
        del self._keys[position]
        del self.ordered[position]
        del self.by_id[lead.id]
        self.by_email.pop(lead.email.casefold(), None)

    def rename(self, lead: Lead, old_email: str) -> None:
        """Re-key the email lookup after the lead's email changed."""
        self.by_email.pop(old_email.casefold(), None)
        self.by_email[lead.email.casefold()] = lead
