"""The edits service: the one place the UI and the CLI write through.

Each function validates its input (plain `EditError` messages), applies the change to the
effective columns and queues the outbox item(s) — in one transaction — and returns the
item(s). A list comes back empty when the edit changed nothing (or cancelled a pending
edit out). Nothing here needs the network; `sync` pushes the items.
"""

from outreach_tui.store.edits.campaigns import (
    attach_inboxes,
    detach_inboxes,
    update_campaign,
    update_schedule,
)
from outreach_tui.store.edits.common import EditError
from outreach_tui.store.edits.conversations import (
    compose_conversation,
    mark_read,
    mark_unread,
    queue_reply,
    revert_label,
    set_label,
)
from outreach_tui.store.edits.leads import add_lead, block_email, delete_lead, unblock
from outreach_tui.store.edits.mailboxes import update_inbox
from outreach_tui.store.edits.sequences import (
    add_sequence,
    add_variant,
    delete_sequence,
    delete_variant,
    set_delay_days,
    update_variant,
)

__all__ = [
    "EditError",
    "add_lead",
    "add_sequence",
    "add_variant",
    "attach_inboxes",
    "block_email",
    "compose_conversation",
    "delete_lead",
    "delete_sequence",
    "delete_variant",
    "detach_inboxes",
    "mark_read",
    "mark_unread",
    "queue_reply",
    "revert_label",
    "set_delay_days",
    "set_label",
    "unblock",
    "update_campaign",
    "update_inbox",
    "update_schedule",
    "update_variant",
]
