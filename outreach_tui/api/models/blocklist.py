"""Blocklist models."""

from __future__ import annotations

from datetime import datetime

from outreach_tui.api.models.common import ApiModel


class BlocklistEntry(ApiModel):
    """An address the workspace never sends to."""

    id: str
    email: str
    created_at: datetime | None = None
