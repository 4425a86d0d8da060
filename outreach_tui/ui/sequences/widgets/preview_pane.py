"""The sequence editor's preview pane: the variant being edited as one cached lead will
receive it, and how many leads lack each variable it needs.

The pane owns the lead sample, which lead is shown (alt+←/→) and the rendering: after a
short quiet spell (typing is not slowed down) the preview and the report are built on
thread workers — `build_preview` and `lead_report` are pure, the report walks every
cached lead — and a result only lands while it is the newest (`deliver`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from outreach_tui.ui.backend.workers import deliver
from outreach_tui.ui.sequences.data import LeadSample
from outreach_tui.ui.sequences.widgets.preview import (
    PreviewRequest,
    build_preview,
    lead_report,
    report_text,
)

PREVIEW_DELAY = 0.15  # seconds of quiet typing before the preview re-renders
REPORT_DELAY = 0.4  # the report reads every cached lead: wait a little longer


@dataclass(frozen=True)
class Draft:
    """What to preview: the editors' subject and body, and whether the campaign adds an
    unsubscribe link."""

    subject: str
    body: str
    unsubscribe: bool


class PreviewPane(VerticalScroll):
    """The rendered variant for one lead, then the missing-values report."""

    DEFAULT_CSS = """
    PreviewPane { padding: 0 1; }
    PreviewPane > #preview-report { margin-top: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.draft: Draft | None = None  # None: no variant to preview
        self.sample: LeadSample | None = None
        self.lead_index = 0
        self.leads_asked = False  # a pull of the campaign's leads was started
        self._preview_timer: Timer | None = None
        self._report_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Pick a variant to preview it."), id="preview-body")
        yield Static(Text(), id="preview-report")

    # --- what to preview ----------------------------------------------------------------

    def reset(self) -> None:
        """Another campaign: no leads yet, back to the first one."""
        self.sample, self.lead_index, self.leads_asked = None, 0, False

    def show_sample(self, sample: LeadSample | None) -> None:
        """Preview with these leads; the report is recounted when they changed."""
        changed = sample is not self.sample
        self.sample = sample
        if sample is not None and self.lead_index >= len(sample.leads):
            self.lead_index = 0
        if changed:
            self.schedule_report()

    def follow(self, draft: Draft | None, *, report: bool = True) -> None:
        """The draft changed: preview it (and recount the report) after a quiet spell."""
        self.draft = draft
        self.schedule_preview()
        if report:
            self.schedule_report()

    def step_lead(self, step: int) -> bool:
        """Preview the lead `step` places further (wrapping); False when there is none."""
        sample = self.sample
        if sample is None or not sample.leads:
            return False
        self.lead_index = (self.lead_index + step) % len(sample.leads)
        self.schedule_preview()
        return True

    # --- the preview --------------------------------------------------------------------

    def schedule_preview(self) -> None:
        """Re-render the preview after a short quiet spell."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self._start_preview)

    def _start_preview(self) -> None:
        draft, sample = self.draft, self.sample
        if draft is None:
            self.show_preview(Text("Pick a variant to preview it.", style="dim"))
            return
        leads = sample.leads if sample is not None else ()
        note = "p pulls the campaign's leads"
        if self.leads_asked and (sample is None or not sample.pulled):
            note = "the leads are being pulled"
        request = PreviewRequest(
            subject=draft.subject,
            body=draft.body,
            lead=leads[self.lead_index] if leads else None,
            lead_index=self.lead_index,
            lead_total=len(leads),
            unsubscribe=draft.unsubscribe,
            leads_note=note,
        )
        self._render_preview(request)

    @work(thread=True, exclusive=True, group="sequence-preview", exit_on_error=False)
    def _render_preview(self, request: PreviewRequest) -> None:
        # Pure CPU work, no cache read: a plain worker, the newest result wins.
        deliver(self.app, self.show_preview, build_preview(request))

    def show_preview(self, text: Text) -> None:
        """Replace the rendered variant."""
        self.query_one("#preview-body", Static).update(text)

    # --- the report ---------------------------------------------------------------------

    def schedule_report(self) -> None:
        """Recount the leads lacking each variable after a short quiet spell."""
        if self._report_timer is not None:
            self._report_timer.stop()
        self._report_timer = self.set_timer(REPORT_DELAY, self._start_report)

    def _start_report(self) -> None:
        draft, sample = self.draft, self.sample
        if draft is None:
            self.show_report(Text())
        elif sample is None or not sample.leads:
            self.show_report(report_text(None, 0, pending=True))
        else:
            self._count_missing(draft.subject, draft.body, sample)

    @work(thread=True, exclusive=True, group="sequence-report", exit_on_error=False)
    def _count_missing(self, subject: str, body: str, sample: LeadSample) -> None:
        report = lead_report(subject, body, sample.values)
        deliver(self.app, self.show_report, report_text(report, len(sample.leads), pending=False))

    def show_report(self, text: Text) -> None:
        """Replace the missing-values report."""
        self.query_one("#preview-report", Static).update(text)
