"""Triage from the keyboard: the one place the TUI's inbox writes through.

Every action becomes an edit of `store.edits` run on the writer thread (local change +
outbox item in one transaction), so it works offline and shows as pending at once. Undo
re-applies the values the rows had before the action: the outbox coalesces an edit back
to its origin into nothing, and a change already pushed is reverted by a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from outreach_tui.core.labels import PickerChoice, display_name
from outreach_tui.core.plain_html import text_to_html
from outreach_tui.core.snooze_time import describe
from outreach_tui.store import outbox
from outreach_tui.store.codec import sortable_time
from outreach_tui.store.edits import bulk
from outreach_tui.store.edits import conversations as edits
from outreach_tui.store.edits import snooze as snoozes
from outreach_tui.store.queries.leads import conversation_variables
from outreach_tui.store.queries.mailboxes import list_inboxes
from outreach_tui.store.queries.snoozes import next_wake
from outreach_tui.store.records import AttachmentRow, ConversationFilter, ConversationRow
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.inbox.screens.compose import ComposeScreen, Draft
from outreach_tui.ui.inbox.screens.label_picker import LabelPicker
from outreach_tui.ui.inbox.screens.reply import ReplyScreen
from outreach_tui.ui.inbox.screens.snooze_picker import SnoozeChoice, SnoozePicker

if TYPE_CHECKING:
    from sqlite_utils import Database
    from textual.app import App

UNDO_DEPTH = 50


# The single-key labels of the inbox and the thread view (the rest via the `l` picker).
QUICK_LABELS = {
    "i": "interested",
    "n": "not_interested",
    "m": "meeting_requested",
    "o": "out_of_office",
}
# Each quick-label key's footer title and binding id (after "<screen>.").
_QUICK_LABEL_NAMES = {
    "i": ("Interested", "label_interested"),
    "n": ("Not interested", "label_not_interested"),
    "m": ("Meeting", "label_meeting"),
    "o": ("OOO", "label_ooo"),
}


def label_key_bindings(screen: str, shown: str = "") -> list[Binding]:
    """A triage screen's quick-label keys and its clear-label key, with the ids `[keymap]`
    names them by (`<screen>.label_interested`, …, `<screen>.clear`); the keys in `shown`
    appear in the footer."""
    bindings = [
        Binding(key, f"quick_label('{key}')", title, show=key in shown, id=f"{screen}.{name}")
        for key, (title, name) in _QUICK_LABEL_NAMES.items()
    ]
    clear = Binding("0,backspace", "clear_label", "Clear label", show=False, id=f"{screen}.clear")
    return [*bindings, clear]


@dataclass(frozen=True)
class UndoStep:
    """How to take back one action: a description and the edit that does it."""

    description: str
    apply: Callable[[Database], Any]


def _restore_labels(previous: Sequence[tuple[str, str | None]]) -> Callable[[Database], Any]:
    def apply(db: Database) -> None:
        for conversation_id, override in previous:
            if override is None:
                edits.revert_label(db, [conversation_id])
            else:
                edits.set_label(db, [conversation_id], override)

    return apply


def _restore_read(previous: Sequence[tuple[str, bool]]) -> Callable[[Database], Any]:
    def apply(db: Database) -> None:
        for conversation_id, was_read in previous:
            (edits.mark_read if was_read else edits.mark_unread)(db, [conversation_id])

    return apply


def _withdraw_reply(item_id: int) -> Callable[[Database], Any]:
    def apply(db: Database) -> None:
        item = outbox.get_item(db, item_id)
        if item.state != outbox.PENDING:
            raise edits.EditError("the reply has already been sent; it cannot be taken back")
        outbox.withdraw(db, item_id)

    return apply


# Shows a change on screen before the write lands: (ids, {field: value}) for each group.
Preview = Callable[[Sequence[str], dict[str, Any]], None]


class Triage:
    """Label, read state, replies and undo, for the inbox and thread screens."""

    def __init__(self, app: App[Any], backend: Backend) -> None:
        self.app = app
        self.backend = backend
        self.undo_stack: list[UndoStep] = []
        # The inbox list shows a decision at once; the reload after the write confirms it.
        self.preview: Preview | None = None
        # The thread's lead panel as the user last set it (None: by the terminal's width).
        self.lead_panel: bool | None = None

    def _preview(self, ids: Sequence[str], **changes: Any) -> None:
        if self.preview is not None:
            self.preview(ids, {**changes, "local_state": "pending"})

    def _run(
        self, description: str, edit: Callable[[Database], Any], undo: UndoStep | None
    ) -> None:
        if undo is not None:
            self.undo_stack.append(undo)
            del self.undo_stack[:-UNDO_DEPTH]
        self.backend.edit(edit, done=description)

    def set_label(self, rows: Sequence[ConversationRow], label: str) -> None:
        """Override the label of `rows`."""
        if not rows:
            return
        ids = [row.id for row in rows]
        previous = [(row.id, row.label_override) for row in rows]
        self._preview(ids, label=label, label_override=label)
        self._run(
            f"Labelled {len(ids)} as {display_name(label)}" if len(ids) > 1 else "",
            lambda db: edits.set_label(db, ids, label),
            UndoStep(f"label of {len(ids)} conversation(s)", _restore_labels(previous)),
        )

    def revert_label(self, rows: Sequence[ConversationRow]) -> None:
        """Clear the override of `rows` (back to the AI label)."""
        if not rows:
            return
        ids = [row.id for row in rows]
        previous = [(row.id, row.label_override) for row in rows]
        for row in rows:
            self._preview([row.id], label=row.ai_label, label_override=None)
        self._run(
            "",
            lambda db: edits.revert_label(db, ids),
            UndoStep(f"label of {len(ids)} conversation(s)", _restore_labels(previous)),
        )

    def set_read(self, rows: Sequence[ConversationRow], is_read: bool) -> None:
        """Mark `rows` read or unread."""
        changing = [row for row in rows if row.is_read != is_read]
        if not changing:
            return
        ids = [row.id for row in changing]
        previous = [(row.id, row.is_read) for row in changing]
        self._preview(ids, is_read=is_read)
        self._run(
            "",
            lambda db: (edits.mark_read if is_read else edits.mark_unread)(db, ids),
            UndoStep(f"read state of {len(ids)} conversation(s)", _restore_read(previous)),
        )

    def toggle_read(self, rows: Sequence[ConversationRow]) -> None:
        """Unread rows become read; if all are read, they become unread."""
        if rows:
            self.set_read(rows, any(not row.is_read for row in rows))

    def pick_snooze(
        self, rows: Sequence[ConversationRow], then: Callable[[], None] | None = None
    ) -> None:
        """Open the snooze picker for `rows` (it offers to wake them when some are
        snoozed); `then` runs after a choice was applied."""
        if not rows:
            return

        def chosen(choice: SnoozeChoice | None) -> None:
            if choice is None:
                return
            if choice.until is None:
                self.wake(rows)
            else:
                self.snooze(rows, choice.until)
            if then is not None:
                then()

        now = self.backend.clock().astimezone()  # presets are in the user's local time
        offer_wake = any(row.snoozed_until for row in rows)
        self.app.push_screen(SnoozePicker(now, len(rows), offer_wake=offer_wake), chosen)

    def snooze(self, rows: Sequence[ConversationRow], until: datetime) -> None:
        """Hide `rows` until `until` (the Snoozed view lists them); undo restores the
        snoozes they had."""
        if not rows:
            return
        ids = [row.id for row in rows]
        stamp, now, when = self._snooze_times(until)

        def edit(db: Database) -> list[snoozes.SnoozeState]:
            before = snoozes.states(db, ids)
            snoozes.snooze(db, ids, stamp, now)
            return before

        many = f" {len(ids):,} conversations" if len(ids) > 1 else ""
        self._run_snooze(
            edit,
            f"Snoozed{many} until {when} — f: the Snoozed tab",
            f"snooze of {len(ids)} conversation(s)",
        )

    def _snooze_times(self, until: datetime) -> tuple[str, str, str]:
        """A snooze's end and the time now as the store takes them (UTC ISO), and the end
        in words for the status line."""
        now = self.backend.clock()
        return until.astimezone(UTC).isoformat(), now.isoformat(), describe(until, now.astimezone())

    def wake(self, rows: Sequence[ConversationRow]) -> None:
        """End the snoozes of `rows` now: back on top of the inbox; undo snoozes again."""
        ids = [row.id for row in rows]
        now = self.backend.clock().isoformat()

        def edit(db: Database) -> list[snoozes.SnoozeState]:
            before = snoozes.states(db, ids)
            snoozes.wake(db, ids, now)
            return before

        self._run_snooze(edit, "Back in the inbox", f"unsnooze of {len(ids)} conversation(s)")

    def _run_snooze(
        self, edit: Callable[[Database], list[snoozes.SnoozeState]], done: str, what: str
    ) -> None:
        def landed(before: list[snoozes.SnoozeState]) -> None:
            self.undo_stack.append(UndoStep(what, lambda db: snoozes.restore(db, before)))
            del self.undo_stack[:-UNDO_DEPTH]

        self.backend.edit(edit, done=done, on_result=landed)

    def wake_due(self) -> None:
        """Bring back the snoozed conversations whose time has come (the app's timer);
        nothing is written, and no view reloads, while none is due."""
        due = next_wake(self.backend.reader)
        now = self.backend.clock()
        if due is None or due > sortable_time(now.isoformat()):
            return

        def woken(ids: list[str]) -> None:
            if ids:
                many = (
                    f"{len(ids)} snoozed conversations are"
                    if len(ids) > 1
                    else "A snoozed conversation is"
                )
                self.app.notify(f"{many} back on top of the inbox.", timeout=5)

        self.backend.edit(lambda db: snoozes.wake_due(db, now.isoformat()), on_result=woken)

    def queue_reply(self, row: ConversationRow, text: str) -> None:
        """Queue a reply (plain text) to `row`; undo withdraws it while still pending."""

        def remember(item: outbox.OutboxItem) -> None:
            self.undo_stack.append(UndoStep("reply", _withdraw_reply(item.id)))

        self.backend.edit(
            lambda db: edits.queue_reply(db, row.id, text_to_html(text)),
            done="Reply queued — it goes out with the next sync",
            on_result=remember,
        )

    def pick_label(
        self, rows: Sequence[ConversationRow], then: Callable[[], None] | None = None
    ) -> None:
        """Open the label picker for `rows`; `then` runs after a label was applied."""
        if not rows:
            return

        def chosen(choice: PickerChoice | None) -> None:
            if choice is None:
                return
            if choice.clear:
                self.revert_label(rows)
            elif choice.label is not None:
                self.set_label(rows, choice.label)
            if then is not None:
                then()

        self.app.push_screen(LabelPicker(), chosen)

    def start_reply(self, row: ConversationRow) -> None:
        """Open the reply editor for `row`; the text is queued when the user confirms."""
        recipient = row.sender_name or row.sender_email

        def written(text: str | None) -> None:
            if text:
                self.queue_reply(row, text)

        screen = ReplyScreen(
            row.subject,
            recipient,
            backend=self.backend,
            variables=conversation_variables(self.backend.reader, row.id),
            seed_key=row.id,
        )
        self.app.push_screen(screen, written)

    def start_compose(self) -> None:
        """Open the compose dialog; the new conversation is queued on confirm."""
        inboxes = [(inbox.id, inbox.email) for inbox in list_inboxes(self.backend.reader)]

        def written(draft: Draft | None) -> None:
            if draft is None:
                return
            self.backend.edit(
                lambda db: edits.compose_conversation(
                    db,
                    to=draft.to,
                    subject=draft.subject,
                    content=text_to_html(draft.body),
                    inbox_id=draft.inbox_id,
                ),
                done="Email queued — it goes out with the next sync",
            )

        self.app.push_screen(ComposeScreen(inboxes, self.backend), written)

    def save_attachment(
        self, conversation_id: str, attachment: AttachmentRow, folder: Path
    ) -> None:
        """Download an attachment into `folder` (needs the server); never opened."""
        self.backend.save_attachment(conversation_id, attachment, folder)

    def act_on_matching(self, flt: ConversationFilter, count: int, choice: str) -> None:
        """Apply `choice` ("label", "clear", "read", "unread", "snooze") to every
        conversation `flt` shows (`count` of them); one undo step takes the whole batch
        back."""
        if choice == "snooze":
            self._snooze_matching(flt, count)
            return
        if choice == "label":

            def picked(label: PickerChoice | None) -> None:
                if label is not None:
                    chosen = None if label.clear else label.label
                    self.act_on_matching(flt, count, "clear" if chosen is None else chosen)

            title = f"Label all {count:,} matching conversations"
            self.app.push_screen(LabelPicker(title=title), picked)
            return
        many = f"{count:,} conversation{'s' if count != 1 else ''}"
        if choice in ("read", "unread"):
            what, description = "read", f"read state of {many}"
            run = lambda db: bulk.read_matching(db, flt, choice == "read")  # noqa: E731
            saying = f"Marking {many} {choice}…"
        else:
            label = None if choice == "clear" else choice
            what, description = "label", f"label of {many}"
            run = lambda db: bulk.label_matching(db, flt, label)  # noqa: E731
            saying = (
                f"Labelling {many} as {display_name(label)}…"
                if label
                else (f"Clearing the label of {many}…")
            )
        self._run_batch(run, what, description, saying, f"changed of {many}")

    def _snooze_matching(self, flt: ConversationFilter, count: int) -> None:
        def chosen(choice: SnoozeChoice | None) -> None:
            if choice is None or choice.until is None:
                return
            stamp, now, when = self._snooze_times(choice.until)
            many = f"{count:,} conversation{'s' if count != 1 else ''}"
            self._run_batch(
                lambda db: bulk.snooze_matching(db, flt, stamp, now),
                "snooze",
                f"snooze of {many}",
                f"Snoozing {many} until {when}…",
                f"snoozed until {when} — f: the Snoozed tab",
            )

        now = self.backend.clock().astimezone()  # presets are in the user's local time
        self.app.push_screen(SnoozePicker(now, count), chosen)

    def _run_batch(
        self,
        run: Callable[[Database], tuple[int, int]],
        what: str,
        description: str,
        saying: str,
        outcome: str,
    ) -> None:
        """Run a batch edit (`store.edits.bulk`), say `saying` while it runs and "N
        `outcome`" after; one undo step takes it back."""
        self.backend.status.say(saying)

        def done(result: tuple[int, int]) -> None:
            batch, changed = result
            self.undo_stack.append(
                UndoStep(description, lambda db: bulk.undo_batch(db, batch, what))
            )
            del self.undo_stack[:-UNDO_DEPTH]
            self.backend.status.say(f"{changed:,} {outcome} (z undoes the batch).")

        self.backend.edit(run, on_result=done)

    def undo(self) -> None:
        """Take back the last action."""
        if not self.undo_stack:
            self.app.notify("Nothing to undo.")
            return
        step = self.undo_stack.pop()
        self.backend.edit(step.apply, done=f"Undone: {step.description}")
