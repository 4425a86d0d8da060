"""PageWalk with pages fetched ahead: order, dedupe, the same ends as a plain walk."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from outreach_tui.api import Conversation, Page
from outreach_tui.api.pagination import PageWalk
from tests.api.factories import MockServer, conversation_json, json_response, page_json


class SlowPages:
    """Pages served by a MockServer, each answered after `delays[page]` seconds of loop
    time (so later pages can arrive before earlier ones)."""

    def __init__(self, pages: dict[int, list[str]], delays: dict[int, float] | None = None):
        self.pages = pages
        self.delays = delays or {}
        self.requested: list[int] = []
        self.answered: list[int] = []
        self.cancelled: list[int] = []

    async def fetch(self, number: int) -> Page[Conversation]:
        self.requested.append(number)
        try:
            await asyncio.sleep(self.delays.get(number, 0.0))
        except asyncio.CancelledError:
            self.cancelled.append(number)
            raise
        self.answered.append(number)
        ids = self.pages.get(number, [])
        server = MockServer(
            lambda request: json_response(
                200,
                page_json(
                    [conversation_json(i) for i in ids],
                    page=number,
                    page_size=3,
                    total_count=sum(len(v) for v in self.pages.values()),
                    total_pages=len(self.pages),
                ),
            )
        )
        async with server.client() as client:
            return await client.list_conversations(number, 3)


async def _ids(walk: PageWalk[Conversation]) -> list[list[str]]:
    async with walk:
        return [[item.id for item in page.items] async for page in walk]


async def test_pages_come_out_in_order_whatever_order_they_arrive_in() -> None:
    pages = {1: ["a", "b", "c"], 2: ["d", "e", "f"], 3: ["g", "h", "i"], 4: ["j", "k"]}
    server = SlowPages(pages, delays={2: 0.03, 3: 0.01})
    walk = PageWalk(server.fetch, page_size=3, ahead=3)
    assert await _ids(walk) == [["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"], ["j", "k"]]
    assert server.answered.index(3) < server.answered.index(2)  # 3 arrived first
    assert sorted(server.requested) == [1, 2, 3, 4]  # each page once
    assert walk.pages_read == 4 and walk.total_pages == 4


async def test_nothing_is_fetched_ahead_before_page_one_nor_past_the_last_page() -> None:
    pages = {1: ["a", "b", "c"], 2: ["d", "e", "f"]}
    server = SlowPages(pages)
    walk = PageWalk(server.fetch, page_size=3, ahead=4)
    assert await _ids(walk) == [["a", "b", "c"], ["d", "e", "f"]]
    assert server.requested == [1, 2]


async def test_items_drifting_onto_a_later_page_are_yielded_once() -> None:
    pages = {1: ["a", "b", "c"], 2: ["c", "d", "e"], 3: ["e", "f", "g"]}
    walk = PageWalk(SlowPages(pages).fetch, page_size=3, ahead=2)
    assert await _ids(walk) == [["a", "b", "c"], ["d", "e"], ["f", "g"]]


async def test_a_page_with_nothing_new_ends_the_walk_and_cancels_the_pages_ahead() -> None:
    pages = {1: ["a", "b", "c"], 2: ["a", "b", "c"], 3: ["d", "e", "f"], 4: ["g", "h", "i"]}
    server = SlowPages(pages, delays={3: 1.0, 4: 1.0})
    walk = PageWalk(server.fetch, page_size=3, ahead=3)
    assert await _ids(walk) == [["a", "b", "c"]]
    assert sorted(server.cancelled) == [3, 4]


async def test_leaving_a_walk_early_cancels_what_is_on_the_wire() -> None:
    pages = {n: [f"{n}{x}" for x in "abc"] for n in range(1, 6)}
    server = SlowPages(pages, delays={n: 1.0 for n in range(2, 6)})
    walk = PageWalk(server.fetch, page_size=3, ahead=3)
    async with walk:
        async for _page in walk:
            break
    assert sorted(server.cancelled) == [2, 3, 4]
    assert 5 not in server.requested


async def test_a_failed_page_ahead_is_raised_in_its_turn_after_the_pages_before_it() -> None:
    pages = {n: [f"{n}{x}" for x in "abc"] for n in range(1, 6)}
    server = SlowPages(pages)
    original = server.fetch

    async def fetch(number: int) -> Page[Conversation]:
        if number == 3:
            raise httpx.ReadError("connection reset by peer")
        return await original(number)

    walk = PageWalk(fetch, page_size=3, ahead=3)
    seen: list[str] = []
    with pytest.raises(httpx.ReadError):
        async with walk:
            async for page in walk:
                seen.extend(item.id for item in page.items)
    assert seen == ["1a", "1b", "1c", "2a", "2b", "2c"]


async def test_ahead_may_be_raised_between_pages() -> None:
    pages = {n: [f"{n}{x}" for x in "abc"] for n in range(1, 7)}
    server = SlowPages(pages)
    walk = PageWalk(server.fetch, page_size=3, ahead=0)
    async with walk:
        async for page in walk:
            if page.items[0].id == "2a":
                walk.ahead = 2
    assert server.requested == [1, 2, 3, 4, 5, 6]
    assert walk.pages_read == 6
