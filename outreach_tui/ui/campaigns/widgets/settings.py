"""A campaign's controls: launch / pause / resume, the option toggles and the daily limit.

Every change goes through the edits service on the writer thread (`Backend.edit`): local
at once, marked pending, pushed by the next sync. The launch rules are checked here first
so a refused launch says why in one line (no enabled variant, no inbox).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Static

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.edits import update_campaign
from outreach_tui.store.edits.campaigns import set_status
from outreach_tui.store.queries.campaigns import CampaignRow
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.widgets.toggles import StateCheckbox

OPTIONS: tuple[tuple[str, str], ...] = (
    ("stop_on_reply", "Stop on reply — stop a lead's sequence when they reply"),
    ("stop_on_company_reply", "Stop on company reply — also stop their colleagues"),
    ("text_only", "Text only — send plain text, no HTML body"),
    ("esp_matching", "ESP matching — send only from inboxes on the lead's provider"),
    ("unsubscribe_option", "Unsubscribe link — List-Unsubscribe header and a link in bodies"),
)


def status_actions(status: str) -> tuple[str, ...]:
    """What the status can become from `status`: ("active",) / ("paused",)."""
    return {"draft": ("active",), "active": ("paused",), "paused": ("active",)}.get(status, ())


def launch_refusal(status: str, blockers: list[str]) -> str | None:
    """The plain reason a launch (or resume) is refused, or None when it can go."""
    if status == "active" or not blockers:
        return None
    verb = "launch" if status == "draft" else "resume"
    return f"Cannot {verb}: the campaign needs {' and '.join(blockers)}."


def change_status(backend: Backend, campaign: CampaignRow, target: str) -> None:
    """Launch, pause or resume through the edits service (rules checked there too)."""
    if target == "active":
        done = "Resumed" if campaign.status == "paused" else "Launched"
    else:
        done = "Paused"
    name = sanitize_line(campaign.name, 40)

    def landed(items: object) -> None:
        if items == [] and target == "paused":
            backend.app.notify("The launch had not reached the server: withdrawn, still a draft.")

    backend.edit(
        lambda db: set_status(db, campaign.id, target),
        done=f"{done} {name} (syncs next)",
        on_result=landed,
    )


class CampaignSettings(Vertical):
    """Status controls, option checkboxes and the daily limit of one campaign."""

    DEFAULT_CSS = """
    CampaignSettings { height: auto; padding: 0 1; }
    CampaignSettings .row { height: 3; }
    CampaignSettings Checkbox { border: none; height: 1; padding: 0; margin: 0 0 1 0; }
    CampaignSettings .row Label { padding: 1 1 0 0; }
    CampaignSettings #status-line { height: auto; padding: 1 0; }
    CampaignSettings #daily-limit { width: 16; }
    CampaignSettings #limit-unsaved { width: auto; padding: 1 1 0 1; color: $warning; }
    CampaignSettings Button { margin: 0 1 0 0; }
    """

    class StatusRequested(Message):
        """A status button was pressed (the screen runs the change)."""

        def __init__(self, target: str) -> None:
            super().__init__()
            self.target = target

    def __init__(self, backend: Backend, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backend = backend
        self.campaign: CampaignRow | None = None
        self.blockers: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="status-line")
        with Horizontal(classes="row"):
            yield Button("Launch (L)", id="launch", variant="success")
            yield Button("Pause (P)", id="pause", variant="warning")
            yield Button("Resume (L)", id="resume", variant="success")
        for option, label in OPTIONS:
            yield StateCheckbox(label, id=f"opt-{option}")
        with Horizontal(classes="row"):
            yield Label("Daily limit (all inboxes together; enter saves)")
            yield Input(id="daily-limit", type="integer", placeholder="e.g. 50")
            yield Static("", id="limit-unsaved")

    def show(self, campaign: CampaignRow, blockers: list[str]) -> None:
        """Reflect the campaign's effective values (without firing change events)."""
        self.campaign, self.blockers = campaign, blockers
        line = Text()
        line.append("Status: ", style="dim")
        line.append(campaign.status, style="bold")
        refusal = launch_refusal(campaign.status, blockers)
        if refusal and campaign.status in ("draft", "paused"):
            line.append(f"   {refusal}", style="bold red")
        self.query_one("#status-line", Static).update(line)
        allowed = status_actions(campaign.status)
        self.query_one("#launch", Button).display = campaign.status == "draft"
        self.query_one("#resume", Button).display = campaign.status == "paused"
        self.query_one("#pause", Button).display = "paused" in allowed
        for option, _ in OPTIONS:
            checkbox = self.query_one(f"#opt-{option}", Checkbox)
            value = bool(getattr(campaign, option))
            if checkbox.value != value:
                with checkbox.prevent(Checkbox.Changed):
                    checkbox.value = value
        limit = self.query_one("#daily-limit", Input)
        if not limit.has_focus:
            limit.value = self._saved_limit()
        self._mark_limit()

    def _saved_limit(self) -> str:
        campaign = self.campaign
        if campaign is None or campaign.daily_limit is None:
            return ""
        return str(campaign.daily_limit)

    @property
    def unsaved(self) -> bool:
        """True while the daily-limit field holds text that was not saved."""
        if self.campaign is None:
            return False
        return self.query_one("#daily-limit", Input).value.strip() != self._saved_limit()

    @on(Input.Changed, "#daily-limit")
    def _mark_limit(self) -> None:
        mark = "● unsaved: enter saves, esc leaves the field" if self.unsaved else ""
        self.query_one("#limit-unsaved", Static).update(mark)

    @on(Button.Pressed, "#launch, #resume")
    def _launch(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.StatusRequested("active"))

    @on(Button.Pressed, "#pause")
    def _pause(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.StatusRequested("paused"))

    @on(Checkbox.Changed)
    def _option_changed(self, event: Checkbox.Changed) -> None:
        campaign = self.campaign
        if campaign is None or event.checkbox.id is None:
            return
        option = event.checkbox.id.removeprefix("opt-")
        value = event.value
        self.backend.edit(
            lambda db: update_campaign(db, campaign.id, **{option: value}),
            done=f"{option} {'on' if value else 'off'} (syncs next)",
        )

    @on(Input.Submitted, "#daily-limit")
    def _limit_submitted(self, event: Input.Submitted) -> None:
        campaign = self.campaign
        if campaign is None:
            return
        text = event.value.strip()
        if not text.isdigit():
            self.backend.status.say("The daily limit must be a whole number, 0 or more.")
            return
        limit = int(text)
        self.backend.edit(
            lambda db: update_campaign(db, campaign.id, daily_limit=limit),
            done=f"Daily limit {limit} (syncs next)",
        )
