"""Odd answers from a server or a proxy, each turned into a clear result or error."""

from __future__ import annotations

import json

import httpx
import pytest

from outreach_tui.api import (
    ApiStatusError,
    AuthenticationError,
    ConflictError,
    ForbiddenError,
    MalformedResponseError,
    NotFoundError,
    ServerError,
    ServerValidationError,
)
from tests.api.factories import MockServer, conversation_json, json_response, page_json

HTML_PAGE = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>"


async def test_200_with_an_error_body_is_a_malformed_response() -> None:
    server = MockServer(lambda request: json_response(200, {"error": "database is sad"}))
    async with server.client() as client:
        with pytest.raises(MalformedResponseError) as caught:
            await client.get_conversation("conv-1")
    assert "error body" in caught.value.message
    assert "database is sad" in caught.value.message
    assert caught.value.status_code == 200


async def test_html_page_with_200_is_malformed_and_retried_for_reads() -> None:
    server = MockServer(
        lambda request: httpx.Response(
            200, content=HTML_PAGE, headers={"content-type": "text/html"}
        )
    )
    async with server.client() as client:
        with pytest.raises(MalformedResponseError) as caught:
            await client.get_conversation("conv-1")
    assert "HTML page" in caught.value.message
    assert len(server.requests) == 6  # the read attempt cap


async def test_html_error_page_from_a_proxy_keeps_the_status_class() -> None:
    server = MockServer(
        lambda request: httpx.Response(
            502, content=HTML_PAGE, headers={"content-type": "text/html"}
        )
    )
    async with server.client() as client:
        with pytest.raises(ServerError) as caught:
            await client.list_campaigns()
    assert caught.value.status_code == 502
    assert "HTML error page" in caught.value.message
    assert "<" not in caught.value.message


async def test_truncated_json_is_malformed() -> None:
    body = json.dumps(page_json([conversation_json()])).encode()[:-40]
    server = MockServer(lambda request: httpx.Response(200, content=body))
    async with server.client() as client:
        with pytest.raises(MalformedResponseError, match="truncated JSON"):
            await client.list_conversations()


async def test_a_body_that_is_not_json_is_malformed() -> None:
    server = MockServer(lambda request: httpx.Response(200, content=b"OK then"))
    async with server.client() as client:
        with pytest.raises(MalformedResponseError, match="not JSON"):
            await client.get_campaign("c")


async def test_a_wrong_shape_is_malformed() -> None:
    server = MockServer(lambda request: json_response(200, {"data": {"id": "c"}}))
    async with server.client() as client:
        with pytest.raises(MalformedResponseError, match="unexpected shape"):
            await client.get_campaign("c")


async def test_204_with_no_body_is_success_for_deletes() -> None:
    server = MockServer(lambda request: httpx.Response(204))
    async with server.client() as client:
        assert await client.delete_campaign("c") is None
        assert await client.delete_lead("c", "l") is None
        assert await client.delete_blocklist_entry("b") is None
    assert [r.method for r in server.requests] == ["DELETE"] * 3


async def test_204_where_data_was_expected_is_malformed() -> None:
    server = MockServer(lambda request: httpx.Response(204))
    async with server.client() as client:
        with pytest.raises(MalformedResponseError, match="empty body"):
            await client.get_inbox("i")


async def test_unknown_label_value_survives_a_list_page() -> None:
    items = [conversation_json("a", label="asked_for_pricing"), conversation_json("b")]
    server = MockServer(lambda request: json_response(200, page_json(items)))
    async with server.client() as client:
        page = await client.list_conversations()
    assert [c.label for c in page.items] == ["asked_for_pricing", "interested"]
    assert page.skipped == []


async def test_record_missing_a_required_field_is_skipped_and_reported() -> None:
    broken = conversation_json("conv-bad")
    del broken["updated_at"]
    nameless = conversation_json()
    del nameless["id"]
    items = [conversation_json("a"), broken, nameless, conversation_json("b")]
    server = MockServer(lambda request: json_response(200, page_json(items)))
    async with server.client() as client:
        page = await client.list_conversations()
    assert [c.id for c in page.items] == ["a", "b"]
    assert [(s.id, s.index) for s in page.skipped] == [("conv-bad", 1), (None, 2)]
    assert "updated_at" in page.skipped[0].reason
    assert "id" in page.skipped[1].reason


