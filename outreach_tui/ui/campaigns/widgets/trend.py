"""A campaign's last 30 days as two Textual `Sparkline`s (sent, replies): under the
campaign list, where a trend is enough (the detail has the chart with dates)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Sparkline, Static

from outreach_tui.core.figures import count
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.queries.campaigns import CampaignRow, DailyPoint
from outreach_tui.ui.common.widgets.day_chart import date_label


class CampaignTrend(Vertical):
    """Title line with the period's totals, then a sparkline per series."""

    DEFAULT_CSS = """
    CampaignTrend { height: 3; padding: 0 1; background: $boost; }
    CampaignTrend #trend-title { height: 1; }
    CampaignTrend Horizontal { height: 1; }
    CampaignTrend Label { width: 10; color: $text-muted; }
    CampaignTrend Sparkline { height: 1; }
    CampaignTrend #trend-replies > .sparkline--max-color { color: $success; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="trend-title")
        with Horizontal():
            yield Label("sent")
            yield Sparkline([], id="trend-sent")
        with Horizontal():
            yield Label("replies")
            yield Sparkline([], id="trend-replies")

    def show(self, campaign: CampaignRow | None, points: Sequence[DailyPoint]) -> None:
        """Show this campaign's days (oldest first); None: nothing highlighted."""
        title = Text(no_wrap=True, overflow="ellipsis")
        if campaign is None:
            title.append("No campaign here.", style="dim")
        else:
            title.append(sanitize_line(campaign.name, 60), style="bold")
            if points:
                title.append(
                    f"   {date_label(points[0].date)} – {date_label(points[-1].date)}:"
                    f" sent {count(sum(p.sent for p in points))},"
                    f" replies {count(sum(p.replies for p in points))}"
                    "   (enter: chart and A/B results)",
                    style="dim",
                )
            else:
                title.append("   no daily numbers cached yet (enter pulls them)", style="dim")
        self.query_one("#trend-title", Static).update(title)
        self.query_one("#trend-sent", Sparkline).data = [p.sent for p in points]
        self.query_one("#trend-replies", Sparkline).data = [p.replies for p in points]
