"""The sequence editor (F4): a campaign's steps and A/B variants, edited from the keyboard,
validated as the server validates, previewed as each lead will receive it.

The screen composes `StepList` (left), `VariantEditor` (the draft and its checks) and
`PreviewPane` (one lead, the missing-values report), reads through a `CacheView` and
coordinates their messages. Writes: `SequenceEdits`; server actions: `SequenceServer`.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.status_bar import StatusBar
from outreach_tui.ui.sequences.data import LeadSample, RowTarget, SequenceData, load_editor
from outreach_tui.ui.sequences.screens.actions import SequenceEdits
from outreach_tui.ui.sequences.screens.dialogs import CampaignChooser
from outreach_tui.ui.sequences.screens.server_actions import SequenceServer
from outreach_tui.ui.sequences.widgets.head import SequenceHead
from outreach_tui.ui.sequences.widgets.preview_pane import Draft, PreviewPane, leads_pull_key
from outreach_tui.ui.sequences.widgets.steps import StepList
from outreach_tui.ui.sequences.widgets.variant_editor import VariantEditor

# One read of the editor: the campaign it was read for, its sequence and lead sample.
Loaded = tuple[str, SequenceData | None, LeadSample | None]


class SequenceScreen(Screen[None]):
    """Edit a campaign's sequence: steps, delays, variants, subjects and bodies."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="sequences.save"),
        Binding("f4,g", "pick_campaign", "Campaign", id="sequences.pick_campaign"),
        Binding("escape", "to_steps", "Steps", show=False, id="sequences.to_steps"),
        Binding("n", "add_step", "New step", id="sequences.add_step"),
        Binding("D", "delete_step", "Del step", id="sequences.delete_step"),
        Binding("w", "edit_delay", "Delay", id="sequences.edit_delay"),
        Binding("a", "add_variant", "New variant", id="sequences.add_variant"),
        Binding("x", "delete_variant", "Del variant", id="sequences.delete_variant"),
        Binding("e", "toggle_enabled", "On/off", id="sequences.toggle_enabled"),
        Binding("left,alt+left", "lead(-1)", "Prev lead", show=False, id="sequences.prev_lead"),
        Binding("right,alt+right", "lead(1)", "Next lead", show=False, id="sequences.next_lead"),
        Binding("p", "pull_leads", "Pull leads", show=False, id="sequences.pull_leads"),
        Binding("c", "resolve_conflict", "Conflict", show=False, id="sequences.resolve"),
        Binding("r", "retry", "Retry", show=False, id="sequences.retry"),
        Binding("v", "toggle_preview", "Preview/editor", id="sequences.toggle_preview"),
    ]

    DEFAULT_CSS = """
    SequenceScreen #seq-head { height: 1; padding: 0 1; background: $boost; }
    SequenceScreen #seq-body { height: 1fr; }
    SequenceScreen #seq-left { width: 32; border-right: solid $primary-darken-2; }
    SequenceScreen #seq-left .heading { text-style: bold; height: 1; }
    SequenceScreen PreviewPane { width: 44; border-left: solid $primary-darken-2; }
    SequenceScreen.-narrow #seq-left { width: 24; }
    SequenceScreen.-narrow PreviewPane { display: none; width: 1fr; border-left: none; }
    SequenceScreen.-narrow.-preview PreviewPane { display: block; }
    SequenceScreen.-narrow.-preview #seq-editor { display: none; }
    """

    NARROW = 110  # below: the preview takes the editor's place on `v` instead of a column

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.campaign_id: str | None = None
        self.data: SequenceData | None = None
        self.editing_row: str | None = None  # the list row shown in the editors
        self.steps = StepList(id="steps")
        self.editor = VariantEditor(id="seq-editor")
        self.preview = PreviewPane(backend, id="seq-preview")
        self.edits = SequenceEdits(self, backend, self.steps, self.editor)
        self.server = SequenceServer(self, backend, self.editor)
        self.chooser = CampaignChooser(self, backend, lambda: self.campaign_id, self.show_campaign)
        self.view = CacheView(self, backend, self._read, self._apply, what="the sequence")

    def compose(self) -> ComposeResult:
        yield SequenceHead(id="seq-head")
        with Horizontal(id="seq-body"):
            with Vertical(id="seq-left"):
                yield Static(Text("Steps and variants"), classes="heading")
                yield self.steps
            yield self.editor
            yield self.preview
        yield StatusBar(self.backend.status, id="status")
        yield AppFooter()

    def on_mount(self) -> None:
        self.steps.focus()
        self.view.start()  # reads nothing until a campaign is chosen
        if self.campaign_id is None:
            self.action_pick_campaign()

    def on_resize(self) -> None:
        narrow = self.size.width < self.NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.refresh_bindings()  # "v" only means something when narrow

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the preview/editor switch only when they share one column."""
        if action == "toggle_preview":
            return self.has_class("-narrow")
        return True

    def action_toggle_preview(self) -> None:
        """On a narrow terminal: show the preview in the editor's place, or back."""
        self.toggle_class("-preview")

    @property
    def sample(self) -> LeadSample | None:
        """The campaign's cached leads as the preview has them (None: not read yet)."""
        return self.preview.sample

    @property
    def dirty(self) -> bool:
        """True when the editors hold changes that are not saved (the app asks on quit)."""
        return self.editor.dirty

    def guarded(self, then: Callable[[], None]) -> None:
        """Run `then` now, or after save / discard when the editors hold unsaved changes."""
        self.edits.guarded(then)

    # --- choosing the campaign ----------------------------------------------------------

    def show_campaign(self, campaign_id: str) -> None:
        """Open `campaign_id`'s sequence (after the unsaved-changes guard).

        For other screens: `app.switch_mode("sequences")` then this; it may be called
        before the screen is mounted (the campaign then opens with it, no picker).
        """
        if campaign_id == self.campaign_id:
            return
        if not self.is_mounted:
            self.campaign_id = campaign_id
            self.preview.reset(campaign_id)
            return
        self.chooser.close()  # asked for a campaign while the picker was up
        self.guarded(lambda: self._open_campaign(campaign_id))

    def _open_campaign(self, campaign_id: str) -> None:
        self.campaign_id, self.data, self.editing_row = campaign_id, None, None
        self.preview.reset(campaign_id)
        self.editor.show(None)
        self.view.reload()

    # --- loading ------------------------------------------------------------------------

    def _read(self, db: Database) -> Loaded | None:
        campaign_id = self.campaign_id
        if campaign_id is None:
            return None
        pulling = self.backend.pulling(leads_pull_key(campaign_id))
        return campaign_id, *load_editor(db, campaign_id, self.sample, leads_pulling=pulling)

    def _apply(self, loaded: Loaded | None) -> None:
        if loaded is None or loaded[0] != self.campaign_id:
            return  # no campaign chosen yet, or another one was chosen meanwhile
        _, data, sample = loaded
        if data is None:
            self.backend.status.say("That campaign is no longer in the cache.")
            self.data, self.editor.problems = None, ()
            self.query_one(SequenceHead).show_missing()
            return
        self.data = data
        self.preview.show_sample(sample)
        self.query_one(SequenceHead).show(data, sample)
        self.editor.known_variables = sample.known if sample is not None else None
        # A draft holds the editors on its row until the unsaved-changes guard lets go;
        # else the highlighted row (a move whose message is still on its way counts).
        keep = self.editing_row if self.dirty else self.steps.current_id
        dirty_variant = self.editor.dirty_variant
        self.steps.show_steps(
            data.steps, dirty_variant=dirty_variant, keep=keep, near=self.editor.target
        )
        self._show_target(self.steps.current, reload=True)
        self.preview.maybe_pull_leads()
        self.server.maybe_open_conflict()

    # --- the variant in the editors -----------------------------------------------------

    def _show_target(self, target: RowTarget | None, *, reload: bool = False) -> None:
        """Show `target`'s variant in the editors (a draft of the same variant is kept)."""
        self.editing_row = self.steps.current_id
        problems = self.data.problems_of(target) if self.data is not None else ()
        moved = self.editor.show(target, problems, reload=reload)
        self.preview.follow(self._draft(), report=moved)
        if moved:
            self.server.maybe_open_conflict()  # arriving on a conflicting variant asks once

    def _draft(self) -> Draft | None:
        target, data = self.editor.target, self.data
        if target is None or target.variant is None or data is None:
            return None
        subject, body = self.editor.texts
        return Draft(subject, body, bool(data.campaign.unsubscribe_option))

    @on(StepList.OptionHighlighted, "#steps")
    def _row_highlighted(self) -> None:
        target = self.steps.current
        if self.editor.would_drop_draft(target):
            wanted = self.steps.current_id
            self.steps.highlight_id(self.editing_row or "")  # stay until the guard says go
            self.guarded(lambda: self._move_to(wanted))
            return
        self._show_target(target)

    def _move_to(self, row_id: str | None) -> None:
        if row_id is not None:
            self.steps.highlight_id(row_id)
        self._show_target(self.steps.current)

    @on(StepList.OptionSelected, "#steps")
    def _row_selected(self) -> None:
        if self.editor.target is not None and self.editor.target.variant is not None:
            self.editor.subject_area.focus()

    @on(VariantEditor.Changed)
    def _draft_changed(self) -> None:
        self.steps.mark_dirty(self.editor.dirty_variant)
        self.preview.follow(self._draft())

    @on(VariantEditor.SaveRequested)
    def _save_requested(self, event: VariantEditor.SaveRequested) -> None:
        event.stop()
        self.edits.save()

    # --- actions (the keys in BINDINGS) -------------------------------------------------

    def action_pick_campaign(self) -> None:
        """Choose another campaign (F4)."""
        self.chooser.open()

    def action_save(self) -> None:
        """Queue the variant's subject and body (ctrl+s)."""
        self.edits.save()

    def action_to_steps(self) -> None:
        """Escape: from an editor back to the steps list."""
        self.steps.focus()

    def action_add_step(self) -> None:
        """Add a step at the end (n)."""
        self.edits.add_step(self.campaign_id, self.data)

    def action_delete_step(self) -> None:
        """Delete the highlighted step after confirming (D); later steps renumber."""
        self.edits.delete_step(self.data)

    def action_edit_delay(self) -> None:
        """Change the wait after the highlighted step (w)."""
        self.edits.edit_delay(self.data)

    def action_add_variant(self) -> None:
        """Add a variant to the highlighted step (a); its body starts as a copy."""
        self.edits.add_variant()

    def action_delete_variant(self) -> None:
        """Delete the highlighted variant after confirming (x)."""
        self.edits.delete_variant()

    def action_toggle_enabled(self) -> None:
        """Enable or disable the highlighted variant (e); the last enabled one stays on."""
        self.edits.toggle_enabled()

    def action_lead(self, step: int) -> None:
        """Preview the previous or next lead (alt+←/→; ←/→ outside the editors)."""
        if not self.preview.step_lead(step):
            self.backend.status.say("No leads cached for this campaign: p pulls them.")

    def action_pull_leads(self) -> None:
        """Pull the campaign's leads from the server now (p)."""
        self.preview.pull_leads()

    def action_resolve_conflict(self) -> None:
        """Compare both versions of a conflicting variant; keep mine or take theirs (c)."""
        self.server.resolve_conflict()

    def action_retry(self) -> None:
        """Send a refused change again as it is (r)."""
        self.server.retry()
