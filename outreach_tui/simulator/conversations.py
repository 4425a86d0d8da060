"""Unibox conversations: a compact record per thread and the ordered index used for listing.

At 100,000 conversations nothing heavy is kept in memory: a conversation stores its ids,
subject, peer, labels, folder, message dates, read flags and a per-conversation seed; the
message bodies are rendered on demand by threads.py (the same seed always gives the same
text). Messages added later (replies, live mode) are kept in full in `extra`.

Choices where the reference is silent:
- Order: latest activity first (the newest message's email_date, descending), id ascending
  breaks ties; `updated_at` moves on any change (label, read flags, new message).
- Folder: fixed when the conversation is created, from its AI classification: automatic
  answers (out_of_office, unsubscribe, left_company) land in "others", everything else,
  unlabelled and newly composed threads included, in "primary". A label override does not
  move a conversation between folders.
- is_positive is derived from the effective label: interested, meeting_requested,
  needs_more_info and referral are positive.
- `is_read: false` marks every message unread, outgoing ones included, as the reference
  says "every message".
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

LABELS = (
    "interested",
    "not_interested",
    "needs_more_info",
    "meeting_requested",
    "wrong_person",
    "out_of_office",
    "referral",
    "question",
    "neutral",
    "unsubscribe",
    "left_company",
)
POSITIVE_LABELS = frozenset({"interested", "meeting_requested", "needs_more_info", "referral"})
OTHERS_LABELS = frozenset({"out_of_office", "unsubscribe", "left_company"})
FOLDERS = ("primary", "others")


def folder_for_label(ai_label: str | None) -> str:
    """The folder a new conversation lands in."""
    return "others" if ai_label in OTHERS_LABELS else "primary"


@dataclass(slots=True)
class Conversation:
    """One thread; seeded messages are described by `dates`, `read_mask` and `seed`."""

    id: str
    seed: int
    lead_id: str | None
    inbox_id: str
    peer_email: str
    peer_name: str
    subject: str
    ai_label: str | None
    label_override: str | None
    folder: str
    first_incoming: bool
    dates: list[int]
    read_mask: int
    created_at: int
    updated_at: int
    showcase: str | None = None
    extra: list[dict[str, Any]] | None = None
    search_text: str | None = None  # casefolded haystack, built on the first search

    @property
    def label(self) -> str | None:
        """The effective label: the override, else the AI label."""
        return self.label_override or self.ai_label

    @property
    def is_positive(self) -> bool:
        """Whether the effective label counts as positive engagement."""
        return self.label in POSITIVE_LABELS

    @property
    def last_activity(self) -> int:
        """The date of the newest message."""
        if self.extra:
            return self.extra[-1]["_ts"]
        return self.dates[-1]

    @property
    def message_count(self) -> int:
        """Seeded plus appended messages."""
        return len(self.dates) + len(self.extra or ())

    def direction(self, index: int) -> str:
        """Direction of seeded message `index` (they alternate)."""
        incoming = self.first_incoming == (index % 2 == 0)
        return "incoming" if incoming else "outgoing"

    def sort_key(self) -> tuple[int, str]:
        """Latest activity first, id ascending on ties."""
        return (-self.last_activity, self.id)

    def set_read(self, is_read: bool) -> bool:
        """Mark every message read or unread; returns whether anything changed."""
        mask = (1 << len(self.dates)) - 1 if is_read else 0
        changed = mask != self.read_mask
        self.read_mask = mask
        for message in self.extra or ():
            if message["is_read"] != is_read:
                message["is_read"] = is_read
                changed = True
        return changed


class ConversationIndex:
    """Conversation ids ordered for listing, overall and per folder."""

    def __init__(self) -> None:
        self._keys: dict[str | None, list[tuple[int, str]]] = {
            None: [],
            "primary": [],
            "others": [],
        }

    def load(self, conversations: list[Conversation]) -> None:
        """Build the index from scratch (seeding)."""
        folder_of = {conv.id: conv.folder for conv in conversations}
        ordered = sorted(conv.sort_key() for conv in conversations)
        self._keys[None] = ordered
        for name in FOLDERS:
            self._keys[name] = [key for key in ordered if folder_of[key[1]] == name]

    def add(self, conversation: Conversation) -> None:
        """Index a conversation at its current position."""
        key = conversation.sort_key()
        for name in (None, conversation.folder):
            bisect.insort(self._keys[name], key)

    def remove(self, conversation: Conversation) -> None:
        """Forget a conversation; call before its last activity changes."""
        key = conversation.sort_key()
        for name in (None, conversation.folder):
            keys = self._keys[name]
            position = bisect.bisect_left(keys, key)
            if position < len(keys) and keys[position] == key:
                del keys[position]

    def ordered_ids(self, folder: str | None) -> list[str]:
        """All ids of a folder (None: every folder) in listing order."""
        return [conversation_id for _, conversation_id in self._keys[folder]]

    def count(self, folder: str | None) -> int:
        """How many conversations a folder holds."""
        return len(self._keys[folder])

    def slice_ids(self, folder: str | None, start: int, stop: int) -> list[str]:
        """The ids of one page in listing order."""
        return [conversation_id for _, conversation_id in self._keys[folder][start:stop]]
