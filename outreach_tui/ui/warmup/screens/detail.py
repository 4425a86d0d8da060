"""One inbox: its 7-day warmup chart (sent vs spam), warnings, settings and campaigns.

Toggles (warming, active) are queued the moment they flip; the limits, names, reply-to
and signature are queued together on ctrl+s (or enter in a field), each validated first
with a plain message, nothing queued when one is wrong. Every change goes through
`store.edits.update_inbox` (local change + outbox item, pushed by the next sync). Stats
older than the sync engine's limit are refreshed when the screen opens (one request).
Enter on a campaign opens it in the campaign console, over this screen.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.core.timefmt import parse_timestamp, relative_time
from outreach_tui.core.warmup import health_band
from outreach_tui.store.edits import update_inbox
from outreach_tui.store.queries.mailboxes import InboxHealthRow, health_overview
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.campaigns.screens.detail import CampaignDetailScreen
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.common.discard import DiscardGuard
from outreach_tui.ui.common.widgets.day_chart import DayChart
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.status_bar import StatusBar
from outreach_tui.ui.common.widgets.toggles import StateCheckbox
from outreach_tui.ui.warmup.refresh import is_stale, refresh_warmup_stats
from outreach_tui.ui.warmup.widgets.badges import (
    connection_text,
    health_text,
    percent_text,
    ramp_up_bar,
    warning_lines,
)

# field -> (label, lowest, highest): the ranges the reference gives (PATCH /inboxes/:id).
LIMITS = {
    "daily_campaign_limit": ("Daily campaign limit", 1, 500),
    "daily_warmup_limit": ("Daily warmup limit", 1, 100),
}
TEXT_FIELDS = ("first_name", "last_name", "reply_to")
_TOGGLES = {"is_warming": "warming", "is_active": "active"}  # field -> checkbox id
FIELD_LABELS = {
    "daily_campaign_limit": "Campaign limit/day",
    "daily_warmup_limit": "Warmup limit/day",
    "first_name": "First name",
    "last_name": "Last name",
    "reply_to": "Reply-to",
}


def parse_limit(field: str, text: str) -> int:
    """The limit typed in `text`; ValueError with a plain message when it is not a whole
    number within the field's range."""
    label, low, high = LIMITS[field]
    plain = text.strip()
    if not plain.isdigit() or not low <= int(plain) <= high:
        shown = sanitize_line(plain, 20) or "nothing"
        raise ValueError(
            f"{label} must be a whole number from {low} to {high} (got {shown}); nothing saved."
        )
    return int(plain)


def check_reply_to(text: str) -> str:
    """The reply-to address ('' clears it); ValueError with a plain message otherwise."""
    plain = text.strip()
    if plain and ("@" not in plain or " " in plain):
        raise ValueError("Reply-to must be an email address, or empty to clear it; nothing saved.")
    return plain


