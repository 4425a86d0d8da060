"""The sequence editor's actions: save, the unsaved-changes guard, steps, delays, variants,
leads on demand, conflicts and retries.

Every write is a `store.edits` function run with `app.run_edit` (local change + outbox
item in one transaction: works offline, pushed by the next sync). Each action checks
locally first and says why in one plain line when it cannot run (the edits service
checks again). Mixed into `SequenceScreen`, whose state it reads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.message import Message

from outreach_tui.core import mergetags
from outreach_tui.core.html_allowlist import disallowed_tags
from outreach_tui.store import edits, outbox
from outreach_tui.store.campaign_queries import variant_versions
from outreach_tui.store.connection import open_reader
from outreach_tui.sync import pull
from outreach_tui.ui.screens.sequence_checks import position
from outreach_tui.ui.screens.sequence_conflict import MINE, THEIRS, ConflictDialog, VariantConflict
from outreach_tui.ui.screens.sequence_dialogs import (
    DISCARD,
    SAVE,
    ConfirmDialog,
    UnsavedDialog,
    ValueDialog,
)
from outreach_tui.ui.widgets.sequence_steps import STEP_PREFIX, VARIANT_PREFIX, RowTarget

if TYPE_CHECKING:
    from outreach_tui.ui.app import OutreachApp
    from outreach_tui.ui.screens.sequence_data import LeadSample, SequenceData
    from outreach_tui.ui.widgets.sequence_steps import StepList
    from outreach_tui.ui.widgets.template_area import TemplateArea

MAX_DELAY_DAYS = 365  # the reference sets no bound; a year between steps is plenty


def target_label(target: RowTarget) -> str:
    """'Step 2 · B' (or 'Step 2' for a step row without a variant)."""
    if target.variant is None:
        return f"Step {target.number}"
    return f"Step {target.number} · {target.variant.letter or '?'}"


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


class LeadsPulled(Message):
    """An on-demand pull of the campaign's leads ended (`error` says why it failed)."""

    def __init__(self, campaign_id: str, error: str | None) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.error = error


