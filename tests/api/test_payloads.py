"""Requests are checked before sending: a bad argument never reaches the network."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import pytest

from outreach_tui.api import (
    UNSET,
    DaySchedule,
    Label,
    ReachkitClient,
    RequestValidationError,
    TimeWindow,
)
from tests.api.factories import MockServer, conversation_json, json_response

Call = Callable[[ReachkitClient], Awaitable[object]]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.update_conversation("c", label_override="maybe"), "label_override"),
        (lambda c: c.update_conversation("c", is_read="yes"), "is_read"),
        (lambda c: c.update_conversation("c"), None),
        (lambda c: c.list_conversations(page_size=101), "page_size"),
        (lambda c: c.list_conversations(page_size=0), "page_size"),
        (lambda c: c.list_conversations(page=0), "page"),
        (lambda c: c.list_conversations(folder="spam"), "folder"),
        (lambda c: c.list_campaigns(sort_order="up"), "sort_order"),
        (lambda c: c.reply_to_conversation("c", "   "), "content"),
        (lambda c: c.create_conversation(to=[], subject="s", content="c"), "to"),
        (lambda c: c.create_conversation(to=["not-an-email"], subject="s", content="c"), "to"),
        (lambda c: c.create_conversation(to=["a@b.test"], subject="", content="c"), "subject"),
        (lambda c: c.create_campaign(""), "name"),
        (lambda c: c.create_campaign("x" * 151), "name"),
        (lambda c: c.update_campaign("c", status="draft"), "status"),
        (lambda c: c.update_campaign("c", daily_limit=-1), "daily_limit"),
        (lambda c: c.update_campaign("c", daily_limit=True), "daily_limit"),
        (lambda c: c.update_schedule("c", timezone="Mars/Olympus"), "timezone"),
        (lambda c: c.update_schedule("c", timezone="Europe/Kyiv"), "timezone"),
        (
            lambda c: c.update_schedule("c", default_window={"start": "9:00", "end": "17:00"}),
            "default_window",
        ),
        (
            lambda c: c.update_schedule("c", default_window={"start": "24:00", "end": "17:00"}),
            "default_window",
        ),
        (lambda c: c.update_schedule("c", days={"funday": {"enabled": True}}), "days"),
        (lambda c: c.update_schedule("c", days={"monday": {"start": "09:60"}}), "days"),
        (lambda c: c.attach_inboxes("c", []), "inbox_ids"),
        (lambda c: c.update_inbox("i", daily_campaign_limit=0), "daily_campaign_limit"),
        (lambda c: c.update_inbox("i", daily_campaign_limit=501), "daily_campaign_limit"),
        (lambda c: c.update_inbox("i", daily_warmup_limit=101), "daily_warmup_limit"),
        (lambda c: c.update_inbox("i", reply_to="nope"), "reply_to"),
        (lambda c: c.create_lead("c", email="a@b"), "email"),
        (lambda c: c.create_lead("c", email="a@b.test", if_exists="merge"), "if_exists"),
        (lambda c: c.create_lead("c", email="a@b.test", variables={"k": [1]}), "variables"),
        (lambda c: c.create_sequence("c", delay_days=-2), "delay_days"),
        (lambda c: c.create_variant("c", "s", subject=" "), "subject"),
        (lambda c: c.update_variant("c", "v", subject=""), "subject"),
        (lambda c: c.update_variant("c", "v"), None),
        (lambda c: c.add_to_blocklist("x"), "email"),
        (lambda c: c.check_blocklist("x y@z.test"), "email"),
        (
            lambda c: c.update_conversation("c", is_read=True, idempotency_key="has space"),
            "idempotency_key",
        ),
        (lambda c: c.get_lead("c", ".."), "lead_id"),
    ],
)
async def test_invalid_requests_fail_locally(call: Call, field: str | None) -> None:
    server = MockServer(lambda r: json_response(500, {}))
    async with server.client() as client:
        with pytest.raises(RequestValidationError) as caught:
            await call(client)
    assert server.requests == []
    assert caught.value.field == field
    assert "\n" not in caught.value.message


async def test_walks_validate_before_the_first_request() -> None:
    server = MockServer(lambda r: json_response(500, {}))
    async with server.client() as client:
        with pytest.raises(RequestValidationError):
            [c async for c in client.iter_conversations(folder="trash")]
    assert server.requests == []


def _bodies(server: MockServer) -> list[dict]:
    return [json.loads(request.content) for request in server.requests]


async def test_label_override_none_is_sent_as_null_and_unset_is_not_sent() -> None:
    server = MockServer(lambda r: json_response(200, {"data": conversation_json()}))
    async with server.client() as client:
        await client.update_conversation("c", label_override=None)
        await client.update_conversation("c", is_read=False)
        await client.update_conversation("c", label_override=Label.REFERRAL, is_read=UNSET)
    assert _bodies(server) == [
        {"label_override": None},
        {"is_read": False},
        {"label_override": "referral"},
    ]


async def test_schedule_update_sends_only_what_was_given() -> None:
    schedule = {
        "timezone": "Asia/Tokyo",
        "default_window": {"start": "09:00", "end": "17:00"},
        "days": {},
    }
    server = MockServer(lambda r: json_response(200, {"data": schedule}))
    async with server.client() as client:
        await client.update_schedule("c", timezone="Asia/Tokyo")
        await client.update_schedule(
            "c",
            default_window=TimeWindow(start="08:30", end="18:00"),
            days={
                "monday": DaySchedule(enabled=True, start=None, end=None),
                "sunday": {"enabled": False},
                "friday": {"end": "15:00"},
            },
        )
    assert _bodies(server) == [
        {"timezone": "Asia/Tokyo"},
        {
            "default_window": {"start": "08:30", "end": "18:00"},
            "days": {
                "monday": {"enabled": True, "start": None, "end": None},
                "sunday": {"enabled": False},
                "friday": {"end": "15:00"},
            },
        },
    ]


async def test_create_conversation_accepts_plain_addresses_and_named_recipients() -> None:
    server = MockServer(lambda r: json_response(200, {"data": conversation_json()}))
    async with server.client() as client:
        await client.create_conversation(
            to=["sam@acme.test", {"email": "kim@acme.test", "name": "Kim"}],
            subject="Hello",
            content="<p>Hi</p>",
        )
        await client.create_conversation(
            to=["sam@acme.test"], subject="Hello", content="<p>Hi</p>", inbox_id="inbox-2"
        )
    first, second = _bodies(server)
    assert first == {
        "to": [{"email": "sam@acme.test"}, {"email": "kim@acme.test", "name": "Kim"}],
        "subject": "Hello",
        "content": "<p>Hi</p>",
    }
    assert second["inbox_id"] == "inbox-2"


async def test_update_campaign_and_inbox_send_typed_fields() -> None:
    stamp = {"created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}

    def handler(request):
        if "/inboxes/" in request.url.path:
            return json_response(200, {"data": {"id": "i", "email": "a@b.test", **stamp}})
        return json_response(200, {"data": {"id": "c", "name": "n", "status": "paused", **stamp}})

    server = MockServer(handler)
    async with server.client() as client:
        await client.update_campaign("c", status="paused", daily_limit=0, text_only=True)
        await client.update_inbox("i", reply_to="", daily_warmup_limit=100, is_warming=False)
    assert _bodies(server) == [
        {"status": "paused", "daily_limit": 0, "text_only": True},
        {"reply_to": "", "daily_warmup_limit": 100, "is_warming": False},
    ]


async def test_attach_dedupes_inbox_ids() -> None:
    server = MockServer(lambda r: json_response(200, {"data": []}))
    async with server.client() as client:
        assert await client.attach_inboxes("c", ["a", "b", "a"]) == []
    assert _bodies(server) == [{"inbox_ids": ["a", "b"]}]
