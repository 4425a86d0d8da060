"""Blocklist endpoints: list, check, add, delete."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal

from outreach_tui.api.models import BlocklistEntry, Page
from outreach_tui.api.pagination import PagedCollection
from outreach_tui.api.parsing import parse_flag, parse_item, parse_nothing
from outreach_tui.api.payloads import (
    BlocklistAdd,
    BlocklistCheck,
    build_body,
    path_segment,
)
from outreach_tui.api.retries import RequestKind
from outreach_tui.api.session import ApiSession

_BASE = "/blocklist"
SortOrder = Literal["asc", "desc"]
_BLOCKLIST = PagedCollection(BlocklistEntry, lambda: _BASE)


class BlocklistEndpoints(ApiSession):
    """Methods for /blocklist."""

    async def list_blocklist(
        self,
        page: int = 1,
        page_size: int = 100,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
    ) -> Page[BlocklistEntry]:
        """One page of blocklist entries."""
        return await _BLOCKLIST.page(
            self, page, page_size, search=search, sort_by=sort_by, sort_order=sort_order
        )

    async def iter_blocklist_pages(
        self,
        *,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[Page[BlocklistEntry]]:
        """Every page of the blocklist, each with only entries not yet yielded."""
        pages = _BLOCKLIST.pages(
            self.list_blocklist, page_size, search=search, sort_by=sort_by, sort_order=sort_order
        )
        async for page in pages:
            yield page

    async def iter_blocklist(
        self,
        *,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[BlocklistEntry]:
        """Every blocklist entry once."""
        pages = self.iter_blocklist_pages(
            search=search, sort_by=sort_by, sort_order=sort_order, page_size=page_size
        )
        async for entry in _BLOCKLIST.items(pages):
            yield entry

    async def check_blocklist(self, email: str) -> bool:
        """Whether an address is blocked."""
        query = build_body(BlocklistCheck, email=email)
        return await self._call(
            "GET",
            f"{_BASE}/check",
            kind=RequestKind.READ,
            params=query,
            parse=lambda raw: parse_flag(raw, "blocked"),
        )

    async def add_to_blocklist(
        self, email: str, *, idempotency_key: str | None = None
    ) -> BlocklistEntry:
        """Block an address. Raises UncertainWriteError when the outcome is unknown."""
        body = build_body(BlocklistAdd, email=email)
        return await self._call(
            "POST",
            _BASE,
            kind=RequestKind.CREATE,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, BlocklistEntry),
        )

    async def delete_blocklist_entry(
        self, entry_id: str, *, idempotency_key: str | None = None
    ) -> None:
        """Unblock: delete one entry by id."""
        await self._call(
            "DELETE",
            f"{_BASE}/{path_segment(entry_id)}",
            kind=RequestKind.IDEMPOTENT,
            idempotency_key=idempotency_key,
            gone_is_done=True,
            parse=parse_nothing,
        )
