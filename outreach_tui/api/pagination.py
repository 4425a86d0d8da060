"""Walking a paginated list to its end, whatever the server says about its size.

A walk ends at `total_pages`, on an empty or short page, or when a page brings no id not
already seen; so metadata claiming 10**9 pages over a repeating page cannot make it loop.
Items that drift across a page boundary while the walk runs (seen twice) are yielded
once. Items that drift the other way can be missed: a later full walk finds them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol, TypeVar

from outreach_tui.api.models.common import Page


class _HasId(Protocol):
    id: str


M = TypeVar("M", bound=_HasId)


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