async def test_a_record_that_is_not_an_object_is_skipped() -> None:
    items = [conversation_json("a"), "garbage", 17]
    server = MockServer(lambda request: json_response(200, page_json(items)))
    async with server.client() as client:
        page = await client.list_conversations()
    assert [c.id for c in page.items] == ["a"]
    assert [s.index for s in page.skipped] == [1, 2]


async def test_a_huge_response_is_parsed_when_under_the_cap() -> None:
    long_body = "x" * 200_000
    items = [
        conversation_json(
            f"c{i}",
            messages=[
                {
                    "direction": "incoming",
                    "text_body": long_body,
                    "email_date": "2024-01-01T00:00:00Z",
                }
            ],
        )
        for i in range(100)
    ]
    server = MockServer(lambda request: json_response(200, page_json(items)))
    async with server.client() as client:
        page = await client.list_conversations()
    assert len(page.items) == 100
    assert len(page.items[99].messages[0].text_body or "") == 200_000


async def test_a_response_over_the_cap_is_refused_without_retry() -> None:
    items = [conversation_json(f"c{i}") for i in range(100)]
    server = MockServer(lambda request: json_response(200, page_json(items)))
    async with server.client(max_response_bytes=10_000) as client:
        with pytest.raises(MalformedResponseError, match="over 10000 bytes") as caught:
            await client.list_conversations()
    assert caught.value.transient is False
    assert len(server.requests) == 1


async def test_a_streamed_body_over_the_cap_without_length_is_refused() -> None:
    async def chunks():
        for _ in range(100):
            yield b"x" * 1000

    server = MockServer(lambda request: httpx.Response(200, content=chunks()))
    async with server.client(max_response_bytes=5_000) as client:
        with pytest.raises(MalformedResponseError, match="over 5000 bytes"):
            await client.get_campaign("c")


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, ApiStatusError),
        (401, AuthenticationError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (410, ApiStatusError),
        (422, ServerValidationError),
        (500, ServerError),
        (503, ServerError),
    ],
)
async def test_error_statuses_map_to_their_class(
    status: int, error_class: type[ApiStatusError]
) -> None:
    server = MockServer(lambda request: json_response(status, {"error": "said the server"}))
    async with server.client() as client:
        with pytest.raises(error_class) as caught:
            await client.get_lead("camp", "lead")
    assert type(caught.value) is error_class
    assert caught.value.status_code == status
    assert caught.value.server_message == "said the server"
    assert "said the server" in caught.value.message
    assert "\n" not in caught.value.message


async def test_merge_tag_422_exposes_field_offset_and_code() -> None:
    body = {
        "error": "Unbalanced merge tag",
        "details": {"field": "body_html", "offset": 17, "code": "invalid_merge_tag"},
    }
    server = MockServer(lambda request: json_response(422, body))
    async with server.client() as client:
        with pytest.raises(ServerValidationError) as caught:
            await client.update_variant("camp", "var", body_html="<b>Hi {{first_name</b>")
    error = caught.value
    assert (error.field, error.offset, error.code) == ("body_html", 17, "invalid_merge_tag")
    assert error.server_message == "Unbalanced merge tag"
    assert len(server.requests) == 1  # a 422 is never retried


async def test_sibling_style_error_bodies_are_understood() -> None:
    bodies = iter(
        [
            {"message": "Contact not found."},
            {"errors": {"email": ["The email field is required."]}},
            {"error": {"message": "nested", "code": "x"}},
        ]
    )
    server = MockServer(lambda request: json_response(422, next(bodies)))
    async with server.client() as client:
        messages = []
        for _ in range(3):
            with pytest.raises(ServerValidationError) as caught:
                await client.get_inbox("i")
            messages.append((caught.value.server_message, caught.value.details))
    assert messages[0] == ("Contact not found.", {})
    assert messages[1][0] == "email: The email field is required."
    assert messages[2] == ("nested", {"code": "x"})


async def test_control_characters_in_server_messages_are_removed() -> None:
    server = MockServer(
        lambda request: json_response(404, {"error": "gone\x1b]8;;http://evil\x07\nreally"})
    )
    async with server.client() as client:
        with pytest.raises(NotFoundError) as caught:
            await client.get_inbox("i")
    assert "\x1b" not in caught.value.message and "\n" not in caught.value.message


async def test_a_redirect_is_not_followed() -> None:
    server = MockServer(
        lambda request: httpx.Response(302, headers={"location": "https://elsewhere.test/"})
    )
    async with server.client() as client:
        with pytest.raises(ApiStatusError, match="redirect"):
            await client.get_inbox("i")
    assert len(server.requests) == 1
