"""The sequence editor's actions that depend on the server: pulling a campaign's leads on
demand (for the preview and the report), keep mine / take theirs when a variant changed on
the server while it was edited here, and sending a refused change again.

Mixed into `SequenceScreen`, whose state it reads. Writes go through `app.run_edit` (outbox
transitions); the lead pull through `app.writer.run_pull` (one walk of the lead pages).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message

from outreach_tui.store import outbox
from outreach_tui.store.connection import read_snapshot
from outreach_tui.store.queries.campaigns import variant_versions
from outreach_tui.sync import pull
from outreach_tui.ui.common.worker_results import deliver
from outreach_tui.ui.sequences.screens.conflict import MINE, THEIRS, ConflictDialog, VariantConflict
from outreach_tui.ui.sequences.widgets.steps import RowTarget, target_label

if TYPE_CHECKING:
    from outreach_tui.ui.app import OutreachApp
    from outreach_tui.ui.sequences.data import LeadSample, SequenceData


class LeadsPulled(Message):
    """An on-demand pull of the campaign's leads ended (`error` says why it failed)."""

    def __init__(self, campaign_id: str, error: str | None) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.error = error


class SequenceServerActions:
    """Leads on demand, conflicts and retries for `SequenceScreen`."""

    if TYPE_CHECKING:
        app: Any
        post_message: Callable[[Message], bool]
        db_path: Path
        campaign_id: str | None
        data: SequenceData | None
        sample: LeadSample | None
        editing: RowTarget | None
        baseline: tuple[str, str]
        pulled_leads_for: set[str]
        pulling: set[str]
        conflicts_shown: set[int]

        @property
        def outreach(self) -> OutreachApp: ...
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
            and self.outreach.writer.can_sync
        ):
            self.action_pull_leads()

    def action_pull_leads(self) -> None:
        """Pull the campaign's leads from the server now (p): one walk of its lead pages."""
        campaign_id = self.campaign_id
        if campaign_id is None:
            return
        app = self.outreach
        if not app.writer.can_sync:
            app.status("No server configured: the leads cannot be pulled (cache only).")
            return
        if campaign_id in self.pulling:
            return  # one walk at a time (the request budget)
        self.pulled_leads_for.add(campaign_id)
        self.pulling.add(campaign_id)
        future = app.writer.run_pull(lambda run: pull.pull_leads(run, campaign_id))
        app.status("Pulling this campaign's leads for the preview…")

        def finished(done: Any) -> None:
            error = done.exception()
            reason = None
            if error is not None:
                reason = getattr(error, "message", None) or str(error) or type(error).__name__
            self.post_message(LeadsPulled(campaign_id, reason))  # thread-safe (writer thread)

        future.add_done_callback(finished)

    def on_leads_pulled(self, message: LeadsPulled) -> None:
        """A lead pull ended: read the leads, and say why when it failed."""
        self.pulling.discard(message.campaign_id)
        if message.campaign_id == self.campaign_id:
            self.load()
        # The preview fills in when the reload lands; only a failure needs words.
        if message.error is None:
            self.outreach.status("")
        else:
            self.outreach.status(f"Could not pull the leads: {message.error}")

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
            self.outreach.status("No conflict on this variant.")
            return
        self.conflicts_shown.update(i.id for i in items)
        self._load_versions(target, items)

    @work(thread=True, exclusive=True, group="sequence-conflict", exit_on_error=False)
    def _load_versions(self, target: RowTarget, items: list[outbox.OutboxItem]) -> None:
        assert target.variant is not None
        with read_snapshot(self.db_path) as db:
            versions = variant_versions(db, target.variant.id)
        conflict = VariantConflict(target_label(target), tuple(items), versions)
        deliver(self.app, self._show_conflict, conflict)

    def _show_conflict(self, conflict: VariantConflict) -> None:
        ids = [item.id for item in conflict.items]

        def answer(choice: str | None) -> None:
            if choice == MINE:
                self.outreach.run_edit(
                    lambda db: [outbox.keep_mine(db, i) for i in ids],
                    done=f"Kept your version of {conflict.label}: it goes out with the next sync.",
                )
            elif choice == THEIRS:
                if self.dirty:
                    self._load_editors(*self.baseline)  # the draft was built on mine
                self.outreach.run_edit(
                    lambda db: [outbox.take_theirs(db, i) for i in ids],
                    done=f"Took the server's version of {conflict.label}.",
                )

        self.app.push_screen(ConflictDialog(conflict), answer)

    def action_retry(self) -> None:
        """Send a refused change again as it is (r)."""
        _target, items = self._items(outbox.FAILED)
        if not items:
            self.outreach.status("Nothing refused here to send again.")
            return
        ids = [item.id for item in items]
        self.outreach.run_edit(
            lambda db: [outbox.retry(db, i) for i in ids],
            done="Sent again with the next sync.",
        )
