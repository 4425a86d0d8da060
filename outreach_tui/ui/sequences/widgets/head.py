"""The sequence editor's head line: which campaign, its status, steps and cached leads.

The campaign's name comes from the cache (strangers can write it): sanitized, drawn as
`Text`, never markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.ui.sequences.data import LeadSample, SequenceData


class SequenceHead(Static):
    """One line about the campaign whose sequence is edited."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("Sequence editor — F4 picks a campaign"), id=id)

    def show(self, data: SequenceData, sample: LeadSample | None) -> None:
        """Name, status, number of steps and what is known of the leads."""
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
        self.update(head)

    def show_missing(self) -> None:
        """The campaign is no longer in the cache."""
        self.update(Text("Campaign not found — F4 picks one"))