class SequenceActions:
    """The actions of `SequenceScreen` (see the module docstring)."""

    if TYPE_CHECKING:
        app: Any
        post_message: Callable[[Message], bool]
        db_path: Path
        campaign_id: str | None
        data: SequenceData | None
        sample: LeadSample | None
        editing: RowTarget | None
        editing_row: str | None
        baseline: tuple[str, str]
        pulled_leads_for: set[str]
        pulling: set[str]
        conflicts_shown: set[int]

        @property
        def outreach(self) -> OutreachApp: ...
        @property
        def steps(self) -> StepList: ...
        @property
        def subject_area(self) -> TemplateArea: ...
        @property
        def body_area(self) -> TemplateArea: ...
        @property
        def dirty(self) -> bool: ...
        def _load_editors(self, subject: str, body: str) -> None: ...
        def load(self) -> object: ...

    # --- guard and save -----------------------------------------------------------------

    def guarded(self, then: Callable[[], None]) -> None:
        """Run `then` now, or after save / discard when the editors hold unsaved changes."""
        target = self.editing
        if not self.dirty or target is None:
            then()
            return

        def answer(choice: str | None) -> None:
            if choice == SAVE:
                self.save(then)
            elif choice == DISCARD:
                self._load_editors(*self.baseline)
                then()

        self.app.push_screen(UnsavedDialog(target_label(target)), answer)

    def action_save(self) -> None:
        """Queue the variant's subject and body (ctrl+s)."""
        self.save()

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Check locally, confirm unwrapped tags, queue the edit; `then` runs once it landed."""
        target = self.editing
        if target is None or target.variant is None:
            self.outreach.status("Nothing to save: pick a variant first.")
            return
        # A subject is one line (pasted line breaks become spaces, offsets unchanged).
        subject = self.subject_area.text.replace("\r\n", " ").replace("\n", " ")
        body = self.body_area.text
        changes: dict[str, Any] = {}
        if subject != self.baseline[0]:
            changes["subject"] = subject
        if body != self.baseline[1]:
            changes["body_html"] = body
        if not changes:
            self.outreach.status("Nothing to save: no changes.")
            if then is not None:
                then()
            return
        problem = subject_problem(subject) or template_problem("Body", body)
        if problem is not None:
            self.outreach.status(problem)
            self._focus_error()
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

        self.app.push_screen(ConfirmDialog("Save with tags the server drops?", detail), confirmed)

    def _focus_error(self) -> None:
        for area in (self.subject_area, self.body_area):
            error = mergetags.validate(area.text)
            if error is not None:
                area.focus()
                area.move_cursor(area.document.get_location_from_index(error.offset))
                return

    def _queue_save(
        self, target: RowTarget, changes: dict[str, Any], then: Callable[[], None] | None
    ) -> None:
        assert target.variant is not None
        variant_id, label = target.variant.id, target_label(target)

        def landed(_items: object) -> None:
            editing = self.editing
            if (
                editing is not None
                and editing.variant is not None
                and (editing.variant.id == variant_id)
            ):
                self.baseline = (
                    changes.get("subject", self.baseline[0]),
                    changes.get("body_html", self.baseline[1]),
                )
            if then is not None:
                then()

        self.outreach.run_edit(
            lambda db: edits.update_variant(db, variant_id, **changes),
            done=f"{label} saved: it goes out with the next sync.",
            on_result=landed,
        )

    # --- steps --------------------------------------------------------------------------

    def _current(self) -> RowTarget | None:
        target = self.steps.current
        if target is None:
            self.outreach.status("No step here yet: n adds one.")
        return target

    def action_add_step(self) -> None:
        """Add a step at the end (n)."""
        campaign_id = self.campaign_id
        if campaign_id is None or self.data is None:
            self.outreach.status("Pick a campaign first (F4).")
            return
        number = len(self.data.steps) + 1

        def add() -> None:
            def landed(item: outbox.OutboxItem) -> None:
                self.editing_row = STEP_PREFIX + item.resource_id

            self.outreach.run_edit(
                lambda db: edits.add_sequence(db, campaign_id),
                done=f"Step {number} added at the end (the sync gives it an empty variant A).",
                on_result=landed,
            )

        self.guarded(add)

    def action_delete_step(self) -> None:
        """Delete the highlighted step after confirming (D); later steps renumber."""
        target = self._current()
        if target is None or self.data is None:
            return
        step, number = target.step, target.number
        later = len(self.data.steps) - number
        letters = ", ".join(v.letter for v in step.variants) or "none"
        detail = f"Step {number} and its variants ({letters}) will be deleted."
        if later:
            detail += f" The {later} later step{'s' if later != 1 else ''} move up."
        draft_here = self.dirty and self.editing is not None and self.editing.step.id == step.id
        if draft_here:
            detail += " Your unsaved changes to it are dropped."

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            if draft_here:
                self._load_editors(*self.baseline)
            self.outreach.run_edit(
                lambda db: edits.delete_sequence(db, step.id),
                done=f"Step {number} deleted; it is removed on the server with the next sync.",
            )

        self.app.push_screen(ConfirmDialog(f"Delete step {number}?", detail, "Delete"), confirmed)

    def action_edit_delay(self) -> None:
        """Change the wait after the highlighted step (w)."""
        target = self._current()
        if target is None or self.data is None:
            return
        step, number = target.step, target.number
        if number == len(self.data.steps):
            self.outreach.status(
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
            self.outreach.run_edit(
                lambda db: edits.set_delay_days(db, step.id, days),
                done=f"Step {number}: wait {days} day{'s' if days != 1 else ''} before step "
                f"{number + 1} (sent with the next sync).",
            )

        current = "" if step.delay_days is None else str(step.delay_days)
        self.app.push_screen(
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

    def action_add_variant(self) -> None:
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
                self.editing_row = VARIANT_PREFIX + item.resource_id

            self.outreach.run_edit(
                lambda db: edits.add_variant(db, step.id, text, body_html=body or None),
                done=f"Variant added to step {number}: it is created with the next sync.",
                on_result=landed,
            )

        dialog = ValueDialog(f"New variant for step {number}", detail, subject, subject_problem)
        self.app.push_screen(dialog, chosen)

    def _only_enabled(self, target: RowTarget) -> bool:
        variant = target.variant
        return (
            variant is not None
            and variant.enabled
            and not any(v.enabled for v in target.step.variants if v.id != variant.id)
        )

    def _variant_target(self) -> RowTarget | None:
        target = self._current()
        if target is not None and target.variant is None:
            self.outreach.status(f"Step {target.number} has no variant yet: a adds one.")
            return None
        return target

    def action_delete_variant(self) -> None:
        """Delete the highlighted variant after confirming (x)."""
        target = self._variant_target()
        if target is None or target.variant is None:
            return
        label, variant = target_label(target), target.variant
        if self._only_enabled(target):
            self.outreach.status(
                f"{label} cannot be deleted: it is the only enabled variant of step "
                f"{target.number}, and a step needs one to send. Enable another first."
            )
            return
        drafting = self.dirty and self.editing is not None and self.editing.variant == variant

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            if drafting:
                self._load_editors(*self.baseline)
            self.outreach.run_edit(
                lambda db: edits.delete_variant(db, variant.id),
                done=f"{label} deleted; it is removed on the server with the next sync.",
            )

        detail = f"{label} and its text will be deleted" + (
            " (with your unsaved changes)." if drafting else "."
        )
        self.app.push_screen(ConfirmDialog(f"Delete {label}?", detail, "Delete"), confirmed)

    def action_toggle_enabled(self) -> None:
        """Enable or disable the highlighted variant (e); the last enabled one stays on."""
        target = self._variant_target()
        if target is None or target.variant is None:
            return
        label, variant = target_label(target), target.variant
        if self._only_enabled(target):
            self.outreach.status(
                f"{label} stays enabled: it is the only enabled variant of step "
                f"{target.number}, and a step needs one to send. Enable another first."
            )
            return
        enabled = not variant.enabled
        self.outreach.run_edit(
            lambda db: edits.update_variant(db, variant.id, enabled=enabled),
            done=f"{label} {'enabled' if enabled else 'disabled'} (sent with the next sync).",
        )

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
        db = open_reader(self.db_path)
        try:
            versions = variant_versions(db, target.variant.id)
        finally:
            db.close()
        conflict = VariantConflict(target_label(target), tuple(items), versions)
        self.app.call_from_thread(self._show_conflict, conflict)

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
