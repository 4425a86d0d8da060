"""What an ingest call changed, so the sync engine can stop an incremental pull early."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestResult:
    """The outcome of one ingest call (one page).

    `new_ids`: rows that did not exist; `changed_ids`: rows whose server content differed
    from the cache; `unchanged`: rows identical to the cache (not rewritten); `skipped`:
    items that could not be used (no id), counted rather than failing the page.
    """

    new_ids: tuple[str, ...] = ()
    changed_ids: tuple[str, ...] = ()
    unchanged: int = 0
    skipped: int = 0

    @property
    def all_unchanged(self) -> bool:
        """True when every usable item matched the cache (the page brought nothing new)."""
        return not self.new_ids and not self.changed_ids

    @property
    def seen(self) -> int:
        """Items of the page that carried an id."""
        return len(self.new_ids) + len(self.changed_ids) + self.unchanged
