"""Lead endpoints (leads live under a campaign)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Literal

from outreach_tui.api.enums import IfExists
from outreach_tui.api.models import Lead, Page
from outreach_tui.api.pagination import PagedCollection
from outreach_tui.api.parsing import parse_item, parse_nothing
from outreach_tui.api.payloads import LeadCreate, build_body, path_segment
from outreach_tui.api.retries import RequestKind
from outreach_tui.api.session import ApiSession

SortOrder = Literal["asc", "desc"]


def _leads(campaign_id: str) -> str:
    return f"/campaigns/{path_segment(campaign_id, 'campaign_id')}/leads"


_LEADS = PagedCollection(Lead, _leads)


class LeadEndpoints(ApiSession):
    """Methods for /campaigns/:campaign_id/leads."""

    async def list_leads(
        self,
        campaign_id: str,
        page: int = 1,
        page_size: int = 100,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
    ) -> Page[Lead]:
        """One page of a campaign's leads."""
        return await _LEADS.page(
            self,
            page,
            page_size,
            campaign_id,
            search=search,
            sort_by=sort_by,
            sort_order=sort_order,
        )

    async def iter_lead_pages(
        self,
        campaign_id: str,
        *,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[Page[Lead]]:
        """Every page of a campaign's leads, each with only leads not yet yielded."""
        pages = _LEADS.pages(
            self.list_leads,
            page_size,
            campaign_id,
            search=search,
            sort_by=sort_by,
            sort_order=sort_order,
        )
        async for page in pages:
            yield page

    async def iter_leads(
        self,
        campaign_id: str,
        *,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[Lead]:
        """Every lead of a campaign once."""
        pages = self.iter_lead_pages(
            campaign_id, search=search, sort_by=sort_by, sort_order=sort_order, page_size=page_size
        )
        async for lead in _LEADS.items(pages):
            yield lead

    async def get_lead(self, campaign_id: str, lead_id: str) -> Lead:
        """One lead of a campaign."""
        return await self._call(
            "GET",
            f"{_leads(campaign_id)}/{path_segment(lead_id, 'lead_id')}",
            kind=RequestKind.READ,
            parse=lambda raw: parse_item(raw, Lead),
        )

    async def create_lead(
        self,
        campaign_id: str,
        *,
        email: str,
        first_name: str | None = None,
        last_name: str | None = None,
        variables: Mapping[str, Any] | None = None,
        if_exists: IfExists | Literal["fail", "skip", "update"] = "fail",
        idempotency_key: str | None = None,
    ) -> Lead:
        """Add a lead to a campaign; `if_exists` says what to do with a known email.

        With "skip" or "update" a repeat cannot duplicate, so the request is retried like
        an idempotent write; with "fail" an unknown outcome raises UncertainWriteError.
        """
        body = build_body(
            LeadCreate,
            email=email,
            first_name=first_name,
            last_name=last_name,
            variables=dict(variables) if variables is not None else None,
            if_exists=if_exists,
        )
        kind = RequestKind.CREATE if body["if_exists"] == "fail" else RequestKind.IDEMPOTENT
        return await self._call(
            "POST",
            _leads(campaign_id),
            kind=kind,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, Lead),
        )

    async def delete_lead(
        self, campaign_id: str, lead_id: str, *, idempotency_key: str | None = None
    ) -> None:
        """Remove a lead from a campaign."""
        await self._call(
            "DELETE",
            f"{_leads(campaign_id)}/{path_segment(lead_id, 'lead_id')}",
            kind=RequestKind.IDEMPOTENT,
            idempotency_key=idempotency_key,
            gone_is_done=True,
            parse=parse_nothing,
        )
