"""What the conversation list shows, derived from a thread's messages.

The API gives conversations no subject, sender or activity time of their own; they are
computed here from the messages (API-shaped mappings), on ingest and whenever a queued
reply changes a thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from outreach_tui.store.codec import sortable_time

SNIPPET_CHARS = 200
# Only this much message text goes into the search index per conversation.
INDEXED_BODY_CHARS = 20_000


@dataclass(frozen=True)
class ThreadSummary:
    """The list columns of one conversation."""

    subject: str
    snippet: str
    sender_email: str
    sender_name: str
    last_activity: str
    inbox_id: str | None
    message_count: int
    is_read: bool
    search_body: str
    search_people: str


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _recipients(message: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = message.get(key)
    if not value or not isinstance(value, list):
        return []
    return [r for r in value if isinstance(r, dict | Mapping)]


def _display_name(messages: Sequence[Mapping[str, Any]], email: str) -> str:
    """The name outgoing messages used for `email` (the API has no sender names)."""
    wanted = email.casefold()
    for message in reversed(messages):
        if message.get("direction") != "outgoing":
            continue
        for recipient in _recipients(message, "to_recipients"):
            if _text(recipient.get("email")).casefold() == wanted:
                name = _text(recipient.get("name")).strip()
                if name:
                    return name
    return ""


def summarize(messages: Sequence[Mapping[str, Any]], fallback_time: Any = None) -> ThreadSummary:
    """Summarise a thread given in display order.

    Sender = the latest incoming message's `from_email` (name from outgoing recipients);
    a thread with no incoming message shows its first recipient instead. Subject = the
    first non-empty subject. Activity = the latest `email_date`, else `fallback_time`.
    Unread when any message is unread.
    """
    # One pass over the thread: this runs for every ingested conversation.
    subject = ""
    last_activity = ""
    inbox_id: str | None = None
    latest_incoming: Mapping[str, Any] | None = None
    is_read = True
    bodies: list[str] = []
    people: dict[str, None] = {}
    for message in messages:
        get = message.get
        if not subject and (text := _text(get("subject")).strip()):
            subject = text
        if get("direction") != "outgoing":
            latest_incoming = message
        moment = sortable_time(get("email_date"))
        if moment > last_activity:
            last_activity = moment
        if isinstance(candidate := get("inbox_id"), str) and candidate:
            inbox_id = candidate
        if get("is_read") is False:
            is_read = False
        bodies.append(_text(get("text_body")))
        people[_text(get("from_email"))] = None
        for key in ("to_recipients", "cc_recipients"):
            for recipient in _recipients(message, key):
                people[_text(recipient.get("name"))] = None
                people[_text(recipient.get("email"))] = None
    latest = messages[-1] if messages else {}
    text = _text(latest.get("text_body"))[: SNIPPET_CHARS * 2]
    snippet = " ".join(text.split())[:SNIPPET_CHARS]
    sender_email, sender_name = "", ""
    if latest_incoming is not None:
        sender_email = _text(latest_incoming.get("from_email"))
        sender_name = _display_name(messages, sender_email) if sender_email else ""
    elif messages:
        first = next(iter(_recipients(latest, "to_recipients")), {})
        sender_email, sender_name = _text(first.get("email")), _text(first.get("name"))
    return ThreadSummary(
        subject=subject,
        snippet=snippet,
        sender_email=sender_email,
        sender_name=sender_name,
        last_activity=last_activity or sortable_time(fallback_time),
        inbox_id=inbox_id,
        message_count=len(messages),
        is_read=is_read,
        search_body=" ".join(bodies)[:INDEXED_BODY_CHARS],
        search_people=" ".join(p for p in {sender_name: None, **people} if p),
    )
