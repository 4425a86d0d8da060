"""Look at the server before resending a write whose outcome is unknown.

A reply or a create that timed out, lost its connection or met a crash may have reached
the server. The reference does not promise that `Idempotency-Key` is honoured, so the
only safe test is to look: find the thing on the server and treat the write as done,
or prove it absent and send again.

Matching is deliberately strict (our text, created after the item was queued, minus a
clock-skew allowance) so an older message that merely looks alike is not taken for ours.
Bodies are compared by their words, in order, so the server's HTML normalisation does not
hide our reply; the reference says an inbox's signature is "appended to the bottom of
every outgoing email", so our words followed by the sending inbox's signature (as cached)
match too. Anything looser would risk taking another message for ours and losing a reply.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any

from outreach_tui.api import Conversation, Message
from outreach_tui.store import outbox
from outreach_tui.store.outbox import OutboxItem
from outreach_tui.sync.progress import SyncRun

# Server and client clocks disagree; a match must be no older than queue time minus this.
CLOCK_SKEW = timedelta(minutes=10)
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


class _NotFound:
    """The write is provably not on the server."""


NOT_FOUND = _NotFound()


def _words(markup: str | None) -> list[str]:
    """The words of an HTML or text body, for comparing what was sent with what is stored."""
    return _WORD.findall(html.unescape(_TAG.sub(" ", markup or "")).lower())


def _signature_words(run: SyncRun, inbox_id: str | None) -> list[str]:
    """The words of an inbox's signature as the server last reported it ([] if unknown)."""
    if not inbox_id:
        return []
    row = run.db.conn.execute(
        "SELECT server_signature FROM inboxes WHERE id = ?", [inbox_id]
    ).fetchone()
    return _words(row[0]) if row else []


def _same_reply(run: SyncRun, message: Message, words: list[str]) -> bool:
    """Whether `message` carries exactly our words, optionally followed by its signature."""
    shapes = [words]
    signature = _signature_words(run, message.inbox_id)
    if signature:
        shapes.append(words + signature)
    return any(_words(body) in shapes for body in (message.html_body, message.text_body) if body)


def _not_before(item: OutboxItem) -> datetime:
    return datetime.fromisoformat(item.created_at) - CLOCK_SKEW


def _recent(stamp: datetime | None, item: OutboxItem) -> bool:
    return stamp is None or stamp >= _not_before(item)


async def find_on_server(run: SyncRun, item: OutboxItem) -> Any:
    """The server's record of `item` as API JSON, or NOT_FOUND."""
    finder = _FINDERS.get((item.resource, item.op))
    if finder is None:
        return NOT_FOUND
    return await finder(run, item)


def _already_matched(run: SyncRun, item: OutboxItem) -> int:
    """Other done replies of this conversation with the same text, sent within the time
    window: each accounts for one matching message on the server that is therefore not
    this item's. (A done item's `updated_at` is when it was confirmed, so an older item
    sent late still counts.)"""
    words = _words(item.value["content"])
    not_before = _not_before(item)
    done = outbox.list_items(
        run.db, (outbox.DONE,), resource="conversation", resource_id=item.resource_id
    )
    return sum(
        1
        for other in done
        if other.op == "reply"
        and other.id != item.id
        and datetime.fromisoformat(other.updated_at) >= not_before
        and _words(other.value["content"]) == words
    )


async def _find_reply(run: SyncRun, item: OutboxItem) -> Any:
    conversation = await run.client.get_conversation(item.resource_id)
    words = _words(item.value["content"])
    matches = [
        message
        for message in conversation.messages
        if message.direction == "outgoing"
        and _recent(message.email_date, item)
        and _same_reply(run, message, words)
    ]
    if len(matches) <= _already_matched(run, item):
        return NOT_FOUND
    return matches[-1].model_dump(mode="json")


async def _find_conversation(run: SyncRun, item: OutboxItem) -> Any:
    subject = item.value["subject"]
    recipients = {r["email"].lower() for r in item.value["to"]}
    words = _words(item.value["content"])
    page = await run.client.list_conversations(page=1, page_size=100, search=subject)

    def ours(conversation: Conversation) -> bool:
        if not conversation.messages or not _recent(conversation.created_at, item):
            return False
        first = conversation.messages[0]
        sent_to = {r.email.lower() for r in first.to_recipients}
        return (
            first.direction == "outgoing"
            and (first.subject or "") == subject
            and recipients <= sent_to
            and (_words(first.html_body) == words or _words(first.text_body) == words)
        )

    found = [c for c in page.items if ours(c)]
    return found[0].model_dump(mode="json") if found else NOT_FOUND


async def _find_campaign(run: SyncRun, item: OutboxItem) -> Any:
    name = item.value["name"]
    page = await run.client.list_campaigns(page=1, page_size=100, search=name)
    found = [c for c in page.items if c.name == name and _recent(c.created_at, item)]
    return found[-1].model_dump(mode="json") if found else NOT_FOUND


async def _find_lead(run: SyncRun, item: OutboxItem) -> Any:
    email = item.value["email"].lower()
    campaign_id = item.context["campaign_id"]
    page = await run.client.list_leads(campaign_id, page=1, page_size=100, search=email)
    found = [lead for lead in page.items if lead.email.lower() == email]
    return found[0].model_dump(mode="json") if found else NOT_FOUND


async def _find_blocklist_entry(run: SyncRun, item: OutboxItem) -> Any:
    email = item.value["email"].lower()
    if not await run.client.check_blocklist(email):
        return NOT_FOUND
    page = await run.client.list_blocklist(page=1, page_size=100, search=email)
    found = [entry for entry in page.items if entry.email.lower() == email]
    return found[0].model_dump(mode="json") if found else NOT_FOUND


async def _find_variant(run: SyncRun, item: OutboxItem) -> Any:
    campaign_id, sequence_id = item.context["campaign_id"], item.context["sequence_id"]
    known = {
        row[0]
        for row in run.db.conn.execute(
            "SELECT id FROM variants WHERE sequence_id = ?", [sequence_id]
        )
    }
    for sequence in await run.client.list_sequences(campaign_id):
        if sequence.id != sequence_id:
            continue
        for variant in sequence.variants:
            if variant.id not in known and variant.subject == item.value["subject"]:
                return variant.model_dump(mode="json")
    return NOT_FOUND


async def _find_sequence(run: SyncRun, item: OutboxItem) -> Any:
    campaign_id = item.context["campaign_id"]
    known = {
        row[0]
        for row in run.db.conn.execute(
            "SELECT id FROM sequences WHERE campaign_id = ?", [campaign_id]
        )
    }
    unknown = [s for s in await run.client.list_sequences(campaign_id) if s.id not in known]
    # Steps are appended at the end: a step the cache does not know is the one we created.
    return unknown[-1].model_dump(mode="json") if unknown else NOT_FOUND


_FINDERS = {
    ("conversation", "reply"): _find_reply,
    ("conversation", "create"): _find_conversation,
    ("campaign", "create"): _find_campaign,
    ("lead", "create"): _find_lead,
    ("blocklist", "create"): _find_blocklist_entry,
    ("variant", "create"): _find_variant,
    ("sequence", "create"): _find_sequence,
}
