"""The sequence editor's actions that depend on the server: pulling a campaign's leads on
demand (for the preview and the report), keep mine / take theirs when a variant changed on
the server while it was edited here, and sending a refused change again.

Mixed into `SequenceScreen`, whose state it reads. Writes go through `Backend.edit` (outbox
transitions); the lead pull through `Backend.pull` (one walk of the lead pages, shared
with the campaign console's leads tab: one pull per campaign at a time).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database
from textual.message import Message

from outreach_tui.store import outbox
from outreach_tui.store.queries.campaigns import variant_versions
from outreach_tui.sync import pull
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.backend.messages import PullFinished
from outreach_tui.ui.sequences.screens.conflict import MINE, THEIRS, ConflictDialog, VariantConflict
from outreach_tui.ui.sequences.widgets.steps import RowTarget, target_label

if TYPE_CHECKING:
    from outreach_tui.ui.sequences.data import LeadSample, SequenceData


def leads_pull_key(campaign_id: str) -> str:
    """The backend's pull key of a campaign's leads (the campaign console uses it too)."""
    return f"leads:{campaign_id}"


class SequenceServerActions:
    """Leads on demand, conflicts and retries for `SequenceScreen`."""

    if TYPE_CHECKING:
        app: Any
        post_message: Callable[[Message], bool]
        backend: Backend
        campaign_id: str | None
        data: SequenceData | None
        sample: LeadSample | None
        editing: RowTarget | None
        baseline: tuple[str, str]
        pulled_leads_for: set[str]
        conflicts_shown: set[int]

        @property
        def dirty(self) -> bool: ...
        def _load_editors(self, subject: str, body: str) -> None: ...
        def load(self) -> object: ...

    # --- leads --------------------------------------------------------------------------

    def maybe_pull_leads(self) -> None:
        """Pull the campaign's leads once when they were never pulled (for the preview)."""
        sample = self.sample
        if (
            self.campaign_id is not None
            and sample is not None
            and not sample.pulled
            and self.campaign_id not in self.pulled_leads_for
            and self.backend.can_sync
        ):
            self.action_pull_leads()

    def action_pull_leads(self) -> None:
        """Pull the campaign's leads from the server now (p): one walk of its lead pages."""
        campaign_id = self.campaign_id
        if campaign_id is None:
            return
        if not self.backend.can_sync:
            self.backend.status.say(
                "No server configured: the leads cannot be pulled (cache only)."
            )
            return
        self.pulled_leads_for.add(campaign_id)
        self.backend.pull(
            leads_pull_key(campaign_id),
            lambda run: pull.pull_leads(run, campaign_id),
            "this campaign's leads for the preview",
            reply_to=self,  # type: ignore[arg-type]
        )

    def on_pull_finished(self, message: PullFinished) -> None:
        """A lead pull ended: the preview fills in when the reload lands (the backend's
        change signal); only a success needs the pulling note cleared."""
        if message.error is None:
            self.backend.status.say("")

    # --- conflicts and refusals ---------------------------------------------------------

    def _items(self, state: str) -> tuple[RowTarget | None, list[outbox.OutboxItem]]:
        target, data = self.editing, self.data
        if target is None or data is None:
            return target, []
        ids = [target.step.id] + ([target.variant.id] if target.variant else [])
        found = [i for key in ids for i in data.problems.get(key, ()) if i.state == state]
        return target, found

    def maybe_open_conflict(self) -> None:
        """Open keep mine / take theirs once per conflict on the variant being edited
        (when a sync finds it, or when the user arrives on the variant)."""
        _target, items = self._items(outbox.CONFLICT)
        if items and not {i.id for i in items} <= self.conflicts_shown:
            self.action_resolve_conflict()

    def action_resolve_conflict(self) -> None:
        """Compare both versions of a conflicting variant; keep mine or take theirs (c)."""
        target, items = self._items(outbox.CONFLICT)
        if target is None or target.variant is None or not items:
            self.backend.status.say("No conflict on this variant.")
            return
        self.conflicts_shown.update(i.id for i in items)
        self._load_versions(target, items)

    def _load_versions(self, target: RowTarget, items: list[outbox.OutboxItem]) -> None:
        variant = target.variant
        assert variant is not None

        def read(db: Database) -> VariantConflict:
            versions = variant_versions(db, variant.id)
            return VariantConflict(target_label(target), tuple(items), versions)

        self.backend.read(
            self,  # type: ignore[arg-type]
            read,
            self._show_conflict,
            group="sequence-conflict",
            what="both versions",
        )

    def _show_conflict(self, conflict: VariantConflict) -> None:
        ids = [item.id for item in conflict.items]

        def answer(choice: str | None) -> None:
            if choice == MINE:
                self.backend.edit(
                    lambda db: [outbox.keep_mine(db, i) for i in ids],
                    done=f"Kept your version of {conflict.label}: it goes out with the next sync.",
                )
            elif choice == THEIRS:
                if self.dirty:
                    self._load_editors(*self.baseline)  # the draft was built on mine
                self.backend.edit(
                    lambda db: [outbox.take_theirs(db, i) for i in ids],
                    done=f"Took the server's version of {conflict.label}.",
                )

        self.app.push_screen(ConflictDialog(conflict), answer)

    def action_retry(self) -> None:
        """Send a refused change again as it is (r)."""
        _target, items = self._items(outbox.FAILED)
        if not items:
            self.backend.status.say("Nothing refused here to send again.")
            return
        ids = [item.id for item in items]
        self.backend.edit(
            lambda db: [outbox.retry(db, i) for i in ids],
            done="Sent again with the next sync.",
        )
