"""The A/B results of a campaign: per step, per variant, rates with 95 % intervals and a
verdict that never names a winner the data does not support (`core.abstats`)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from outreach_tui.core.ab_results import StepResult, interval_text, step_result
from outreach_tui.core.abstats import Verdict, VerdictKind
from outreach_tui.core.figures import count, percent
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.queries.campaigns import SequenceRow, VariantRow

_VERDICT_STYLE = {
    VerdictKind.LEADER: "bold green",
    VerdictKind.NO_CLEAR_DIFFERENCE: "",
    VerdictKind.NOT_ENOUGH_DATA: "dim",
    VerdictKind.SINGLE: "dim",
}
_COLUMNS = (
    ("Var", "left"),
    ("On", "center"),
    ("Sent", "right"),
    ("Replies", "right"),
    ("Reply rate", "right"),
    ("95% CI", "right"),
    ("Positive", "right"),
    ("Pos. rate", "right"),
    ("95% CI", "right"),
    ("Subject", "left"),
)


def _verdict(label: str, verdict: Verdict) -> Text:
    text = Text(f"{label}: ", style="dim")
    text.append(verdict.text, style=_VERDICT_STYLE[verdict.kind])
    return text


def step_renderable(result: StepResult[SequenceRow, VariantRow]) -> RenderableType:
    """One step's header (with its verdicts) and variant table."""
    step = result.step
    header = Text(f"Step {step.step}", style="bold")
    if step.delay_days is not None:
        header.append(f"  then wait {step.delay_days} day(s)", style="dim")
    header.append("   ")
    header.append_text(_verdict("replies", result.replies))
    header.append("  ·  ", style="dim")
    header.append_text(_verdict("positive", result.positive))
    table = Table(box=None, pad_edge=False, expand=True, show_edge=False, padding=(0, 1))
    for title, justify in _COLUMNS:
        table.add_column(
            Text(title, style="bold dim"),
            justify=justify,  # type: ignore[arg-type]
            no_wrap=True,
            ratio=1 if title == "Subject" else None,
            overflow="ellipsis",
        )
    for row in result.variants:
        v = row.variant
        leader = result.replies.leader == v.letter or result.positive.leader == v.letter
        style = "" if v.enabled else "dim"
        table.add_row(
            Text(v.letter, style="bold green" if leader else "bold"),
            Text("✓" if v.enabled else "–"),
            Text(count(v.sent)),
            Text(count(v.replies)),
            Text(percent(v.reply_rate)),
            Text(interval_text(row.reply_interval), style="dim"),
            Text(count(v.positive_replies)),
            Text(percent(v.positive_reply_rate)),
            Text(interval_text(row.positive_interval), style="dim"),
            Text(sanitize_line(v.subject or "(no subject)", 80), style="dim"),
            style=style,
        )
    return Group(header, table, Text(""))


class CampaignAbResults(Static):
    """Every step's A/B table (a static renderable; the screen scrolls it)."""

    DEFAULT_CSS = """
    CampaignAbResults { height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results: tuple[StepResult[SequenceRow, VariantRow], ...] = ()

    def show(self, sequences: Sequence[SequenceRow]) -> None:
        """Render these steps (from the campaign detail)."""
        self.results = tuple(step_result(step, step.variants) for step in sequences)
        if not self.results:
            self.update(Text("No sequence steps cached yet.", style="dim italic"))
            return
        self.update(Group(*(step_renderable(r) for r in self.results)))
