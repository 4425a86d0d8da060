"""Page walks end, whatever the server claims, and yield every item once."""

from __future__ import annotations

import httpx

from outreach_tui.api import Conversation
from tests.api.factories import MockServer, conversation_json, json_response, page_json


def _pages(pages: dict[int, list[str]], *, page_size: int = 3, total_pages: int | None = None):
    def handler(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        ids = pages.get(number, [])
        body = page_json(
            [conversation_json(i) for i in ids],
            page=number,
            page_size=page_size,
            total_count=sum(len(v) for v in pages.values()),
            total_pages=total_pages if total_pages is not None else len(pages),
        )
        return json_response(200, body)

    return MockServer(handler)


async def _walk(server: MockServer, page_size: int = 3) -> list[str]:
    async with server.client() as client:
        return [c.id async for c in client.iter_conversations(page_size=page_size)]


async def test_walk_stops_at_total_pages() -> None:
    server = _pages({1: ["a", "b", "c"], 2: ["d", "e", "f"], 3: ["g", "h", "i"]}, total_pages=2)
    assert await _walk(server) == ["a", "b", "c", "d", "e", "f"]
    assert len(server.requests) == 2


async def test_absurd_total_pages_over_a_repeating_page_terminates() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        items = [conversation_json(i) for i in ("a", "b", "c")]
        return json_response(
            200, page_json(items, page_size=3, total_pages=10**9, total_count=10**11)
        )

    server = MockServer(handler)
    assert await _walk(server) == ["a", "b", "c"]
    assert len(server.requests) == 2  # the second page brought nothing new


async def test_walk_stops_on_an_empty_page() -> None:
    server = _pages({1: ["a", "b", "c"], 2: []}, total_pages=50)
    assert await _walk(server) == ["a", "b", "c"]
    assert len(server.requests) == 2


async def test_walk_stops_on_a_short_page() -> None:
    server = _pages({1: ["a", "b", "c"], 2: ["d"], 3: ["e", "f", "g"]}, total_pages=50)
    assert await _walk(server) == ["a", "b", "c", "d"]
    assert len(server.requests) == 2


async def test_an_item_drifting_onto_the_next_page_is_yielded_once() -> None:
    # A new conversation arrived between the two requests: "c" shifts to page 2.
    server = _pages({1: ["a", "b", "c"], 2: ["c", "d", "e"], 3: ["f"]})
    assert await _walk(server) == ["a", "b", "c", "d", "e", "f"]


async def test_duplicates_inside_one_page_are_yielded_once() -> None:
    server = _pages({1: ["a", "a", "b"]}, total_pages=1)
    assert await _walk(server) == ["a", "b"]


async def test_server_capping_the_page_size_does_not_end_the_walk_early() -> None:
    # Asked for 100, the server answers pages of 3 and says so in the metadata.
    server = _pages({1: ["a", "b", "c"], 2: ["d", "e", "f"], 3: ["g"]}, page_size=3)
    assert await _walk(server, page_size=100) == ["a", "b", "c", "d", "e", "f", "g"]


async def test_missing_metadata_walks_until_a_short_page() -> None:
    pages = {1: ["a", "b"], 2: ["c", "d"], 3: ["e"]}

    def handler(request: httpx.Request) -> httpx.Response:
        ids = pages.get(int(request.url.params["page"]), [])
        return json_response(200, {"data": [conversation_json(i) for i in ids]})

    server = MockServer(handler)
    assert await _walk(server, page_size=2) == ["a", "b", "c", "d", "e"]


async def test_page_iteration_carries_metadata_and_skipped_records() -> None:
    bad = conversation_json("bad")
    del bad["created_at"]

    def handler(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        items = (
            [conversation_json("a"), bad, conversation_json("b")]
            if number == 1
            else [conversation_json("c")]
        )
        return json_response(
            200, page_json(items, page=number, page_size=3, total_count=4, total_pages=2)
        )

    server = MockServer(handler)
    async with server.client() as client:
        pages = [page async for page in client.iter_conversation_pages(page_size=3)]
    assert [[c.id for c in p.items] for p in pages] == [["a", "b"], ["c"]]
    assert [s.id for s in pages[0].skipped] == ["bad"]
    assert pages[1].metadata.page == 2 and pages[1].metadata.total_count == 4
    assert all(isinstance(c, Conversation) for p in pages for c in p.items)


async def test_a_full_page_of_invalid_records_does_not_end_the_walk() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        bad = [{"id": f"bad{i}"} for i in range(3)]
        items = bad if number == 1 else [conversation_json("z")]
        return json_response(200, page_json(items, page=number, page_size=3, total_pages=2))

    server = MockServer(handler)
    async with server.client() as client:
        pages = [page async for page in client.iter_conversation_pages(page_size=3)]
    assert [len(p.skipped) for p in pages] == [3, 0]
    assert [c.id for c in pages[1].items] == ["z"]


async def test_walk_passes_folder_and_search_on_every_page() -> None:
    server = _pages({1: ["a", "b", "c"], 2: ["d"]})
    async with server.client() as client:
        ids = [
            c.id
            async for c in client.iter_conversations(folder="primary", search="demo", page_size=3)
        ]
    assert ids == ["a", "b", "c", "d"]
    for request in server.requests:
        assert request.url.params["folder"] == "primary"
        assert request.url.params["search"] == "demo"
        assert request.url.params["page_size"] == "3"


async def test_every_list_endpoint_walks() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        stamp = {"created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}
        if path.endswith("/campaigns"):
            item = {"id": "camp", "name": "n", "status": "draft", **stamp}
        elif path.endswith("/inboxes"):
            item = {"id": "inb", "email": "a@b.test", **stamp}
        elif path.endswith("/leads"):
            item = {"id": "lead", "email": "l@b.test", **stamp}
        else:
            item = {"id": "blk", "email": "x@b.test", "created_at": stamp["created_at"]}
        return json_response(200, page_json([item], page_size=100))

    server = MockServer(handler)
    async with server.client() as client:
        assert [c.id async for c in client.iter_campaigns()] == ["camp"]
        assert [i.id async for i in client.iter_inboxes()] == ["inb"]
        assert [lead.id async for lead in client.iter_leads("camp")] == ["lead"]
        assert [b.id async for b in client.iter_blocklist()] == ["blk"]
        assert [len(p.items) async for p in client.iter_campaign_pages()] == [1]
        assert [len(p.items) async for p in client.iter_inbox_pages()] == [1]
        assert [len(p.items) async for p in client.iter_lead_pages("camp")] == [1]
        assert [len(p.items) async for p in client.iter_blocklist_pages()] == [1]