class WarmupDetailScreen(Screen[None]):
    """An inbox's warmup health, settings and campaigns."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="warmup_detail.back"),
        Binding("w", "toggle('warming')", "Warming on/off", id="warmup_detail.toggle_warming"),
        Binding("a", "toggle('active')", "Active on/off", id="warmup_detail.toggle_active"),
        Binding("ctrl+s", "save", "Save settings", id="warmup_detail.save"),
        Binding("r", "refresh_stats", "Refresh stats", id="warmup_detail.refresh"),
        Binding("c", "focus_campaigns", "Campaigns", id="warmup_detail.campaigns"),
    ]

    DEFAULT_CSS = """
    WarmupDetailScreen #detail-head { height: 2; padding: 0 1; background: $boost; }
    WarmupDetailScreen #detail-warnings { height: auto; max-height: 5; padding: 0 1; }
    WarmupDetailScreen #detail-body { height: 1fr; }
    WarmupDetailScreen #detail-left { width: 1fr; padding: 0 1; }
    WarmupDetailScreen #detail-right {
        width: 54; padding: 0 1; border-left: solid $primary-darken-2;
    }
    WarmupDetailScreen .heading { text-style: bold; height: 1; margin-top: 1; }
    WarmupDetailScreen DayChart { height: 12; }
    WarmupDetailScreen DayChart > .day-chart--series-2 { color: $error; }
    WarmupDetailScreen #detail-campaigns { height: 1fr; min-height: 3; }
    WarmupDetailScreen .field { height: 1; margin-top: 1; }
    WarmupDetailScreen .field > Static { width: 20; }
    WarmupDetailScreen .field > Input { width: 1fr; }
    WarmupDetailScreen Checkbox { margin-top: 1; }
    WarmupDetailScreen #signature { height: 5; }
    WarmupDetailScreen #detail-hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, backend: Backend, inbox_id: str) -> None:
        super().__init__()
        self.backend = backend
        self.inbox_id = inbox_id
        self.view = CacheView(self, backend, self.read, self._apply, what="the inbox")
        self.row: InboxHealthRow | None = None
        self._loaded: dict[str, str] = {}  # field -> text last put in its widget
        self._toggled: dict[str, bool] = {}  # is_warming/is_active -> value shown or queued
        self._asked_refresh = False
        self.discard = DiscardGuard("the unsaved settings (ctrl+s saves)", backend.status.say)

    def compose(self) -> ComposeResult:
        yield Static(id="detail-head")
        yield Static(id="detail-warnings")
        with Horizontal(id="detail-body"):
            with Vertical(id="detail-left"):
                yield Static("Warmup, last 7 days", classes="heading", markup=False)
                yield DayChart(
                    series_names=("sent", "spam"),
                    empty_text="No warmup stats yet: r pulls them.",
                    id="warmup-chart",
                )
                yield Static(
                    "Campaigns using this inbox (c, enter opens)", classes="heading", markup=False
                )
                yield OptionList(id="detail-campaigns")
            with Vertical(id="detail-right"):
                yield Static("Settings (queued, pushed by the next sync)", classes="heading")
                yield StateCheckbox("Warming (w)", id="warming", compact=True)
                yield StateCheckbox("Active: sends for campaigns (a)", id="active", compact=True)
                for field in (*LIMITS, *TEXT_FIELDS):
                    with Horizontal(classes="field"):
                        yield Static(FIELD_LABELS[field], markup=False)
                        yield Input(
                            id=field,
                            compact=True,
                            type="integer" if field in LIMITS else "text",
                            placeholder="empty clears it" if field == "reply_to" else "",
                        )
                yield Static("Signature (HTML)", classes="field", markup=False)
                yield TextArea(id="signature", compact=True, soft_wrap=True)
                yield Static("ctrl+s saves the fields · esc back", id="detail-hint", markup=False)
        yield StatusBar(self.backend.status, id="status")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#warming", Checkbox).focus()
        self.view.start()  # reloads on every change; fields being edited keep their text

    def read(self, db: Database) -> InboxHealthRow | None:
        """This inbox's health (on a worker thread)."""
        return health_overview(db).get(self.inbox_id)

    # --- showing ------------------------------------------------------------------------

    def _apply(self, row: InboxHealthRow | None) -> None:
        if row is None:
            self.backend.status.say("This inbox is no longer in the cache.")
            self.app.pop_screen()
            return
        first = self.row is None
        self.row = row
        self._show_head(row)
        warnings = self.query_one("#detail-warnings", Static)
        if row.warnings:
            warnings.update(warning_lines(row.warnings, with_subject=False))
        else:
            warnings.update(Text("✓ no warning", style="green"))
        stats = row.stats
        chart = self.query_one(DayChart)
        chart.set_data([(d.date, d.sent, d.spam_count) for d in stats.daily] if stats else [])
        self._show_campaigns(row)
        self._show_settings(row)
        if first and not self._asked_refresh and is_stale(stats):
            self._asked_refresh = True
            refresh_warmup_stats(self.backend, self.inbox_id, quiet=True)

    def _show_head(self, row: InboxHealthRow) -> None:
        inbox, stats = row.inbox, row.stats
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(sanitize_line(inbox.email, 100), style="bold")
        text.append(f"  {sanitize_line(inbox.provider or '-', 12)}  ")
        text.append_text(connection_text(inbox.connection_status))
        if inbox.local_state:
            text.append(f"  [{inbox.local_state}]", style="yellow")
        if stats is not None and stats.pulled_at:
            when = relative_time(parse_timestamp(stats.pulled_at), datetime.now(UTC))
            when = "just now" if when == "now" else f"{when} ago"
            text.append(f"  stats pulled {when}", style="dim")
        text.append("\nHealth ")
        text.append_text(health_text(inbox.health_score))
        text.append(f" ({health_band(inbox.health_score).value})  Ramp-up ", style="dim")
        text.append_text(ramp_up_bar(inbox.ramp_up_progress, width=10))
        if stats is None:
            text.append("  no warmup stats yet", style="dim")
        else:
            text.append(
                f"  7 days: sent {stats.sent} · received {stats.received}"
                f" · saved from spam {stats.saved_from_spam} · spam "
            )
            text.append_text(percent_text(row.spam_rate))
        self.query_one("#detail-head", Static).update(text)

    def _show_campaigns(self, row: InboxHealthRow) -> None:
        options = self.query_one("#detail-campaigns", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        if not row.campaigns:
            options.add_option(Option(Text("Not attached to any campaign.", style="dim"), None))
            return
        for campaign in row.campaigns:
            text = Text(no_wrap=True, overflow="ellipsis")
            text.append(f"{(campaign.status or '?'):<7} ", style=_status_style(campaign.status))
            text.append(sanitize_line(campaign.name or campaign.campaign_id, 80))
            if campaign.pending_op:
                text.append(f"  [{campaign.pending_op} pending]", style="yellow")
            options.add_option(Option(text, id=campaign.campaign_id))
        if highlighted is not None and highlighted < len(row.campaigns):
            options.highlighted = highlighted

    def _show_settings(self, row: InboxHealthRow) -> None:
        inbox = row.inbox
        for field, widget_id in _TOGGLES.items():
            self._toggled[field] = bool(getattr(inbox, field))
            self.query_one(f"#{widget_id}", Checkbox).value = self._toggled[field]
        values = {field: getattr(inbox, field) for field in (*LIMITS, *TEXT_FIELDS)}
        for field, value in values.items():
            widget = self.query_one(f"#{field}", Input)
            text = "" if value is None else str(value)
            # A field the user is typing in keeps their text; untouched ones follow the store.
            if field not in self._loaded or widget.value == self._loaded[field]:
                widget.value = text
            self._loaded[field] = text
        signature = self.query_one("#signature", TextArea)
        text = inbox.signature or ""
        if "signature" not in self._loaded or signature.text == self._loaded["signature"]:
            signature.load_text(text)
        self._loaded["signature"] = text

    # --- toggles ------------------------------------------------------------------------

    def action_toggle(self, which: str) -> None:
        """Flip the warming or active checkbox (queued by its Changed handler)."""
        self.query_one(f"#{which}", Checkbox).toggle()

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        field = next((f for f, i in _TOGGLES.items() if i == event.checkbox.id), None)
        if field is None or field not in self._toggled or self._toggled[field] == event.value:
            return  # the screen set it from the store: not a user change
        self._toggled[field] = event.value
        what = {"is_warming": "Warmup", "is_active": "Sending"}[field]
        self._queue({field: event.value}, f"{what} {'on' if event.value else 'off'}: queued")

    # --- fields -------------------------------------------------------------------------

    def changed_fields(self) -> dict[str, Any]:
        """The fields whose text differs from the inbox's values, validated; ValueError
        with a plain message for the first one that is wrong."""
        if self.row is None:
            return {}
        inbox = self.row.inbox
        changes: dict[str, Any] = {}
        for field in LIMITS:
            text = self.query_one(f"#{field}", Input).value
            current = getattr(inbox, field)
            if text.strip() != ("" if current is None else str(current)):
                changes[field] = parse_limit(field, text)
        for field in TEXT_FIELDS:
            text = self.query_one(f"#{field}", Input).value
            value = check_reply_to(text) if field == "reply_to" else text.strip()
            if value != (getattr(inbox, field) or ""):
                changes[field] = value
        signature = self.query_one("#signature", TextArea).text
        if signature != (inbox.signature or ""):
            changes["signature"] = signature
        return changes

    def action_save(self) -> None:
        """Validate and queue every changed field in one edit."""
        try:
            changes = self.changed_fields()
        except ValueError as error:
            self.backend.status.say(str(error))
            self.notify(str(error), severity="error", timeout=6)
            return
        if not changes:
            self.notify("Nothing to save.", timeout=2)
            return
        names = ", ".join(FIELD_LABELS.get(f, f.replace("_", " ")).lower() for f in changes)
        self._queue(changes, f"Queued: {names}")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def _queue(self, changes: dict[str, Any], done: str) -> None:
        inbox_id = self.inbox_id
        self.backend.edit(
            lambda db: update_inbox(db, inbox_id, **changes),
            done=f"{done} — pushed with the next sync",
        )

    # --- campaigns, refresh, back -------------------------------------------------------

    def action_focus_campaigns(self) -> None:
        """Move to the campaign list, on its first campaign."""
        options = self.query_one("#detail-campaigns", OptionList)
        if options.highlighted is None and options.option_count:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#detail-campaigns")
    def _campaign_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.open_campaign(event.option.id)

    def open_campaign(self, campaign_id: str) -> None:
        """Open the campaign console's detail over this screen (escape comes back here)."""
        self.app.push_screen(CampaignDetailScreen(self.backend, campaign_id))

    def action_refresh_stats(self) -> None:
        """Pull this inbox's warmup stats now (one request)."""
        if refresh_warmup_stats(self.backend, self.inbox_id):
            self.backend.status.say("Refreshing warmup stats…")

    def unsaved(self) -> bool:
        """True when a field holds text the user typed and did not save."""
        if self.row is None:
            return False
        for field in (*LIMITS, *TEXT_FIELDS):
            if self.query_one(f"#{field}", Input).value != self._loaded.get(field, ""):
                return True
        return self.query_one("#signature", TextArea).text != self._loaded.get("signature", "")

    def action_back(self) -> None:
        """Back to the list; unsaved field text asks first (a second esc drops it)."""
        if self.discard.may_close(self.unsaved()):
            self.app.pop_screen()

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _edited(self) -> None:
        self.discard.edited()


def _status_style(status: str | None) -> str:
    return {"active": "green", "paused": "yellow", "draft": "dim"}.get(status or "", "")
