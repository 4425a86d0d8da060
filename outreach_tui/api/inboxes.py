"""Inbox endpoints: list, show, update, warmup stats."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal

from outreach_tui.api.models import Inbox, Page, WarmupStats
from outreach_tui.api.pagination import PagedCollection
from outreach_tui.api.parsing import parse_item
from outreach_tui.api.payloads import (
    UNSET,
    InboxUpdate,
    UnsetType,
    build_body,
    path_segment,
)
from outreach_tui.api.retries import RequestKind
from outreach_tui.api.session import ApiSession

_BASE = "/inboxes"
SortOrder = Literal["asc", "desc"]
_INBOXES = PagedCollection(Inbox, lambda: _BASE)


class InboxEndpoints(ApiSession):
    """Methods for /inboxes."""

    async def list_inboxes(
        self,
        page: int = 1,
        page_size: int = 100,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
    ) -> Page[Inbox]:
        """One page of inboxes (without their campaigns)."""
        return await _INBOXES.page(
            self, page, page_size, search=search, sort_by=sort_by, sort_order=sort_order
        )

    async def iter_inbox_pages(
        self,
        *,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[Page[Inbox]]:
        """Every page of inboxes, each with only inboxes not yet yielded."""
        pages = _INBOXES.pages(
            self.list_inboxes, page_size, search=search, sort_by=sort_by, sort_order=sort_order
        )
        async for page in pages:
            yield page

    async def iter_inboxes(
        self,
        *,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[Inbox]:
        """Every inbox once."""
        pages = self.iter_inbox_pages(
            search=search, sort_by=sort_by, sort_order=sort_order, page_size=page_size
        )
        async for inbox in _INBOXES.items(pages):
            yield inbox

    async def get_inbox(self, inbox_id: str) -> Inbox:
        """One inbox with the campaigns it sends for."""
        return await self._call(
            "GET",
            f"{_BASE}/{path_segment(inbox_id)}",
            kind=RequestKind.READ,
            parse=lambda raw: parse_item(raw, Inbox),
        )

    async def update_inbox(
        self,
        inbox_id: str,
        *,
        is_active: bool | UnsetType = UNSET,
        is_warming: bool | UnsetType = UNSET,
        first_name: str | UnsetType = UNSET,
        last_name: str | UnsetType = UNSET,
        reply_to: str | UnsetType = UNSET,
        signature: str | UnsetType = UNSET,
        daily_campaign_limit: int | UnsetType = UNSET,
        daily_warmup_limit: int | UnsetType = UNSET,
        idempotency_key: str | None = None,
    ) -> Inbox:
        """Change an inbox's settings (reply_to "" clears it; limits 1-500 and 1-100)."""
        body = build_body(
            InboxUpdate,
            require_any=True,
            is_active=is_active,
            is_warming=is_warming,
            first_name=first_name,
            last_name=last_name,
            reply_to=reply_to,
            signature=signature,
            daily_campaign_limit=daily_campaign_limit,
            daily_warmup_limit=daily_warmup_limit,
        )
        return await self._call(
            "PATCH",
            f"{_BASE}/{path_segment(inbox_id)}",
            kind=RequestKind.IDEMPOTENT,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, Inbox),
        )

    async def get_warmup_stats(self, inbox_id: str) -> WarmupStats:
        """Warmup statistics of the last 7 days."""
        return await self._call(
            "GET",
            f"{_BASE}/{path_segment(inbox_id)}/warmup/stats",
            kind=RequestKind.READ,
            parse=lambda raw: parse_item(raw, WarmupStats),
        )
