"""Lead models: the people a campaign writes to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from outreach_tui.api.enums import OpenLeadStatus, OpenProvider
from outreach_tui.api.models.common import ApiModel


class Lead(ApiModel):
    """A lead of a campaign; `provider` is None while ESP detection is pending."""

    id: str
    email: str
    first_name: str | None = None
    last_name: str | None = None
    status: OpenLeadStatus | None = None
    is_bounced: bool = False
    is_unsubscribed: bool = False
    provider: OpenProvider | None = None
    variables: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime
    updated_at: datetime
