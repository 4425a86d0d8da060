"""The five paged collections (campaigns, conversations, inboxes, leads, blocklist).

Their `list_*` / `iter_*_pages` / `iter_*` methods are a public contract: names, parameters,
defaults, keyword-only-ness and return types are pinned here, as are the requests a walk
sends and that a bad argument fails before the first of them.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

import httpx
import pytest

from outreach_tui.api import (
    BlocklistEntry,
    Campaign,
    Conversation,
    Folder,
    Inbox,
    Lead,
    Page,
    ReachkitClient,
    RequestValidationError,
)
from tests.api.factories import MockServer, conversation_json, json_response, page_json

_SORTED_LIST = "page=1, page_size=100, search=None, sort_by=None, sort_order=None"
_SORTED_WALK = "*, search=None, sort_by=None, sort_order=None, page_size=100"

# name -> (parameters after self, rendered by _shape; return annotation)
CONTRACT: dict[str, tuple[str, Any]] = {
    "list_campaigns": (_SORTED_LIST, Page[Campaign]),
    "iter_campaign_pages": (_SORTED_WALK, AsyncIterator[Page[Campaign]]),
    "iter_campaigns": (_SORTED_WALK, AsyncIterator[Campaign]),
    "list_conversations": ("page=1, page_size=100, folder=None, search=None", Page[Conversation]),
    "iter_conversation_pages": (
        "*, folder=None, search=None, page_size=100",
        AsyncIterator[Page[Conversation]],
    ),
    "iter_conversations": (
        "*, folder=None, search=None, page_size=100",
        AsyncIterator[Conversation],
    ),
    "list_inboxes": (_SORTED_LIST, Page[Inbox]),
    "iter_inbox_pages": (_SORTED_WALK, AsyncIterator[Page[Inbox]]),
    "iter_inboxes": (_SORTED_WALK, AsyncIterator[Inbox]),
    "list_leads": (f"campaign_id, {_SORTED_LIST}", Page[Lead]),
    "iter_lead_pages": (f"campaign_id, {_SORTED_WALK}", AsyncIterator[Page[Lead]]),
    "iter_leads": (f"campaign_id, {_SORTED_WALK}", AsyncIterator[Lead]),
    "list_blocklist": (_SORTED_LIST, Page[BlocklistEntry]),
    "iter_blocklist_pages": (_SORTED_WALK, AsyncIterator[Page[BlocklistEntry]]),
    "iter_blocklist": (_SORTED_WALK, AsyncIterator[BlocklistEntry]),
}

# A parameter's type is the same in every method that has it.
PARAMETER_TYPES: dict[str, Any] = {
    "campaign_id": str,
    "page": int,
    "page_size": int,
    "search": str | None,
    "sort_by": str | None,
    "sort_order": Literal["asc", "desc"] | None,
    "folder": Folder | str | None,
}


def _shape(signature: inspect.Signature) -> str:
    """Names, defaults and the keyword-only marker of the parameters after `self`."""
    rendered: list[str] = []
    for parameter in list(signature.parameters.values())[1:]:
        if parameter.kind is parameter.KEYWORD_ONLY and "*" not in rendered:
            rendered.append("*")
        default = parameter.default
        rendered.append(
            parameter.name if default is parameter.empty else f"{parameter.name}={default!r}"
        )
    return ", ".join(rendered)


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_public_signature_is_pinned(name: str) -> None:
    method = getattr(ReachkitClient, name)  # a rename fails here
    shape, returns = CONTRACT[name]
    assert _shape(inspect.signature(method)) == shape
    hints = typing.get_type_hints(method)
    assert hints.pop("return") == returns
    assert hints == {parameter: PARAMETER_TYPES[parameter] for parameter in hints}
    # list_* are coroutines; the walks are async generators (usable with `async for`
    # and `aclose()`), as they always were.
    if name.startswith("list_"):
        assert inspect.iscoroutinefunction(method)
    else:
        assert inspect.isasyncgenfunction(method)
    assert inspect.getdoc(method)


Walk = Callable[[ReachkitClient], AsyncIterator[Any]]


@pytest.mark.parametrize(
    ("walk", "field"),
    [
        (lambda c: c.iter_campaign_pages(sort_order="up"), "sort_order"),
        (lambda c: c.iter_campaigns(page_size=0), "page_size"),
        (lambda c: c.iter_conversation_pages(folder="spam"), "folder"),
        (lambda c: c.iter_conversations(page_size=101), "page_size"),
        (lambda c: c.iter_inbox_pages(page_size=0), "page_size"),
        (lambda c: c.iter_inboxes(sort_order="up"), "sort_order"),
        (lambda c: c.iter_lead_pages("..", page_size=5), "campaign_id"),
        (lambda c: c.iter_leads("camp", sort_order="up"), "sort_order"),
        # The query is checked before the campaign id, as by list_leads.
        (lambda c: c.iter_lead_pages("..", page_size=0), "page_size"),
        (lambda c: c.iter_blocklist_pages(page_size=101), "page_size"),
        (lambda c: c.iter_blocklist(sort_order="up"), "sort_order"),
    ],
)
async def test_every_walk_validates_before_the_first_request(walk: Walk, field: str) -> None:
    server = MockServer(lambda r: json_response(500, {}))
    async with server.client() as client:
        with pytest.raises(RequestValidationError) as caught:
            [item async for item in walk(client)]
    assert server.requests == []
    assert caught.value.field == field


async def test_list_leads_checks_the_query_before_the_campaign_id() -> None:
    server = MockServer(lambda r: json_response(500, {}))
    async with server.client() as client:
        with pytest.raises(RequestValidationError) as caught:
            await client.list_leads("..", page_size=0)
    assert caught.value.field == "page_size"


def _three_pages(item: Callable[[str], dict[str, Any]]) -> MockServer:
    """Two full pages of two items, the second repeating one that drifted onto it, then a
    short page of one that ends the walk (the metadata claims more)."""
    pages = {1: ["x1", "x2"], 2: ["x2", "x3"], 3: ["x4"]}

    def handler(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        ids = pages[number]
        return json_response(
            200, page_json([item(i) for i in ids], page=number, page_size=2, total_pages=9)
        )

    return MockServer(handler)


_STAMP = {"created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}
_SORTED_QUERY = "page_size=2&search=a+b&sort_by=name&sort_order=desc"
_SORTED_FILTERS: dict[str, Any] = {"search": "a b", "sort_by": "name", "sort_order": "desc"}


@pytest.mark.parametrize(
    ("walk", "item", "path", "query"),
    [
        (
            lambda c: c.iter_campaigns(**_SORTED_FILTERS, page_size=2),
            lambda i: {"id": i, "name": "n", "status": "draft", **_STAMP},
            "/campaigns",
            _SORTED_QUERY,
        ),
        (
            lambda c: c.iter_conversations(folder=Folder.OTHERS, search="a b", page_size=2),
            conversation_json,
            "/unibox/conversations",
            "page_size=2&search=a+b&folder=others",
        ),
        (
            lambda c: c.iter_inboxes(**_SORTED_FILTERS, page_size=2),
            lambda i: {"id": i, "email": "a@b.test", **_STAMP},
            "/inboxes",
            _SORTED_QUERY,
        ),
        (
            lambda c: c.iter_leads("camp/1", **_SORTED_FILTERS, page_size=2),
            lambda i: {"id": i, "email": "l@b.test", **_STAMP},
            "/campaigns/camp%2F1/leads",
            _SORTED_QUERY,
        ),
        (
            lambda c: c.iter_blocklist(**_SORTED_FILTERS, page_size=2),
            lambda i: {"id": i, "email": "x@b.test", "created_at": _STAMP["created_at"]},
            "/blocklist",
            _SORTED_QUERY,
        ),
    ],
)
async def test_every_walk_sends_the_same_requests(
    walk: Walk, item: Callable[[str], dict[str, Any]], path: str, query: str
) -> None:
    server = _three_pages(item)
    async with server.client() as client:
        ids = [found.id async for found in walk(client)]
    assert ids == ["x1", "x2", "x3", "x4"]
    assert [(r.method, r.url.raw_path.decode()) for r in server.requests] == [
        ("GET", f"/api/v1{path}?page={number}&{query}") for number in (1, 2, 3)
    ]
