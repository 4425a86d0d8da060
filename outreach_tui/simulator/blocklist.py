"""The workspace blocklist.

Choices: entries are email addresses matched case-insensitively; adding an address that is
already listed answers 200 with the existing entry (idempotent, so a retried POST is
harmless); `check` compares the whole address, case-insensitively.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from outreach_tui.simulator.clock import iso


@dataclass(slots=True)
class BlockedEmail:
    """One blocklist entry."""

    id: str
    email: str
    created_at: int


def blocked_json(entry: BlockedEmail) -> dict[str, Any]:
    """The entry projection."""
    return {"id": entry.id, "email": entry.email, "created_at": iso(entry.created_at)}


class Blocklist:
    """Entries in creation order with lookups by id and address."""

    def __init__(self) -> None:
        self.by_id: dict[str, BlockedEmail] = {}
        self.by_email: dict[str, BlockedEmail] = {}

    def ordered(self) -> list[BlockedEmail]:
        """Entries by (created_at, id)."""
        return sorted(self.by_id.values(), key=lambda entry: (entry.created_at, entry.id))

    def add(self, entry: BlockedEmail) -> None:
        """Store an entry (the caller checked for duplicates)."""
        self.by_id[entry.id] = entry
        self.by_email[entry.email.casefold()] = entry

    def remove(self, entry: BlockedEmail) -> None:
        """Delete an entry."""
        del self.by_id[entry.id]
        self.by_email.pop(entry.email.casefold(), None)

    def find(self, email: str) -> BlockedEmail | None:
        """The entry for an address, case-insensitively."""
        return self.by_email.get(email.strip().casefold())
