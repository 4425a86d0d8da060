"""Unibox endpoints: list, show, update, reply, create, attachment download."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from outreach_tui.api.enums import Folder, Label
from outreach_tui.api.models import Conversation, Message, Page, Recipient
from outreach_tui.api.pagination import PagedCollection
from outreach_tui.api.parsing import parse_item
from outreach_tui.api.payloads import (
    UNSET,
    ConversationCreate,
    ConversationUpdate,
    ReplyCreate,
    UnsetType,
    build_body,
    path_segment,
)
from outreach_tui.api.retries import RequestKind
from outreach_tui.api.session import ApiSession
from outreach_tui.api.wire import AttachmentDownload

_BASE = "/unibox/conversations"
_CONVERSATIONS = PagedCollection(Conversation, lambda: _BASE)


def _recipient(value: str | Recipient | Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        return {"email": value}
    if isinstance(value, Recipient):
        return value.model_dump()
    return dict(value) if isinstance(value, Mapping) else value


class ConversationEndpoints(ApiSession):
    """Methods for /unibox/conversations."""

    async def list_conversations(
        self,
        page: int = 1,
        page_size: int = 100,
        folder: Folder | str | None = None,
        search: str | None = None,
    ) -> Page[Conversation]:
        """One page of conversations; invalid records are in `.skipped`, not raised."""
        return await _CONVERSATIONS.page(self, page, page_size, folder=folder, search=search)

    async def iter_conversation_pages(
        self,
        *,
        folder: Folder | str | None = None,
        search: str | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[Page[Conversation]]:
        """Every page of conversations, each with only conversations not yet yielded."""
        pages = _CONVERSATIONS.pages(
            self.list_conversations, page_size, folder=folder, search=search
        )
        async for page in pages:
            yield page

    async def iter_conversations(
        self,
        *,
        folder: Folder | str | None = None,
        search: str | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[Conversation]:
        """Every conversation once, page after page (see `walk_pages` for when it stops)."""
        pages = self.iter_conversation_pages(folder=folder, search=search, page_size=page_size)
        async for conversation in _CONVERSATIONS.items(pages):
            yield conversation

    async def get_conversation(self, conversation_id: str) -> Conversation:
        """One conversation with all its messages."""
        return await self._call(
            "GET",
            f"{_BASE}/{path_segment(conversation_id)}",
            kind=RequestKind.READ,
            parse=lambda raw: parse_item(raw, Conversation),
        )

    async def update_conversation(
        self,
        conversation_id: str,
        *,
        label_override: Label | str | UnsetType | None = UNSET,
        is_read: bool | UnsetType = UNSET,
        idempotency_key: str | None = None,
    ) -> Conversation:
        """Set the label override (None clears it: back to the AI label) and/or read state."""
        body = build_body(
            ConversationUpdate, require_any=True, label_override=label_override, is_read=is_read
        )
        return await self._call(
            "PATCH",
            f"{_BASE}/{path_segment(conversation_id)}",
            kind=RequestKind.IDEMPOTENT,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, Conversation),
        )

    async def reply_to_conversation(
        self, conversation_id: str, content: str, *, idempotency_key: str | None = None
    ) -> Message:
        """Send a reply (HTML content). Raises UncertainWriteError when it may have gone out."""
        body = build_body(ReplyCreate, content=content)
        return await self._call(
            "POST",
            f"{_BASE}/{path_segment(conversation_id)}/reply",
            kind=RequestKind.CREATE,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, Message),
        )

    async def create_conversation(
        self,
        *,
        to: Sequence[str | Recipient | Mapping[str, Any]],
        subject: str,
        content: str,
        inbox_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> Conversation:
        """Start a conversation and send its first email (from `inbox_id`, else the first
        active inbox). Raises UncertainWriteError when it may have gone out."""
        if isinstance(to, str | Recipient | Mapping):
            to = [to]  # one recipient given bare
        body = build_body(
            ConversationCreate,
            to=[_recipient(recipient) for recipient in to],
            subject=subject,
            content=content,
            inbox_id=inbox_id,
        )
        return await self._call(
            "POST",
            _BASE,
            kind=RequestKind.CREATE,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, Conversation),
        )

    async def download_attachment(
        self, conversation_id: str, attachment_id: str, destination: Path
    ) -> AttachmentDownload:
        """Stream an attachment to `destination`, or to the next free name when that one is
        taken (`name (1).ext`, …); the result's `path` is the file written.

        The body goes to a part file beside it, published on success without replacing
        any file, so parallel saves of one name each get their own file. The caller
        chooses the path; the server's filename is never used here.
        """
        path = (
            f"{_BASE}/{path_segment(conversation_id, 'conversation_id')}"
            f"/attachments/{path_segment(attachment_id, 'attachment_id')}"
        )
        return await self._download(path, Path(destination))
