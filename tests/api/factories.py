"""JSON shaped like the reference's answers, and a mock server that records requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from outreach_tui.api import ReachkitClient, RetryPolicy

API_KEY = "rk_live_SECRET-7f3a9c-DO-NOT-LEAK"
BASE_URL = "https://reachkit.example"
FAST_RETRIES = RetryPolicy(initial_backoff=0.001, max_backoff=0.005)

Handler = Callable[[httpx.Request], httpx.Response]


def message_json(index: int = 0, **overrides: Any) -> dict[str, Any]:
    """A message as the conversation endpoints return it."""
    message = {
        "direction": "incoming" if index % 2 else "outgoing",
        "inbox_id": "inbox-1",
        "subject": f"Re: quick question {index}",
        "text_body": "Hi Sam,\n\nThanks for reaching out. Tuesday works.\n",
        "html_body": "<p>Hi Sam,</p><p>Thanks for reaching out. Tuesday works.</p>",
        "from_email": "sam@acme.test",
        "to_recipients": [{"email": "me@sender.test", "name": "Me"}],
        "cc_recipients": [],
        "bcc_recipients": [],
        "email_date": "2024-05-01T10:00:00Z",
        "is_read": False,
        "attachments": (
            [
                {
                    "id": "att-1",
                    "filename": "deck.pdf",
                    "content_type": "application/pdf",
                    "size": 2048,
                }
            ]
            if index == 0
            else []
        ),
    }
    message.update(overrides)
    return message


def conversation_json(conversation_id: str = "conv-1", **overrides: Any) -> dict[str, Any]:
    """A conversation with three messages."""
    conversation = {
        "id": conversation_id,
        "label": "interested",
        "is_positive": True,
        "lead_id": "lead-1",
        "messages": [message_json(i) for i in range(3)],
        "created_at": "2024-05-01T09:00:00Z",
        "updated_at": "2024-05-02T09:00:00Z",
    }
    conversation.update(overrides)
    return conversation


def page_json(
    items: list[dict[str, Any]],
    *,
    page: int = 1,
    page_size: int = 100,
    total_count: int | None = None,
    total_pages: int | None = None,
) -> dict[str, Any]:
    """A list envelope with metadata."""
    total_count = len(items) if total_count is None else total_count
    if total_pages is None:
        total_pages = max(1, -(-total_count // page_size))
    return {
        "data": items,
        "metadata": {
            "page": page,
            "page_size": page_size,
            "total_count": total_count,
            "total_pages": total_pages,
        },
    }


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    """A JSON response with the given status."""
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


class MockServer:
    """An httpx.MockTransport around a handler, remembering every request it saw."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def client(self, **options: Any) -> ReachkitClient:
        """A client talking to this server with fast retries and no local budget."""
        options.setdefault("retry", FAST_RETRIES)
        options.setdefault("requests_per_minute", None)
        options.setdefault("start_rate", None)  # unpaced until refused
        return ReachkitClient(
            base_url=options.pop("base_url", BASE_URL),
            api_key=options.pop("api_key", API_KEY),
            transport=self.transport,
            **options,
        )
