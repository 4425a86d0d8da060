"""What the sequence editor tells you while you type: the checks under each field and the
server's verdict on the variant, the preview for one lead, the missing-values report.

The preview and the report are computed on workers after a short quiet spell (the report
reads every cached lead); nothing here blocks the UI thread. Mixed into `SequenceScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.timer import Timer
from textual.widgets import Static

from outreach_tui.ui.backend.workers import deliver
from outreach_tui.ui.sequences.checks import check_line, problem_line
from outreach_tui.ui.sequences.widgets.preview import (
    PreviewRequest,
    SequencePreview,
    build_preview,
    lead_report,
    report_text,
)

if TYPE_CHECKING:
    from outreach_tui.ui.backend import Backend
    from outreach_tui.ui.sequences.data import LeadSample, SequenceData
    from outreach_tui.ui.sequences.widgets.steps import RowTarget
    from outreach_tui.ui.sequences.widgets.template_area import TemplateArea

PREVIEW_DELAY = 0.15  # seconds of quiet typing before the preview re-renders
REPORT_DELAY = 0.4  # the report reads every cached lead: wait a little longer


class SequenceFeedback:
    """Checks, preview and report for `SequenceScreen`."""

    if TYPE_CHECKING:
        app: Any
        campaign_id: str | None
        data: SequenceData | None
        sample: LeadSample | None
        editing: RowTarget | None
        lead_index: int
        pulled_leads_for: set[str]
        _preview_timer: Timer | None
        _report_timer: Timer | None

        backend: Backend

        @property
        def subject_area(self) -> TemplateArea: ...
        @property
        def body_area(self) -> TemplateArea: ...
        def query_one(self, selector: Any, expect_type: Any = None) -> Any: ...
        def set_timer(self, delay: float, callback: Any) -> Timer: ...

    def show_checks(self) -> None:
        """Validation under each editor and the server's verdict on the variant."""
        target = self.editing
        has_variant = target is not None and target.variant is not None
        subject, body = self.subject_area, self.body_area
        self.query_one("#subject-check", Static).update(
            check_line(subject.check, subject.text) if has_variant else Text()
        )
        self.query_one("#body-check", Static).update(
            check_line(body.check, body.text) if has_variant else Text()
        )
        problems = ()
        if self.data is not None and target is not None:
            ids = [target.step.id] + ([target.variant.id] if target.variant else [])
            problems = tuple(item for key in ids for item in self.data.problems.get(key, ()))
        self.query_one("#variant-problem", Static).update(problem_line(problems))

    def schedule_preview(self) -> None:
        """Re-render the preview after a short quiet spell."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self._start_preview)

    def _start_preview(self) -> None:
        target, data, sample = self.editing, self.data, self.sample
        preview = self.query_one(SequencePreview)
        if target is None or target.variant is None or data is None:
            preview.show_preview(Text("Pick a variant to preview it.", style="dim"))
            return
        leads = sample.leads if sample is not None else ()
        note = "p pulls the campaign's leads"
        if self.campaign_id in self.pulled_leads_for and (sample is None or not sample.pulled):
            note = "the leads are being pulled"
        request = PreviewRequest(
            subject=self.subject_area.text,
            body=self.body_area.text,
            lead=leads[self.lead_index] if leads else None,
            lead_index=self.lead_index,
            lead_total=len(leads),
            unsubscribe=bool(data.campaign.unsubscribe_option),
            leads_note=note,
        )
        self._render_preview(request)

    @work(thread=True, exclusive=True, group="sequence-preview", exit_on_error=False)
    def _render_preview(self, request: PreviewRequest) -> None:
        text = build_preview(request)
        deliver(self.app, self.query_one(SequencePreview).show_preview, text)

    def schedule_report(self) -> None:
        """Recount the leads lacking each variable after a short quiet spell."""
        if self._report_timer is not None:
            self._report_timer.stop()
        self._report_timer = self.set_timer(REPORT_DELAY, self._start_report)

    def _start_report(self) -> None:
        sample = self.sample
        if self.editing is None or self.editing.variant is None:
            self.query_one(SequencePreview).show_report(Text())
            return
        if sample is None or not sample.leads:
            self.query_one(SequencePreview).show_report(report_text(None, 0, pending=True))
            return
        self._count_missing(self.subject_area.text, self.body_area.text, sample)

    @work(thread=True, exclusive=True, group="sequence-report", exit_on_error=False)
    def _count_missing(self, subject: str, body: str, sample: LeadSample) -> None:
        report = lead_report(subject, body, sample.values)
        text = report_text(report, len(sample.leads), pending=False)
        deliver(self.app, self.query_one(SequencePreview).show_report, text)

    def action_lead(self, step: int) -> None:
        """Preview the previous or next lead (alt+←/→; ←/→ outside the editors)."""
        sample = self.sample
        if sample is None or not sample.leads:
            self.backend.status.say("No leads cached for this campaign: p pulls them.")
            return
        self.lead_index = (self.lead_index + step) % len(sample.leads)
        self.schedule_preview()
