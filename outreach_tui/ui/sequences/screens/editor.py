"""The sequence editor (F4): a campaign's steps and A/B variants, edited from the keyboard,
validated as the server validates, previewed as each lead will receive it.

Layout: the steps list (left), the variant's subject and body editors with their checks
(middle), the preview for one lead and the missing-values report (right). The editors
hold one variant's draft; leaving it with changes asks save / discard / stay. Saving
queues the change in the outbox (works offline; the next sync pushes it); a change the
server refused shows on the variant with the text kept, a conflicting server change opens
keep mine / take theirs. Reads run on workers (own reader connection). The edits live in
`sequence_actions`, what needs the server (leads, conflicts, retries) in
`sequence_server_actions`, the checks, preview and report in `sequence_feedback`.
"""

from __future__ import annotations

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.queries import campaigns as campaign_queries
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.common.widgets.status_bar import StatusBar
from outreach_tui.ui.sequences.checks import editable_text
from outreach_tui.ui.sequences.data import (
    LeadSample,
    SequenceData,
    load_leads,
    load_sequence,
)
from outreach_tui.ui.sequences.screens.actions import SequenceActions
from outreach_tui.ui.sequences.screens.dialogs import CampaignPicker
from outreach_tui.ui.sequences.screens.feedback import SequenceFeedback
from outreach_tui.ui.sequences.screens.server_actions import (
    SequenceServerActions,
    leads_pull_key,
)
from outreach_tui.ui.sequences.widgets.preview import (
    SequencePreview,
)
from outreach_tui.ui.sequences.widgets.steps import VARIANT_PREFIX, RowTarget, StepList
from outreach_tui.ui.sequences.widgets.template_area import TemplateArea

# One read of the editor: the campaign it was read for, its sequence and lead sample.
Loaded = tuple[str, SequenceData | None, LeadSample | None]


def _editable(text: str) -> str:
    return editable_text(text)[0]


