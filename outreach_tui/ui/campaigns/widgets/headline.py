"""The headline of the campaign detail: name, status, progress and the API's numbers."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from outreach_tui.core.figures import count, percent
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.queries.campaigns import CampaignRow
from outreach_tui.ui.campaigns.widgets.numbers import bounce_level, progress_bar

STATE_NOTES = {
    "pending": "↑ changes waiting to sync",
    "failed": "! the server refused a change (ctrl+o)",
    "conflict": "? a change conflicts (ctrl+o)",
}


class CampaignHeadline(Widget):
    """Two lines: who and where (name, status, progress), then the headline numbers."""

    COMPONENT_CLASSES = {
        "campaign-headline--active",
        "campaign-headline--paused",
        "campaign-headline--draft",
        "campaign-headline--warn",
        "campaign-headline--alarm",
        "campaign-headline--dim",
    }

    DEFAULT_CSS = """
    CampaignHeadline { height: 3; padding: 0 1; background: $boost; }
    CampaignHeadline > .campaign-headline--active { color: $success; text-style: bold; }
    CampaignHeadline > .campaign-headline--paused { color: $warning; text-style: bold; }
    CampaignHeadline > .campaign-headline--draft { color: $text-muted; text-style: bold; }
    CampaignHeadline > .campaign-headline--warn { color: $warning; text-style: bold; }
    CampaignHeadline > .campaign-headline--alarm { color: $error; text-style: bold reverse; }
    CampaignHeadline > .campaign-headline--dim { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.campaign: CampaignRow | None = None
        self.inbox_count = 0

    def show(self, campaign: CampaignRow, inbox_count: int) -> None:
        """Show this campaign (its effective values and cached numbers)."""
        self.campaign, self.inbox_count = campaign, inbox_count
        self.refresh()

    def _style(self, part: str) -> Style:
        return self.get_component_rich_style(f"campaign-headline--{part}")

    def render(self) -> Text:
        c = self.campaign
        if c is None:
            return Text("Loading…", style=self._style("dim"))
        dim = self._style("dim")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(sanitize_line(c.name, 80), style="bold")
        text.append("  ")
        status_part = c.status if c.status in ("active", "paused", "draft") else "dim"
        text.append(f"● {c.status}", style=self._style(status_part))
        text.append("   ")
        text.append_text(progress_bar(c.progress))
        text.append(" contacted", style=dim)
        if c.local_state in STATE_NOTES:
            text.append(f"   {STATE_NOTES[c.local_state]}", style=self._style("warn"))
        text.append("\n")
        parts: list[tuple[str, str, Style | None]] = [
            ("leads", count(c.leads_count), None),
            ("sent", count(c.sent), None),
            ("contacted", count(c.contacted), None),
            ("replies", f"{count(c.replies)} ({percent(c.reply_rate)})", None),
            ("positive", f"{count(c.positive_replies)} ({percent(c.positive_reply_rate)})", None),
        ]
        level = bounce_level(c.bounce_rate)
        bounce_style = None if level == "ok" else self._style(level)
        parts.append(("bounced", f"{count(c.bounced)} ({percent(c.bounce_rate)})", bounce_style))
        for index, (label, value, style) in enumerate(parts):
            if index:
                text.append(" · ", style=dim)
            text.append(f"{label} ", style=dim)
            text.append(value, style=style or Style(bold=True))
        text.append("\n")
        text.append(
            f"steps {c.sequence_steps} · inboxes {self.inbox_count} · daily limit "
            f"{count(c.daily_limit)}",
            style=dim,
        )
        if level != "ok":
            text.append(
                f"   bounce rate above {'5' if level == 'alarm' else '3'} %",
                style=self._style(level),
            )
        return text
