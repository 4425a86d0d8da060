"""The sequence editor's actions that depend on the server's verdicts: keep mine / take
theirs when a variant changed on the server while it was edited here, and sending a
refused change again (the lead pull belongs to the preview pane).

`SequenceServer` is owned by `SequenceScreen` (the node its reads run on) and acts on the
variant in its `VariantEditor`. Writes go through `Backend.edit` (outbox transitions).
"""

from __future__ import annotations

from sqlite_utils import Database
from textual.widget import Widget

from outreach_tui.store import outbox
from outreach_tui.store.queries.campaigns import variant_versions
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.sequences.data import RowTarget
from outreach_tui.ui.sequences.screens.conflict import MINE, THEIRS, ConflictDialog, VariantConflict
from outreach_tui.ui.sequences.widgets.steps import target_label
from outreach_tui.ui.sequences.widgets.variant_editor import VariantEditor


class SequenceServer:
    """Conflicts and retries for the sequence editor."""

    def __init__(self, node: Widget, backend: Backend, editor: VariantEditor) -> None:
        self.node = node  # runs the reads, pushes the dialog
        self.backend = backend
        self.editor = editor
        self.conflicts_shown: set[int] = set()  # outbox items whose dialog opened once

    # --- conflicts and refusals ---------------------------------------------------------

    def _items(self, state: str) -> tuple[RowTarget | None, list[outbox.OutboxItem]]:
        """The editor's variant (or step) and its outbox items in `state`."""
        target = self.editor.target
        return target, [item for item in self.editor.problems if item.state == state]

    def maybe_open_conflict(self) -> None:
        """Open keep mine / take theirs once per conflict on the variant being edited
        (when a sync finds it, or when the user arrives on the variant)."""
        _target, items = self._items(outbox.CONFLICT)
        if items and not {i.id for i in items} <= self.conflicts_shown:
            self.resolve_conflict()

    def resolve_conflict(self) -> None:
        """Compare both versions of a conflicting variant; keep mine or take theirs (c)."""
        target, items = self._items(outbox.CONFLICT)
        if target is None or target.variant is None or not items:
            self.backend.status.say("No conflict on this variant.")
            return
        self.conflicts_shown.update(i.id for i in items)
        variant = target.variant

        def read(db: Database) -> VariantConflict:
            versions = variant_versions(db, variant.id)
            return VariantConflict(target_label(target), tuple(items), versions)

        self.backend.read(
            self.node, read, self._show_conflict, group="sequence-conflict", what="both versions"
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
                self.editor.discard()  # a draft was built on mine
                self.backend.edit(
                    lambda db: [outbox.take_theirs(db, i) for i in ids],
                    done=f"Took the server's version of {conflict.label}.",
                )

        self.node.app.push_screen(ConflictDialog(conflict), answer)

    def retry(self) -> None:
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
