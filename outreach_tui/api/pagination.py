"""Walking a paginated list to its end, whatever the server says about its size.

A walk ends at `total_pages`, on an empty or short page, or when a page brings no id not
already seen; so metadata claiming 10**9 pages over a repeating page cannot make it loop.
`PageWalk` can keep a few of the next pages on the wire while the caller stores one.
Items that drift across a page boundary while the walk runs (seen twice) are yielded
once. Items that drift the other way can be missed: a later full walk finds them.

`PagedCollection` is what the five list endpoints (campaigns, conversations, inboxes,
leads, blocklist) have in common: one page, every page, every item.
"""

from __future__ import annotations

import asyncio
import contextlib
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
# Loop turns given to pages just put on the wire before the caller goes on: enough for the
# pacer to admit them and httpx to write the request on a kept-alive connection.
_TURNS_TO_SEND = 3


class PageWalk(Generic[M]):
    """Pages 1, 2, ... from `fetch_page(number)`, each holding only unseen items, with up
    to `ahead` later pages on the wire while the caller works on the current one.

    Pages come out in order whatever order their answers arrive in. Nothing is fetched
    ahead before page 1 told `total_pages`, nor past it; `ahead` may change between pages
    (the sync raises it once a walk looks long). Skipped (invalid) records are passed on
    once per id. A page that brings nothing new is not yielded, and ends the walk; pages
    fetched ahead of the end are cancelled. Use it as `async with` (or `aclose()` it) so a
    walk left early cancels what is still on the wire.
    """

    def __init__(
        self, fetch_page: Callable[[int], Awaitable[Page[M]]], *, page_size: int, ahead: int = 0
    ) -> None:
        self._fetch_page = fetch_page
        self._page_size = page_size
        self.ahead = ahead
        self._seen_items: set[str] = set()
        self._seen_skipped: set[str] = set()
        self._next = 1
        self._on_the_wire: dict[int, asyncio.Future[Page[M]]] = {}
        self._finished = False
        self.pages_read = 0
        self.total_pages: int | None = None

    def __aiter__(self) -> PageWalk[M]:
        return self

    async def __aenter__(self) -> PageWalk[M]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop the walk: cancel the pages still on the wire and wait for them to go."""
        self._finished = True
        pending = list(self._on_the_wire.values())
        self._on_the_wire.clear()
        for future in pending:
            future.cancel()
        for future in pending:
            with contextlib.suppress(BaseException):
                await future

    async def __anext__(self) -> Page[M]:
        while not self._finished:
            number = self._next
            self._next += 1
            future = self._on_the_wire.pop(number, None)
            try:
                page = await future if future is not None else await self._fetch_page(number)
            except BaseException:
                await self.aclose()
                raise
            self.pages_read += 1
            fresh = self._fresh(page)
            if self._last(page, number, brought_new=bool(fresh[0]) or fresh[2]):
                await self.aclose()
            else:
                await self._send_ahead()
            if fresh[0] or fresh[1]:
                return type(page).model_construct(
                    items=fresh[0], metadata=page.metadata, skipped=fresh[1]
                )
        raise StopAsyncIteration

    def _fresh(self, page: Page[M]) -> tuple[list[M], list[Any], bool]:
        """The items and skipped records of `page` not seen before, and whether a skipped
        record with an id was among them."""
        fresh = []
        for item in page.items:
            if item.id not in self._seen_items:
                self._seen_items.add(item.id)
                fresh.append(item)
        fresh_skipped = []
        for record in page.skipped:
            if record.id is None or (
                record.id not in self._seen_skipped and record.id not in self._seen_items
            ):
                fresh_skipped.append(record)
                if record.id is not None:
                    self._seen_skipped.add(record.id)
        return fresh, fresh_skipped, any(record.id is not None for record in fresh_skipped)

    def _last(self, page: Page[M], number: int, *, brought_new: bool) -> bool:
        """True when the walk ends with page `number`."""
        self.total_pages = page.metadata.total_pages
        records = len(page.items) + len(page.skipped)
        if records == 0 or not brought_new:
            return True
        reported_size = page.metadata.page_size
        expected = min(self._page_size, reported_size) if reported_size else self._page_size
        if records < expected:
            return True
        return self.total_pages is not None and number >= self.total_pages

    async def _send_ahead(self) -> None:
        """Put up to `ahead` of the next pages on the wire, and give them a moment to leave
        (the caller may block the loop storing the current page)."""
        if self.total_pages is None or self.ahead < 1:
            return
        started = False
        last = min(self.total_pages, self._next + self.ahead - 1)
        for number in range(self._next, last + 1):
            if number not in self._on_the_wire:
                self._on_the_wire[number] = asyncio.ensure_future(self._fetch_page(number))
                started = True
        if started:
            for _ in range(_TURNS_TO_SEND):
                await asyncio.sleep(0)


async def walk_pages(
    fetch_page: Callable[[int], Awaitable[Page[M]]], *, page_size: int
) -> AsyncIterator[Page[M]]:
    """Yield pages 1, 2, ... from `fetch_page(number)`, each holding only unseen items,
    one request at a time (see `PageWalk`, which can also fetch ahead)."""
    async with PageWalk(fetch_page, page_size=page_size) as walk:
        async for page in walk:
            yield page


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
