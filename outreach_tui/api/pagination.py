"""Walking a paginated list to its end, whatever the server says about its size.

A walk ends at `total_pages`, on an empty or short page, or when a page brings no id not
already seen; so metadata claiming 10**9 pages over a repeating page cannot make it loop.
Items that drift across a page boundary while the walk runs (seen twice) are yielded
once. Items that drift the other way can be missed: a later full walk finds them.

`PagedCollection` is what the five list endpoints (campaigns, conversations, inboxes,
leads, blocklist) have in common: one page, every page, every item.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Generic, Protocol, TypeVar

from outreach_tui.api.models.common import ApiModel, Page
from outreach_tui.api.parsing import parse_page
from outreach_tui.api.payloads import query_params
from outreach_tui.api.retries import RequestKind
from outreach_tui.api.session import ApiSession


class _HasId(Protocol):
    id: str


M = TypeVar("M", bound=_HasId)
# A collection's items are parsed as response models (and walked by their `id`).
Item = TypeVar("Item", bound=ApiModel)


async def walk_pages(
    fetch_page: Callable[[int], Awaitable[Page[M]]], *, page_size: int
) -> AsyncIterator[Page[M]]:
    """Yield pages 1, 2, ... from `fetch_page(number)`, each holding only unseen items.

    Skipped (invalid) records are passed on once per id. A page that brings nothing new
    is not yielded, and ends the walk.
    """
    seen_items: set[str] = set()
    seen_skipped: set[str] = set()
    number = 1
    while True:
        page = await fetch_page(number)
        records = len(page.items) + len(page.skipped)
        fresh = []
        for item in page.items:
            if item.id not in seen_items:
                seen_items.add(item.id)
                fresh.append(item)
        fresh_skipped = []
        for record in page.skipped:
            if record.id is None or (record.id not in seen_skipped and record.id not in seen_items):
                fresh_skipped.append(record)
                if record.id is not None:
                    seen_skipped.add(record.id)
        brought_new = bool(fresh) or any(record.id is not None for record in fresh_skipped)
        if fresh or fresh_skipped:
            yield type(page).model_construct(
                items=fresh, metadata=page.metadata, skipped=fresh_skipped
            )
        if records == 0 or not brought_new:
            return
        reported_size = page.metadata.page_size
        expected = min(page_size, reported_size) if reported_size else page_size
        if records < expected:
            return
        total_pages = page.metadata.total_pages
        if total_pages is not None and number >= total_pages:
            return
        number += 1


class PagedCollection(Generic[Item]):
    """A paginated list endpoint of `model` items, served as a page, every page, every item.

    The endpoints differ only in model, path and filters. Their public `list_*`,
    `iter_*_pages` and `iter_*` methods keep their own signatures and docstrings (a public
    contract) and pass their arguments on to one of these.
    """

    def __init__(self, model: type[Item], path: Callable[..., str]) -> None:
        """`path(*ids)` is the URL path for the ids that the endpoint's `list_*` method takes
        before `page` (none, or a campaign id); it raises RequestValidationError on a bad id.
        """
        self.model = model
        self.path = path

    async def page(
        self, session: ApiSession, page: int, page_size: int, *ids: str, **filters: Any
    ) -> Page[Item]:
        """One page of `session`'s endpoint at `path(*ids)`; records that fail validation
        are in `.skipped`, not raised."""
        # The query is checked before the path: with both wrong, the query's error is raised.
        params = query_params(page=page, page_size=page_size, **filters)
        # Like the endpoint mixins, this only describes the request: `_call` sends every one.
        return await session._call(
            "GET", self.path(*ids), kind=RequestKind.READ, params=params, parse=self._parse
        )

    def pages(
        self,
        list_page: Callable[..., Awaitable[Page[Item]]],
        page_size: int,
        *ids: str,
        **filters: Any,
    ) -> AsyncIterator[Page[Item]]:
        """Every page from `list_page(*ids, number, page_size, **filters)` through
        `walk_pages`: each with only items not yet yielded.

        The arguments are checked now, so a bad one raises before the first request (the
        public `iter_*_pages` calls this on its first step). `list_page` is the public
        `list_*` method, so every page request goes through it.
        """
        query_params(page_size=page_size, **filters)
        self.path(*ids)
        return walk_pages(
            lambda number: list_page(*ids, number, page_size, **filters), page_size=page_size
        )

    async def items(self, pages: AsyncIterator[Page[Item]]) -> AsyncIterator[Item]:
        """The items of `pages`, one at a time."""
        async for page in pages:
            for item in page.items:
                yield item

    def _parse(self, raw: bytes) -> Page[Item]:
        return parse_page(raw, self.model)