class SequenceScreen(SequenceActions, SequenceServerActions, SequenceFeedback, Screen[None]):
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
    ]

    DEFAULT_CSS = """
    SequenceScreen #seq-head { height: 1; padding: 0 1; background: $boost; }
    SequenceScreen #seq-body { height: 1fr; }
    SequenceScreen #seq-left { width: 32; border-right: solid $primary-darken-2; }
    SequenceScreen #seq-editor { width: 1fr; padding: 0 1; }
    SequenceScreen SequencePreview { width: 44; border-left: solid $primary-darken-2; }
    SequenceScreen .heading { text-style: bold; height: 1; }
    SequenceScreen #variant-head { height: 1; text-style: bold; }
    SequenceScreen #subject { height: 3; }
    SequenceScreen #body { height: 1fr; min-height: 5; }
    SequenceScreen .check { height: auto; max-height: 3; }
    SequenceScreen #variant-problem { height: auto; max-height: 4; }
    """

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.campaign_id: str | None = None
        self.data: SequenceData | None = None
        self.sample: LeadSample | None = None
        self.lead_index = 0
        self.editing: RowTarget | None = None  # whose text is in the editors
        self.editing_row: str | None = None  # the list row shown in the editors
        self.added_row: str | None = None  # a step or variant just added: shown once listed
        self.baseline: tuple[str, str] = ("", "")  # the variant's saved subject and body
        self.pulled_leads_for: set[str] = set()
        self.conflicts_shown: set[int] = set()
        self._preview_timer: Timer | None = None
        self._report_timer: Timer | None = None
        self._picker_open = False
        self._picker: CampaignPicker | None = None
        self.cleaned = False  # the variant's text held control characters (removed)
        self._marked_dirty: str | None = None  # the variant whose row shows "*"
        self.view = CacheView(self, backend, self._read, self._apply, what="the sequence")

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Text("Sequence editor — F4 picks a campaign"), id="seq-head")
        with Horizontal(id="seq-body"):
            with Vertical(id="seq-left"):
                yield Static(Text("Steps and variants"), classes="heading")
                yield StepList(id="steps")
            with Vertical(id="seq-editor"):
                yield Static(Text(), id="variant-head")
                yield Static(Text("Subject"), classes="heading")
                yield TemplateArea(single_line=True, id="subject")
                yield Static(Text(), classes="check", id="subject-check")
                yield Static(Text("Body (HTML: <b> <i> <u> <a> <img>)"), classes="heading")
                yield TemplateArea(html=True, id="body")
                yield Static(Text(), classes="check", id="body-check")
                yield Static(Text(), id="variant-problem")
            yield SequencePreview(id="seq-preview")
        yield StatusBar(self.backend.status, id="status")
        yield Footer()

    @property
    def steps(self) -> StepList:
        return self.query_one(StepList)

    @property
    def subject_area(self) -> TemplateArea:
        return self.query_one("#subject", TemplateArea)

    @property
    def body_area(self) -> TemplateArea:
        return self.query_one("#body", TemplateArea)

    def on_mount(self) -> None:
        self._set_editable(False)
        self.steps.focus()
        self.view.start()  # reads nothing until a campaign is chosen
        if self.campaign_id is None:
            self.action_pick_campaign()

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
            return
        if self._picker is not None and self._picker.is_current:
            self._picker.dismiss(None)  # asked for a campaign while the picker was up
        self.guarded(lambda: self._open_campaign(campaign_id))

    def _open_campaign(self, campaign_id: str) -> None:
        self.campaign_id = campaign_id
        self.data, self.sample = None, None
        self.editing, self.editing_row, self.lead_index = None, None, 0
        self._load_editors("", "")
        self._set_editable(False)
        self.load()

    def action_pick_campaign(self) -> None:
        """Choose another campaign (F4)."""
        if not self._picker_open:
            self._picker_open = True
            self._list_campaigns(self.campaign_id)

    def _list_campaigns(self, asked_with: str | None) -> None:
        self.backend.read(
            self,
            campaign_queries.list_campaigns,
            lambda campaigns: self._show_picker(campaigns, asked_with),
            group="sequence-campaigns",
            what="the campaigns",
        )

    def _show_picker(
        self, campaigns: list[campaign_queries.CampaignRow], asked_with: str | None
    ) -> None:
        if self.campaign_id != asked_with:
            self._picker_open = False  # show_campaign chose one meanwhile
            return

        def chosen(campaign_id: str | None) -> None:
            self._picker_open, self._picker = False, None
            if campaign_id is not None:
                self.show_campaign(campaign_id)

        self._picker = CampaignPicker(campaigns, self.campaign_id)
        self.app.push_screen(self._picker, chosen)

    # --- loading ------------------------------------------------------------------------

    def load(self) -> None:
        """Read the campaign's sequence again (and its leads when they changed)."""
        self.view.reload()

    def _read(self, db: Database) -> Loaded | None:
        campaign_id = self.campaign_id
        if campaign_id is None:
            return None
        data = load_sequence(db, campaign_id)
        sample = self.sample
        # While a pull streams pages in, the leads are read once, when it ends.
        if (
            data is not None
            and not self.backend.pulling(leads_pull_key(campaign_id))
            and (sample is None or len(sample.leads) != data.lead_count or not sample.pulled)
        ):
            sample = load_leads(db, campaign_id)
        return campaign_id, data, sample

    def _apply(self, loaded: Loaded | None) -> None:
        if loaded is None:
            return  # no campaign chosen yet
        campaign_id, data, sample = loaded
        if campaign_id != self.campaign_id:
            return  # another campaign was chosen meanwhile
        if data is None:
            self.backend.status.say("That campaign is no longer in the cache.")
            self.data = None
            self.query_one("#seq-head", Static).update(Text("Campaign not found — F4 picks one"))
            return
        leads_changed = sample is not self.sample
        self.data, self.sample = data, sample
        if sample is not None and self.lead_index >= len(sample.leads):
            self.lead_index = 0
        self._show_head()
        known = sample.known if sample is not None else None
        self.subject_area.known_variables = known
        self.body_area.known_variables = known
        keep = self._row_to_keep()
        self._marked_dirty = self._dirty_id()
        self.steps.show_steps(data.steps, dirty_variant=self._marked_dirty, keep=keep)
        self._show_target(self.steps.current, reload=True)
        self.maybe_pull_leads()
        self.maybe_open_conflict()
        if leads_changed:
            self.schedule_report()

    def _row_ids(self) -> set[str]:
        data = self.data
        if data is None:
            return set()
        ids = {f"step:{step.id}" for step in data.steps}
        return ids | {VARIANT_PREFIX + v.id for step in data.steps for v in step.variants}

    def _row_to_keep(self) -> str | None:
        """The row the rebuilt list highlights: a row just added; else the highlighted one
        (a move whose message is still on its way counts) unless a draft holds the editors
        on their row until the unsaved-changes guard lets go; else a neighbour."""
        rows = self._row_ids()
        if self.added_row in rows:
            keep, self.added_row = self.added_row, None
            return keep
        wanted = self.editing_row if self.dirty else self.steps.current_id
        return wanted if wanted in rows else self._fallback_row()

    def _fallback_row(self) -> str | None:
        """Where the highlight goes when its row vanished (a placeholder got its server id,
        a step was deleted): the same position, as near as the list allows."""
        data, editing = self.data, self.editing
        if data is None or editing is None or not data.steps:
            return None
        index = min(editing.number - 1, len(data.steps) - 1)
        step = data.steps[index]
        if editing.variant is not None and step.variants:
            position = next(
                (i for i, v in enumerate(editing.step.variants) if v.id == editing.variant.id), 0
            )
            return VARIANT_PREFIX + step.variants[min(position, len(step.variants) - 1)].id
        return f"step:{step.id}"

    def _show_head(self) -> None:
        data, sample = self.data, self.sample
        if data is None:
            return
        campaign = data.campaign
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(sanitize_line(campaign.name, 50) or "(no name)", style="bold")
        head.append(f"  {campaign.status} · {len(data.steps)} steps · ", style="dim")
        if sample is not None and sample.leads:
            head.append(f"{len(sample.leads)} leads cached", style="dim")
        elif sample is not None and sample.pulled:
            head.append("no leads", style="dim")
        else:
            head.append("leads not pulled (p)", style="dim")
        if campaign.unsubscribe_option:
            head.append(" · unsubscribe link on", style="dim")
        self.query_one("#seq-head", Static).update(head)

    # --- the variant in the editors -----------------------------------------------------

    def _set_editable(self, editable: bool) -> None:
        for area in (self.subject_area, self.body_area):
            area.read_only = not editable

    def _load_editors(self, subject: str, body: str) -> None:
        subject, subject_cleaned = editable_text(subject)
        body, body_cleaned = editable_text(body)
        self.cleaned = subject_cleaned or body_cleaned
        self.subject_area.load_text(subject)
        self.body_area.load_text(body)
        # Read back: the editor may normalize line endings, which is no change of the user's.
        self.baseline = (self.subject_area.text, self.body_area.text)

    @property
    def dirty(self) -> bool:
        """True when the editors hold changes that are not saved."""
        if self.editing is None or self.editing.variant is None:
            return False
        return (self.subject_area.text, self.body_area.text) != self.baseline

    def _dirty_id(self) -> str | None:
        if self.dirty and self.editing is not None and self.editing.variant is not None:
            return self.editing.variant.id
        return None

    def _show_target(self, target: RowTarget | None, *, reload: bool = False) -> None:
        """Show `target`'s variant in the editors (a draft of the same variant is kept)."""
        previous = self.editing
        self.editing, self.editing_row = target, self.steps.current_id
        variant = target.variant if target is not None else None
        same = (
            previous is not None
            and previous.variant is not None
            and variant is not None
            and previous.variant.id == variant.id
        )
        if variant is None:
            self._load_editors("", "")
            self._set_editable(False)
        else:
            saved = (variant.subject or "", variant.body_html or "")
            # The same variant keeps its draft; without one it follows the cache (a sync,
            # take theirs), and the cursor only jumps when the text really changed.
            if not same or (
                reload and not self.dirty and tuple(map(_editable, saved)) != self.baseline
            ):
                self._load_editors(*saved)
            self._set_editable(True)
        self._show_variant_head()
        self.show_checks()
        self.schedule_preview()
        if not same:
            self.schedule_report()
            self.maybe_open_conflict()  # arriving on a conflicting variant asks once

    def _show_variant_head(self) -> None:
        target = self.editing
        head = Text(no_wrap=True, overflow="ellipsis")
        if target is None:
            head.append("No step yet: n adds one.")
        elif target.variant is None:
            head.append(f"Step {target.number} has no variant yet: ", style="bold")
            head.append("a adds one (the sync also creates an empty A).", style="")
        else:
            variant = target.variant
            head.append(f"Step {target.number} · Variant {variant.letter or '?'}")
            head.append(
                "  enabled" if variant.enabled else "  disabled",
                style="green" if variant.enabled else "dim",
            )
            if variant.local_state == "pending":
                head.append("  ↑ waiting for the sync", style="cyan")
            if self.cleaned:
                head.append("  ⚠ control characters removed from its text", style="yellow")
        self.query_one("#variant-head", Static).update(head)

    @on(StepList.OptionHighlighted, "#steps")
    def _row_highlighted(self) -> None:
        target = self.steps.current
        editing = self.editing
        leaving = (
            editing is not None
            and editing.variant is not None
            and (
                target is None or target.variant is None or target.variant.id != editing.variant.id
            )
        )
        if leaving and self.dirty:
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
        if self.editing is not None and self.editing.variant is not None:
            self.subject_area.focus()

    @on(TemplateArea.LineDone, "#subject")
    def _subject_done(self) -> None:
        self.body_area.focus()

    @on(TemplateArea.Changed)
    def _text_changed(self) -> None:
        dirty_id = self._dirty_id()
        if self.data is not None and dirty_id != self._marked_dirty:
            self._marked_dirty = dirty_id
            self.steps.mark_dirty(dirty_id, self.data.steps)
        self.schedule_preview()
        self.schedule_report()

    @on(TemplateArea.Checked)
    def _text_checked(self) -> None:
        self.show_checks()

    def action_to_steps(self) -> None:
        """Escape: from an editor back to the steps list."""
        self.steps.focus()
