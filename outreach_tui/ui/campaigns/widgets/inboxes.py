"""Which inboxes send a campaign: a multi-select of the workspace's inboxes.

Each line shows the inbox's connection status, whether it sends (is_active) and its warmup
health (band colours from `core.warmup`). Space toggles, ctrl+s (or Apply) queues one
attach and/or one detach for the difference; both are idempotent on the server.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, SelectionList, Static

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.core.warmup import HealthBand, health_band
from outreach_tui.store.edits import attach_inboxes, detach_inboxes
from outreach_tui.store.outbox import LOCAL_ID_PREFIX, OutboxItem
from outreach_tui.store.queries.mailboxes import InboxRow
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.widgets.toggles import StateSelectionList

_BAND_STYLE = {
    HealthBand.GOOD: "green",
    HealthBand.FAIR: "yellow",
    HealthBand.POOR: "bold red",
    HealthBand.UNKNOWN: "dim",
}
_CONNECTION_STYLE = {"connected": "green", "error": "bold red", "pending": "yellow"}


EMAIL_WIDTH = 40


def inbox_prompt(inbox: InboxRow, attached: bool = False, email_width: int = EMAIL_WIDTH) -> Text:
    """One line: email, connection status, sending or paused, warmup health (and
    "attached" when the campaign uses it now, whatever the selection says)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(sanitize_line(inbox.email, email_width).ljust(email_width))
    status = inbox.connection_status or "unknown"
    text.append(f" {status:<10}", style=_CONNECTION_STYLE.get(status, "dim"))
    text.append(
        " sending " if inbox.is_active else " paused  ", style="" if inbox.is_active else "yellow"
    )
    score = "—" if inbox.health_score is None else str(inbox.health_score)
    text.append(f" health {score:>3}", style=_BAND_STYLE[health_band(inbox.health_score)])
    if inbox.ramp_up_progress is not None and inbox.ramp_up_progress < 100:
        text.append(f"  ramping {inbox.ramp_up_progress}%", style="yellow")
    if inbox.is_warming:
        text.append("  warming", style="dim")
    if attached:
        text.append("  · attached", style="bold")
    return text


def link_changes(attached: set[str], chosen: set[str]) -> tuple[list[str], list[str]]:
    """(to attach, to detach), each sorted."""
    return sorted(chosen - attached), sorted(attached - chosen)


class CampaignInboxes(Vertical):
    """Attach and detach inboxes by multi-select."""

    DEFAULT_CSS = """
    CampaignInboxes { height: auto; padding: 0 1; }
    CampaignInboxes SelectionList { height: auto; max-height: 20; }
    CampaignInboxes #inbox-summary { height: auto; }
    CampaignInboxes Horizontal { height: 3; }
    CampaignInboxes Button { margin: 0 1 0 0; }
    """

    def __init__(self, backend: Backend, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backend = backend
        self.campaign_id: str | None = None
        self.attached: set[str] = set()
        self.dirty = False

    def compose(self) -> ComposeResult:
        yield Static(id="inbox-summary")
        yield StateSelectionList[str](id="inbox-choices")
        with Horizontal():
            yield Button("Apply (ctrl+s)", id="apply-inboxes", variant="primary")
            yield Button("Revert", id="revert-inboxes")

    @property
    def choices(self) -> SelectionList[str]:
        return cast("SelectionList[str]", self.query_one("#inbox-choices", SelectionList))

    def show(self, campaign_id: str, attached: Sequence[str], inboxes: Sequence[InboxRow]) -> None:
        """List the workspace's inboxes, the attached ones selected (unless editing)."""
        if self.dirty and campaign_id == self.campaign_id:
            return
        self.campaign_id = campaign_id
        self.attached = set(attached)
        choices = self.choices
        highlighted = choices.highlighted
        # The email column is as wide as the longest address (so health fits at 80).
        width = min(max((len(i.email) for i in inboxes), default=0), EMAIL_WIDTH)
        with self.prevent(SelectionList.SelectedChanged):
            choices.clear_options()
            choices.add_options(
                [
                    (inbox_prompt(i, i.id in self.attached, width), i.id, i.id in self.attached)
                    for i in inboxes
                ]
            )
        if inboxes:
            choices.highlighted = min(highlighted or 0, len(inboxes) - 1)
        self.dirty = False
        self._summary()

    def _summary(self) -> None:
        chosen = set(self.choices.selected)
        add, remove = link_changes(self.attached, chosen)
        text = Text(f"{len(self.attached)} attached", style="bold")
        text.append("   space toggles, ctrl+s applies", style="dim")
        if add or remove:
            text.append(f"   to apply: +{len(add)} −{len(remove)}", style="bold yellow")
        self.query_one("#inbox-summary", Static).update(text)

    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        self.dirty = True
        self._summary()

    @on(Button.Pressed, "#apply-inboxes")
    def _apply_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.apply()

    @on(Button.Pressed, "#revert-inboxes")
    def _revert_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        with self.prevent(SelectionList.SelectedChanged):
            choices = self.choices
            choices.deselect_all()
            for inbox_id in self.attached:
                choices.select(inbox_id)
        self.dirty = False
        self._summary()

    def apply(self) -> None:
        """Queue the attach and detach the selection stands for."""
        campaign_id = self.campaign_id
        if campaign_id is None:
            return
        if campaign_id.startswith(LOCAL_ID_PREFIX):
            # Links are keyed by the campaign's id, which the server has not given yet.
            self.backend.status.say("Sync first: this campaign is not on the server yet.")
            return
        add, remove = link_changes(self.attached, set(self.choices.selected))
        if not add and not remove:
            self.backend.status.say("No inbox change to apply.")
            return

        def edit(db: Database) -> list[OutboxItem]:
            items: list[OutboxItem] = []
            if add:
                items += attach_inboxes(db, campaign_id, add)
            if remove:
                items += detach_inboxes(db, campaign_id, remove)
            return items

        def landed(_: object) -> None:
            self.dirty = False

        self.backend.edit(
            edit,
            done=f"Inboxes: {len(add)} attached, {len(remove)} detached (syncs next)",
            on_result=landed,
        )
