"""Unibox models: conversations, their messages, recipients and attachments."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from outreach_tui.api.enums import OpenDirection, OpenLabel
from outreach_tui.api.models.common import ApiModel


class Recipient(ApiModel):
    """An address on a message (`name` may be missing or null)."""

    email: str
    name: str | None = None


class Attachment(ApiModel):
    """An attachment's metadata; the content is fetched with `download_attachment`."""

    id: str
    filename: str | None = None
    content_type: str | None = None
    size: int | None = None


class Message(ApiModel):
    """One email of a conversation. Messages carry no id in the reference."""

    direction: OpenDirection
    inbox_id: str | None = None
    subject: str | None = None
    text_body: str | None = None
    html_body: str | None = None
    from_email: str | None = None
    to_recipients: list[Recipient] = Field(default_factory=list)
    cc_recipients: list[Recipient] = Field(default_factory=list)
    bcc_recipients: list[Recipient] = Field(default_factory=list)
    email_date: datetime | None = None
    is_read: bool = False
    attachments: list[Attachment] = Field(default_factory=list)


class Conversation(ApiModel):
    """A unibox thread. `label` is the effective label (override, else the AI's)."""

    id: str
    label: OpenLabel | None = None
    is_positive: bool = False
    lead_id: str | None = None
    messages: list[Message] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime
