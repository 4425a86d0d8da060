"""Reading the simulator's own state in tests (what the server holds)."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from outreach_tui.simulator.campaigns import Variant
from outreach_tui.simulator.conversations import Conversation
from outreach_tui.simulator.workspace import Workspace


def workspace(app: Starlette, key: str) -> Workspace:
    """The workspace behind `key`."""
    return app.state.simulator.workspace(key)


def server_conversation(app: Starlette, key: str, conversation_id: str) -> Conversation:
    """The server's record of one conversation."""
    return workspace(app, key).conversations[conversation_id]


def server_variant(app: Starlette, key: str, variant_id: str) -> Variant:
    """The server's record of one variant."""
    for campaign in workspace(app, key).campaigns.values():
        for step in campaign.steps:
            for variant in step.variants:
                if variant.id == variant_id:
                    return variant
    raise KeyError(variant_id)


def outgoing_with_text(app: Starlette, key: str, conversation_id: str, text: str) -> int:
    """How many outgoing messages of the thread carry `text` (replies sent through the API)."""
    conversation = server_conversation(app, key, conversation_id)
    messages: list[dict[str, Any]] = conversation.extra or []
    return sum(1 for m in messages if m["direction"] == "outgoing" and text in m["html_body"])


def server_read_states(app: Starlette, key: str, conversation_id: str) -> set[bool]:
    """The distinct `is_read` values of a thread's messages as the server shows them."""
    ws = workspace(app, key)
    view = ws.conversation_view(ws.conversations[conversation_id])
    return {message["is_read"] for message in view["messages"]}
