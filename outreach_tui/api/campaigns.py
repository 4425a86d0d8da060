"""Campaign endpoints: CRUD, analytics, inbox attach/detach, schedule."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel

from outreach_tui.api.enums import CampaignStatus
from outreach_tui.api.models import (
    Campaign,
    CampaignAnalytics,
    CampaignInbox,
    DaySchedule,
    Page,
    Schedule,
    TimeWindow,
)
from outreach_tui.api.pagination import PagedCollection
from outreach_tui.api.parsing import parse_item, parse_list, parse_nothing
from outreach_tui.api.payloads import (
    UNSET,
    CampaignCreate,
    CampaignUpdate,
    InboxIds,
    ScheduleUpdate,
    UnsetType,
    build_body,
    path_segment,
)
from outreach_tui.api.retries import RequestKind
from outreach_tui.api.session import ApiSession

_BASE = "/campaigns"
SortOrder = Literal["asc", "desc"]
_CAMPAIGNS = PagedCollection(Campaign, lambda: _BASE)


def _plain(value: Any) -> Any:
    """Models given as request values become plain dicts (strict request models want dicts)."""
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    return value


class CampaignEndpoints(ApiSession):
    """Methods for /campaigns (leads and sequences have their own mixins)."""

    async def list_campaigns(
        self,
        page: int = 1,
        page_size: int = 100,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
    ) -> Page[Campaign]:
        """One page of campaigns (stats without `daily`/`sequences`)."""
        return await _CAMPAIGNS.page(
            self, page, page_size, search=search, sort_by=sort_by, sort_order=sort_order
        )

    async def iter_campaign_pages(
        self,
        *,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[Page[Campaign]]:
        """Every page of campaigns, each with only campaigns not yet yielded."""
        pages = _CAMPAIGNS.pages(
            self.list_campaigns, page_size, search=search, sort_by=sort_by, sort_order=sort_order
        )
        async for page in pages:
            yield page

    async def iter_campaigns(
        self,
        *,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[Campaign]:
        """Every campaign once."""
        pages = self.iter_campaign_pages(
            search=search, sort_by=sort_by, sort_order=sort_order, page_size=page_size
        )
        async for campaign in _CAMPAIGNS.items(pages):
            yield campaign

    async def get_campaign(self, campaign_id: str) -> Campaign:
        """One campaign with full stats (daily points and per-sequence breakdown)."""
        return await self._call(
            "GET",
            f"{_BASE}/{path_segment(campaign_id)}",
            kind=RequestKind.READ,
            parse=lambda raw: parse_item(raw, Campaign),
        )

    async def create_campaign(self, name: str, *, idempotency_key: str | None = None) -> Campaign:
        """Create a draft campaign (1-150 characters of name)."""
        body = build_body(CampaignCreate, name=name)
        return await self._call(
            "POST",
            _BASE,
            kind=RequestKind.CREATE,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, Campaign),
        )

    async def update_campaign(
        self,
        campaign_id: str,
        *,
        name: str | UnsetType = UNSET,
        status: CampaignStatus | Literal["active", "paused"] | UnsetType = UNSET,
        daily_limit: int | UnsetType = UNSET,
        stop_on_reply: bool | UnsetType = UNSET,
        stop_on_company_reply: bool | UnsetType = UNSET,
        text_only: bool | UnsetType = UNSET,
        unsubscribe_option: bool | UnsetType = UNSET,
        esp_matching: bool | UnsetType = UNSET,
        idempotency_key: str | None = None,
    ) -> Campaign:
        """Change any combination of name, status (active/paused) and options."""
        body = build_body(
            CampaignUpdate,
            require_any=True,
            name=name,
            status=status,
            daily_limit=daily_limit,
            stop_on_reply=stop_on_reply,
            stop_on_company_reply=stop_on_company_reply,
            text_only=text_only,
            unsubscribe_option=unsubscribe_option,
            esp_matching=esp_matching,
        )
        return await self._call(
            "PATCH",
            f"{_BASE}/{path_segment(campaign_id)}",
            kind=RequestKind.IDEMPOTENT,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, Campaign),
        )

    async def delete_campaign(
        self, campaign_id: str, *, idempotency_key: str | None = None
    ) -> None:
        """Delete a campaign with its schedule, sequences, variants, emails and leads."""
        await self._call(
            "DELETE",
            f"{_BASE}/{path_segment(campaign_id)}",
            kind=RequestKind.IDEMPOTENT,
            idempotency_key=idempotency_key,
            gone_is_done=True,
            parse=parse_nothing,
        )

    async def get_campaign_analytics(self, campaign_id: str) -> CampaignAnalytics:
        """Headline numbers, 30 daily points and per-sequence/variant performance."""
        return await self._call(
            "GET",
            f"{_BASE}/{path_segment(campaign_id)}/analytics",
            kind=RequestKind.READ,
            parse=lambda raw: parse_item(raw, CampaignAnalytics),
        )

    async def _inbox_set(
        self, action: str, campaign_id: str, inbox_ids: Sequence[str], key: str | None
    ) -> list[CampaignInbox]:
        if isinstance(inbox_ids, str):
            inbox_ids = [inbox_ids]
        body = build_body(InboxIds, inbox_ids=list(dict.fromkeys(inbox_ids)))
        return await self._call(
            "POST",
            f"{_BASE}/{path_segment(campaign_id)}/inboxes/{action}",
            kind=RequestKind.IDEMPOTENT,
            json=body,
            idempotency_key=key,
            parse=lambda raw: parse_list(raw, CampaignInbox),
        )

    async def attach_inboxes(
        self, campaign_id: str, inbox_ids: Sequence[str], *, idempotency_key: str | None = None
    ) -> list[CampaignInbox]:
        """Attach inboxes (all or nothing); returns every inbox attached afterwards."""
        return await self._inbox_set("attach", campaign_id, inbox_ids, idempotency_key)

    async def detach_inboxes(
        self, campaign_id: str, inbox_ids: Sequence[str], *, idempotency_key: str | None = None
    ) -> list[CampaignInbox]:
        """Detach inboxes (all or nothing); returns every inbox still attached."""
        return await self._inbox_set("detach", campaign_id, inbox_ids, idempotency_key)

    async def update_schedule(
        self,
        campaign_id: str,
        *,
        timezone: str | UnsetType = UNSET,
        default_window: TimeWindow | Mapping[str, str] | UnsetType = UNSET,
        days: Mapping[str, DaySchedule | Mapping[str, Any]] | UnsetType = UNSET,
        idempotency_key: str | None = None,
    ) -> Schedule:
        """Change the timezone, default window and/or some weekdays ("HH:MM" times).

        A day's start/end of None falls back to the default window; the server rounds
        times to its 30-minute grid and answers with what it stored.
        """
        body = build_body(
            ScheduleUpdate,
            require_any=True,
            timezone=timezone,
            default_window=_plain(default_window),
            days=_plain(days),
        )
        return await self._call(
            "PATCH",
            f"{_BASE}/{path_segment(campaign_id)}/schedule",
            kind=RequestKind.IDEMPOTENT,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, Schedule),
        )
