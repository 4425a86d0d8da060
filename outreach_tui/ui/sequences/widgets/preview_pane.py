"""The sequence editor's preview pane: the variant being edited as one cached lead will
receive it, and how many leads lack each variable it needs.

The pane owns the lead sample, which lead is shown (alt+←/→), pulling the campaign's
leads on demand (`Backend.pull`, shared with the campaign console's leads tab: one pull
per campaign at a time) and the rendering: after a short quiet spell (typing is not
slowed down) the preview and the report are built on thread workers — `build_preview`
and `lead_report` are pure, the report walks every cached lead — and a result only lands
while it is the newest (`deliver`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from outreach_tui.sync import pull
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.backend.messages import PullFinished
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


def leads_pull_key(campaign_id: str) -> str:
    """The backend's pull key of a campaign's leads (the campaign console uses it too)."""
    return f"leads:{campaign_id}"


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

    def __init__(self, backend: Backend, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backend = backend
        self.campaign_id: str | None = None  # whose leads are previewed
        self.draft: Draft | None = None  # None: no variant to preview
        self.sample: LeadSample | None = None
        self.lead_index = 0
        self.pulled_leads_for: set[str] = set()  # campaigns whose leads were asked for
        self._preview_timer: Timer | None = None
        self._report_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Pick a variant to preview it."), id="preview-body")
        yield Static(Text(), id="preview-report")

    # --- what to preview ----------------------------------------------------------------

    def reset(self, campaign_id: str) -> None:
        """Another campaign: no leads yet, back to the first one."""
        self.campaign_id, self.sample, self.lead_index = campaign_id, None, 0

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

    # --- pulling the leads -------------------------------------------------------------

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
            self.pull_leads()

    def pull_leads(self) -> None:
        """Pull the campaign's leads from the server now: one walk of its lead pages."""
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
            reply_to=self,
        )

    @on(PullFinished)
    def _pulled(self, message: PullFinished) -> None:
        # The leads land with the reload that follows (the backend's change signal); only
        # a success needs the pulling note cleared.
        if message.error is None:
            self.backend.status.say("")

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
        asked = self.campaign_id in self.pulled_leads_for
        if asked and (sample is None or not sample.pulled):
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
