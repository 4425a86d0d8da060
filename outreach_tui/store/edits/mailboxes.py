"""Sending-mailbox settings (PATCH /inboxes/:id fields)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from outreach_tui.store.connection import write_transaction
from outreach_tui.store.edits.common import EditError, check_type, edit_field, int_in_range
from outreach_tui.store.outbox import OutboxItem

INBOX_FIELDS = (
    "first_name",
    "last_name",
    "reply_to",
    "signature",
    "is_active",
    "is_warming",
    "daily_campaign_limit",
    "daily_warmup_limit",
)
# The ranges the reference gives for the two limits.
_LIMITS = {"daily_campaign_limit": (1, 500), "daily_warmup_limit": (1, 100)}


def update_inbox(db: Database, inbox_id: str, **changes: Any) -> list[OutboxItem]:
    """Edit inbox settings (one item per field, one transaction, validated first)."""
    unknown = set(changes) - set(INBOX_FIELDS)
    if unknown:
        raise EditError(f"inbox field(s) cannot be edited: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        if field in _LIMITS:
            int_in_range(field, value, *_LIMITS[field])
        else:
            check_type("inbox", field, value)
        if field == "reply_to" and value and "@" not in value:
            raise EditError(f"reply_to must be an email address or empty, got {value!r}")
    items = []
    with write_transaction(db):
        for field, value in changes.items():
            item = edit_field(db, "inbox", inbox_id, field, value)
            if item is not None:
                items.append(item)
    return items
