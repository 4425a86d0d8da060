"""The sequence editor's writes: save, the unsaved-changes guard, steps, delays, variants.

Every write is a `store.edits` function run with `Backend.edit` (local change + outbox
item in one transaction: works offline, pushed by the next sync). Each action checks
locally first and says why in one plain line when it cannot run (the edits service
checks again). `SequenceEdits` is owned by `SequenceScreen`: it is given the steps list
and the variant editor it acts on, and asks through dialogs pushed on the app.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widget import Widget

from outreach_tui.core import mergetags
from outreach_tui.core.html_allowlist import disallowed_tags
from outreach_tui.store import edits, outbox
from outreach_tui.store.queries.campaigns import VariantRow
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.screens.confirm import ConfirmDialog
from outreach_tui.ui.sequences.data import SequenceData
from outreach_tui.ui.sequences.screens.dialogs import (
    DISCARD,
    SAVE,
    UnsavedDialog,
    ValueDialog,
)
from outreach_tui.ui.sequences.widgets.checks import position
from outreach_tui.ui.sequences.widgets.steps import (
    STEP_PREFIX,
    VARIANT_PREFIX,
    RowTarget,
    StepList,
    target_label,
)
from outreach_tui.ui.sequences.widgets.variant_editor import VariantEditor

MAX_DELAY_DAYS = 365  # the reference sets no bound; a year between steps is plenty


def parse_delay(text: str) -> int | str:
    """The delay typed in `text`, or a plain message saying what is wrong."""
    plain = text.strip()
    if not plain.isdigit() or int(plain) > MAX_DELAY_DAYS:
        return f"The delay is a whole number of days from 0 to {MAX_DELAY_DAYS}."
    return int(plain)


def template_problem(field: str, text: str) -> str | None:
    """A plain message for an invalid merge tag in `text` (with its position), else None."""
    error = mergetags.validate(text)
    if error is None:
        return None
    line, column = position(text, error.offset)
    return f"{field}: {error.message} at line {line}, column {column}; nothing saved."


def subject_problem(subject: str) -> str | None:
    """Why a subject cannot be saved, or None."""
    if not subject.strip():
        return "A variant needs a subject (the API refuses a blank one); nothing saved."
    return template_problem("Subject", subject)


class SequenceEdits:
    """The writes of `SequenceScreen` (see the module docstring)."""

    def __init__(
        self, node: Widget, backend: Backend, steps: StepList, editor: VariantEditor
    ) -> None:
        self.node = node  # pushes the dialogs
        self.backend = backend
        self.steps = steps
        self.editor = editor

    # --- guard and save -----------------------------------------------------------------

    def guarded(self, then: Callable[[], None]) -> None:
        """Run `then` now, or after save / discard when the editors hold unsaved changes."""
        target = self.editor.target
        if not self.editor.dirty or target is None:
            then()
            return

        def answer(choice: str | None) -> None:
            if choice == SAVE:
                self.save(then)
            elif choice == DISCARD:
                self.editor.discard()
                then()

        self.node.app.push_screen(UnsavedDialog(target_label(target)), answer)

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Check locally, confirm unwrapped tags, queue the edit; `then` runs once it landed."""
        target = self.editor.target
        if target is None or target.variant is None:
            self.backend.status.say("Nothing to save: pick a variant first.")
            return
        changes = self.editor.changes()
        if not changes:
            self.backend.status.say("Nothing to save: no changes.")
            if then is not None:
                then()
            return
        subject = changes.get("subject", self.editor.baseline[0])
        body = changes.get("body_html", self.editor.baseline[1])
        problem = subject_problem(subject) or template_problem("Body", body)
        if problem is not None:
            self.backend.status.say(problem)
            self.editor.focus_error()
            return
        unwrapped = disallowed_tags(body) if "body_html" in changes else []
        if not unwrapped:
            self._queue_save(target, changes, then)
            return
        names = ", ".join(dict.fromkeys(f"<{tag.tag}>" for tag in unwrapped))
        detail = Text(
            f"The server keeps only <b> <i> <u> <a> <img>. It will unwrap {names} "
            f"({len(unwrapped)} tag{'s' if len(unwrapped) != 1 else ''}; their text stays)."
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._queue_save(target, changes, then)

        dialog = ConfirmDialog("Save with tags the server drops?", detail)
        self.node.app.push_screen(dialog, confirmed)

    def _queue_save(
        self, target: RowTarget, changes: dict[str, str], then: Callable[[], None] | None
    ) -> None:
        assert target.variant is not None
        variant_id, label = target.variant.id, target_label(target)

        def landed(_items: object) -> None:
            self.editor.saved(variant_id, changes)
            if then is not None:
                then()

        self.backend.edit(
            lambda db: edits.update_variant(db, variant_id, **changes),
            done=f"{label} saved: it goes out with the next sync.",
            on_result=landed,
        )

    # --- steps --------------------------------------------------------------------------

    def _current(self) -> RowTarget | None:
        target = self.steps.current
        if target is None:
            self.backend.status.say("No step here yet: n adds one.")
        return target

    def add_step(self, campaign_id: str | None, data: SequenceData | None) -> None:
        """Add a step at the end of `campaign_id`'s sequence (n)."""
        if campaign_id is None or data is None:
            self.backend.status.say("Pick a campaign first (F4).")
            return
        number = len(data.steps) + 1

        def add() -> None:
            def landed(item: outbox.OutboxItem) -> None:
                self.steps.expect(STEP_PREFIX + item.resource_id)

            self.backend.edit(
                lambda db: edits.add_sequence(db, campaign_id),
                done=f"Step {number} added at the end (the sync gives it an empty variant A).",
                on_result=landed,
            )

        self.guarded(add)

    def delete_step(self, data: SequenceData | None) -> None:
        """Delete the highlighted step after confirming (D); later steps renumber."""
        target = self._current()
        if target is None or data is None:
            return
        step, number = target.step, target.number
        later = len(data.steps) - number
        letters = ", ".join(v.letter for v in step.variants) or "none"
        detail = f"Step {number} and its variants ({letters}) will be deleted."
        if later:
            detail += f" The {later} later step{'s' if later != 1 else ''} move up."
        editing = self.editor.target
        draft_here = self.editor.dirty and editing is not None and editing.step.id == step.id
        if draft_here:
            detail += " Your unsaved changes to it are dropped."

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            if draft_here:
                self.editor.discard()
            self.backend.edit(
                lambda db: edits.delete_sequence(db, step.id),
                done=f"Step {number} deleted; it is removed on the server with the next sync.",
            )

        dialog = ConfirmDialog(f"Delete step {number}?", detail, "Delete")
        self.node.app.push_screen(dialog, confirmed)

    def edit_delay(self, data: SequenceData | None) -> None:
        """Change the wait after the highlighted step (w)."""
        target = self._current()
        if target is None or data is None:
            return
        step, number = target.step, target.number
        if number == len(data.steps):
            self.backend.status.say(
                f"Step {number} is the last step: it has no delay (a delay is the wait before "
                "the next step). Add a step after it first (n)."
            )
            return

        def check(text: str) -> str | None:
            parsed = parse_delay(text)
            return parsed if isinstance(parsed, str) else None

        def chosen(text: str | None) -> None:
            if text is None:
                return
            days = parse_delay(text)
            assert isinstance(days, int)
            self.backend.edit(
                lambda db: edits.set_delay_days(db, step.id, days),
                done=f"Step {number}: wait {days} day{'s' if days != 1 else ''} before step "
                f"{number + 1} (sent with the next sync).",
            )

        current = "" if step.delay_days is None else str(step.delay_days)
        self.node.app.push_screen(
            ValueDialog(
                f"Delay after step {number}",
                f"Days to wait after step {number} before step {number + 1} (0 to "
                f"{MAX_DELAY_DAYS}).",
                current,
                check,
            ),
            chosen,
        )

    # --- variants -----------------------------------------------------------------------

    def add_variant(self) -> None:
        """Add a variant to the highlighted step (a); its body starts as a copy."""
        target = self._current()
        if target is None:
            return
        self.guarded(lambda: self._ask_new_variant(target))

    def _ask_new_variant(self, target: RowTarget) -> None:
        step, number, source = target.step, target.number, target.variant
        subject = (source.subject or "") if source is not None else ""
        body = source.body_html if source is not None else None
        detail = f"Subject of the new variant of step {number}."
        if source is not None:
            detail += f" Its body starts as a copy of {source.letter or '?'}'s."

        def chosen(text: str | None) -> None:
            if text is None:
                return

            def landed(item: outbox.OutboxItem) -> None:
                self.steps.expect(VARIANT_PREFIX + item.resource_id)

            self.backend.edit(
                lambda db: edits.add_variant(db, step.id, text, body_html=body or None),
                done=f"Variant added to step {number}: it is created with the next sync.",
                on_result=landed,
            )

        dialog = ValueDialog(f"New variant for step {number}", detail, subject, subject_problem)
        self.node.app.push_screen(dialog, chosen)

    def _spare_variant(self, refusal: str) -> tuple[str, VariantRow] | None:
        """The highlighted variant and its label, unless there is none or it is its step's
        only enabled one (a step needs one to send): then the status bar says the
        variant `refusal` and why."""
        target = self._current()
        if target is None:
            return None
        variant = target.variant
        if variant is None:
            self.backend.status.say(f"Step {target.number} has no variant yet: a adds one.")
            return None
        label = target_label(target)
        if variant.enabled and not any(
            v.enabled for v in target.step.variants if v.id != variant.id
        ):
            self.backend.status.say(
                f"{label} {refusal}: it is the only enabled variant of step "
                f"{target.number}, and a step needs one to send. Enable another first."
            )
            return None
        return label, variant

    def delete_variant(self) -> None:
        """Delete the highlighted variant after confirming (x)."""
        spare = self._spare_variant("cannot be deleted")
        if spare is None:
            return
        label, variant = spare
        editing = self.editor.target
        drafting = self.editor.dirty and editing is not None and editing.variant == variant

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            if drafting:
                self.editor.discard()
            self.backend.edit(
                lambda db: edits.delete_variant(db, variant.id),
                done=f"{label} deleted; it is removed on the server with the next sync.",
            )

        detail = f"{label} and its text will be deleted" + (
            " (with your unsaved changes)." if drafting else "."
        )
        dialog = ConfirmDialog(f"Delete {label}?", detail, "Delete")
        self.node.app.push_screen(dialog, confirmed)

    def toggle_enabled(self) -> None:
        """Enable or disable the highlighted variant (e); the last enabled one stays on."""
        spare = self._spare_variant("stays enabled")
        if spare is None:
            return
        label, variant = spare
        enabled = not variant.enabled
        self.backend.edit(
            lambda db: edits.update_variant(db, variant.id, enabled=enabled),
            done=f"{label} {'enabled' if enabled else 'disabled'} (sent with the next sync).",
        )
