"""The plain, frozen records the read queries return (never sqlite rows).

Field names follow the API where the API has the field (`label`, `is_read`, `from_email`,
…), so `--json` output can use them as they are. `local_state` is the row's marker:
None (in sync), 'pending', 'failed' or 'conflict'.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final

from outreach_tui.store.fields import LABEL_NONE

# The inbox's sort columns; "date" (newest first) is the default order.
SORT_COLUMNS: Final = ("date", "sender", "label", "subject")


@dataclass(frozen=True, order=True)
class ConversationCursor:
    """A position in the conversation order (last activity desc, id desc), with the
    row's value of the sort column when the list is sorted by another column
    (`queries.conversations.cursor_of`); that value takes no part in comparisons."""

    last_activity: str
    id: str
    sort_value: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ConversationFilter:
    """What the conversation list shows. None / False means "no restriction".

    `label` is one of the labels, or `LABEL_NONE` ("none") for conversations without a
    label; it filters the effective label (pending overrides included). `labels` widens
    that to any of several (the filter dialog); both together mean any of all of them.
    `search` is free user text (see `search.fts_query`). `sort` is one of `SORT_COLUMNS`
    (date: newest first; the others A to Z, newest first among equals) and
    `sort_reversed` turns that column's order round; neither narrows the list.
    `needs_decision` keeps conversations with no label of the user's and an AI label in
    `core.labels.NEEDS_DECISION_LABELS` (for the `N` key). Snoozed conversations
    (`store.edits.snooze`) show only with `snoozed` (the Snoozed view: then only they
    show) or the search `is:snoozed`.
    """

    folder: str | None = None
    label: str | None = None
    unread: bool = False
    campaign_id: str | None = None
    inbox_id: str | None = None
    search: str | None = None
    labels: tuple[str, ...] = ()
    sort: str = "date"
    sort_reversed: bool = False
    needs_decision: bool = False
    snoozed: bool = False

    def __post_init__(self) -> None:
        if self.sort not in SORT_COLUMNS:
            raise ValueError(f"sort must be one of {', '.join(SORT_COLUMNS)}, not {self.sort!r}")

    @property
    def wants_no_label(self) -> bool:
        """True when filtering for conversations without a label (and no other label)."""
        return self.label_choice == (LABEL_NONE,)

    @property
    def label_choice(self) -> tuple[str, ...]:
        """Every label the filter accepts (empty: any label); `LABEL_NONE` for none."""
        chosen = (*self.labels, self.label) if self.label is not None else self.labels
        return tuple(dict.fromkeys(chosen))

    @property
    def narrowed(self) -> bool:
        """True when something besides the folder restricts the list."""
        return bool(
            self.label_choice
            or self.unread
            or self.campaign_id
            or self.inbox_id
            or self.search
            or self.needs_decision
        )

    def cleared(self) -> ConversationFilter:
        """The same folder and order with every restriction removed."""
        return ConversationFilter(
            folder=self.folder,
            sort=self.sort,
            sort_reversed=self.sort_reversed,
            snoozed=self.snoozed,
        )


@dataclass(frozen=True)
class ConversationRow:
    """One line of the conversation list."""

    id: str
    folder: str
    subject: str
    snippet: str
    sender_email: str
    sender_name: str
    label: str | None
    ai_label: str | None
    label_override: str | None
    is_read: bool
    is_positive: bool
    last_activity: str
    message_count: int
    campaign_id: str | None
    inbox_id: str | None
    lead_id: str | None
    local_state: str | None
    is_local: bool
    # When a snoozed conversation comes back (UTC text); None when not snoozed.
    snoozed_until: str | None = None

    @property
    def overridden(self) -> bool:
        """True when the label is a user override (reverting would show `ai_label`)."""
        return self.label_override is not None

    @property
    def cursor(self) -> ConversationCursor:
        """This row's position, for the next keyset window."""
        return ConversationCursor(self.last_activity, self.id)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with the API's field names plus `pending` (the marker)."""
        data = asdict(self)
        data["from_email"] = data.pop("sender_email")
        data["from_name"] = data.pop("sender_name")
        data["pending"] = data.pop("local_state")
        data["overridden"] = self.overridden
        return data


@dataclass(frozen=True)
class AttachmentRow:
    """An attachment of a message (download by id through the API)."""

    id: str
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class MessageRow:
    """One message of a thread; `outbox_state` is set for a queued (local) message."""

    position: int
    direction: str
    inbox_id: str | None
    subject: str
    text_body: str
    html_body: str
    from_email: str
    to_recipients: tuple[dict[str, Any], ...]
    cc_recipients: tuple[dict[str, Any], ...]
    bcc_recipients: tuple[dict[str, Any], ...]
    email_date: str | None
    is_read: bool
    attachments: tuple[AttachmentRow, ...] = ()
    outbox_id: int | None = None
    outbox_state: str | None = None

    @property
    def queued(self) -> bool:
        """True for a reply (or new message) not yet accepted by the server."""
        return self.outbox_id is not None


@dataclass(frozen=True)
class Thread:
    """A conversation with its messages in display order (queued ones last)."""

    conversation: ConversationRow
    messages: tuple[MessageRow, ...]


@dataclass(frozen=True)
class LabelCounts:
    """Counts for a filter: `total` under it, `unread` ignoring its unread flag,
    `by_label` ignoring its label (key `LABEL_NONE` for no label)."""

    total: int
    unread: int
    by_label: dict[str, int] = field(default_factory=dict)
