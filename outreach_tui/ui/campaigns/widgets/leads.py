"""The leads of a campaign: the virtual list, its filters and search, add and delete.

Leads are pulled on demand (campaigns can hold 100,000: that is 1,000 requests). The pane
pulls by itself only when the campaign has never had its leads pulled and holds at most
`AUTO_PULL_MAX_LEADS`; otherwise `p` pulls, and the bar says how many requests it costs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TypeVar

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.edits import add_lead, delete_lead
from outreach_tui.store.queries.leads import LEAD_PROVIDER_UNKNOWN, LeadFilter, LeadRow
from outreach_tui.sync import pull
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.backend.messages import PullFinished
from outreach_tui.ui.campaigns.widgets.lead_list import LeadList

T = TypeVar("T")
AUTO_PULL_MAX_LEADS = 1_000  # at most 10 requests of 100 without asking
PAGE_SIZE = 100
SEARCH_DEBOUNCE = 0.25
STATUSES: tuple[str | None, ...] = (None, "uncontacted", "contacted", "replied")
PROVIDERS: tuple[str | None, ...] = (
    None,
    "google",
    "microsoft",
    "yahoo",
    "zoho",
    "other",
    LEAD_PROVIDER_UNKNOWN,
)
FLAGS: tuple[bool | None, ...] = (None, True, False)


def _next(values: tuple[T, ...], current: T) -> T:
    index = values.index(current) if current in values else 0
    return values[(index + 1) % len(values)]


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def filter_text(flt: LeadFilter, total: int | None) -> Text:
    """The filter bar: what narrows the list and how many leads it shows."""
    text = Text(no_wrap=True, overflow="ellipsis")
    parts = [
        ("status", flt.status),
        ("bounced", None if flt.bounced is None else ("yes" if flt.bounced else "no")),
        (
            "unsubscribed",
            None if flt.unsubscribed is None else ("yes" if flt.unsubscribed else "no"),
        ),
        ("provider", flt.provider),
    ]
    for index, (name, value) in enumerate(parts):
        if index:
            text.append("  ")
        text.append(f"{name}: ", style="dim")
        text.append(value or "any", style="bold" if value else "")
    if flt.search:
        text.append(f"  search: {sanitize_line(flt.search, 40)!r}", style="bold")
    if total is not None:
        text.append(f"   — {total:,} lead{'s' if total != 1 else ''}", style="dim")
    return text


@dataclass(frozen=True)
class NewLead:
    """What the add-lead dialog returns."""

    email: str
    first_name: str | None
    last_name: str | None
    variables: dict[str, str] = field(default_factory=dict)
    if_exists: str = "fail"


class CampaignLeads(Vertical):
    """Leads of one campaign: filter bar, search box, list."""

    BINDINGS = [
        Binding("slash", "search", "Search", id="campaign_leads.search"),
        Binding("s", "cycle_status", "Status", id="campaign_leads.status"),
        Binding("b", "cycle_bounced", "Bounced", id="campaign_leads.bounced"),
        Binding("u", "cycle_unsubscribed", "Unsub.", id="campaign_leads.unsubscribed"),
        Binding("v", "cycle_provider", "Provider", id="campaign_leads.provider"),
        Binding("n", "add_lead", "Add lead", id="campaign_leads.add"),
        Binding("d,delete", "delete_leads", "Delete", id="campaign_leads.delete"),
        Binding("p", "pull_leads", "Pull leads", id="campaign_leads.pull"),
        Binding("escape", "clear", "Clear", show=False, id="campaign_leads.clear"),
    ]

    DEFAULT_CSS = """
    CampaignLeads { height: 1fr; }
    CampaignLeads #lead-filter { height: 1; padding: 0 1; background: $boost; }
    CampaignLeads #lead-note { height: 1; padding: 0 1; color: $text-muted; }
    CampaignLeads #lead-search { display: none; height: 3; }
    CampaignLeads #lead-search.visible { display: block; }
    """

    def __init__(self, backend: Backend, campaign_id: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backend = backend
        self.campaign_id = campaign_id
        self.leads_count = 0
        self.pulled_at: str | None = None
        self._asked_pull = False
        self._search_timer: Timer | None = None

    def follow(self, campaign_id: str) -> None:
        """The campaign got its server id (its draft was created by a sync)."""
        self.campaign_id = campaign_id
        self.lead_list.campaign_id = campaign_id
        self.lead_list.reload()

    def compose(self) -> ComposeResult:
        yield Static(id="lead-filter")
        yield Static(id="lead-note")
        yield Input(placeholder="Search email or name…", id="lead-search")
        yield LeadList(self.backend, self.campaign_id, id="lead-list")

    @property
    def lead_list(self) -> LeadList:
        return self.query_one(LeadList)

    def on_mount(self) -> None:
        self._update_bar()

    def show(self, leads_count: int, pulled_at: str | None) -> None:
        """The campaign's lead count (from its stats) and when its leads were pulled."""
        self.leads_count, self.pulled_at = leads_count, pulled_at
        self._update_note()

    def maybe_auto_pull(self) -> None:
        """Pull once when never pulled and small enough (see AUTO_PULL_MAX_LEADS)."""
        if self._asked_pull or self.pulled_at is not None:
            return
        if self.leads_count <= AUTO_PULL_MAX_LEADS and self.backend.can_sync:
            self._asked_pull = True
            self.action_pull_leads()

    def _update_note(self) -> None:
        requests = max(1, -(-self.leads_count // PAGE_SIZE))
        if self.pulled_at is None:
            note = (
                f"Leads not pulled yet: p pulls {self.leads_count:,} lead(s)"
                f" (~{requests:,} request{'s' if requests != 1 else ''})."
            )
        else:
            note = f"Leads pulled {self.pulled_at[:16].replace('T', ' ')} UTC · p pulls again"
            note += f" (~{requests:,} requests) · n add · d delete · x select"
        self.query_one("#lead-note", Static).update(Text(note))

    def _update_bar(self, total: int | None = None) -> None:
        flt = self.lead_list.lead_filter
        text = filter_text(flt, total if total is not None else self.lead_list.total)
        selected = len(self.lead_list.selected)
        if selected:
            text.append(f"   {selected} selected", style="bold")
        self.query_one("#lead-filter", Static).update(text)

    def _set_filter(self, flt: LeadFilter) -> None:
        self.lead_list.set_params(flt)
        self._update_bar()

    @on(LeadList.Loaded)
    def _loaded(self, event: LeadList.Loaded) -> None:
        self._update_bar(event.total)

    # --- filters and search -------------------------------------------------------------

    def action_cycle_status(self) -> None:
        flt = self.lead_list.lead_filter
        self._set_filter(replace(flt, status=_next(STATUSES, flt.status)))

    def action_cycle_bounced(self) -> None:
        flt = self.lead_list.lead_filter
        self._set_filter(replace(flt, bounced=_next(FLAGS, flt.bounced)))

    def action_cycle_unsubscribed(self) -> None:
        flt = self.lead_list.lead_filter
        value = _next(FLAGS, flt.unsubscribed)
        self._set_filter(replace(flt, unsubscribed=value))

    def action_cycle_provider(self) -> None:
        flt = self.lead_list.lead_filter
        value = _next(PROVIDERS, flt.provider)
        self._set_filter(replace(flt, provider=value))

    def action_search(self) -> None:
        search = self.query_one("#lead-search", Input)
        search.add_class("visible")
        search.focus()

    @on(Input.Changed, "#lead-search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        text = event.value.strip() or None
        self._search_timer = self.set_timer(
            SEARCH_DEBOUNCE,
            lambda: self._set_filter(replace(self.lead_list.lead_filter, search=text)),
        )

    @on(Input.Submitted, "#lead-search")
    def _search_submitted(self) -> None:
        self.lead_list.focus()

    def action_clear(self) -> None:
        """Escape: leave the search box, clear the search, the selection, then go back."""
        search = self.query_one("#lead-search", Input)
        if search.has_focus:
            self.lead_list.focus()
            if not search.value:
                search.remove_class("visible")
            return
        if self.lead_list.lead_filter.search:
            search.value = ""
            search.remove_class("visible")
            self._set_filter(replace(self.lead_list.lead_filter, search=None))
            return
        if self.lead_list.selected:
            self.lead_list.clear_selection()
            self._update_bar()
            return
        back = getattr(self.screen, "action_back", None)
        if back is not None:  # nothing left to clear: escape leaves the campaign
            back()

    # --- edits and pulls ----------------------------------------------------------------

    class AddRequested(Message):
        """`n`: the screen asks for a lead (a dialog) and hands it to `add_lead`."""

        def __init__(self, leads: CampaignLeads) -> None:
            super().__init__()
            self.leads = leads

    def action_add_lead(self) -> None:
        self.post_message(self.AddRequested(self))

    def add_lead(self, lead: NewLead | None) -> None:
        """Queue `lead` (None: the dialog was cancelled)."""
        if lead is None:
            return
        campaign_id = self.campaign_id

        def landed(item: object) -> None:
            if item is None:
                self.app.notify(f"{sanitize_line(lead.email, 60)} is already a lead: skipped.")

        self.backend.edit(
            lambda db: add_lead(
                db,
                campaign_id,
                lead.email,
                first_name=lead.first_name,
                last_name=lead.last_name,
                variables=lead.variables,
                if_exists=lead.if_exists,
            ),
            done=f"Lead {sanitize_line(lead.email, 60)} queued (syncs next)",
            on_result=landed,
        )

    def action_delete_leads(self) -> None:
        rows: list[LeadRow] = self.lead_list.rows_for_action()
        if not rows:
            return
        ids = [row.id for row in rows]

        def delete_all(db: Database) -> int:
            for lead_id in ids:
                delete_lead(db, lead_id)
            return len(ids)

        what = sanitize_line(rows[0].email, 60) if len(rows) == 1 else f"{len(rows)} leads"
        self.lead_list.clear_selection()
        self.backend.edit(delete_all, done=f"Deleted {what} (ctrl+o undoes before the sync)")

    def action_pull_leads(self) -> None:
        campaign_id = self.campaign_id
        self.backend.pull(
            f"leads:{campaign_id}",
            lambda run: pull.pull_leads(run, campaign_id),
            f"{self.leads_count:,} lead(s)",
            reply_to=self,
        )

    @on(PullFinished)
    def _pulled(self, event: PullFinished) -> None:
        event.stop()
        if event.error:
            self.backend.status.say(event.error)
            return
        stored = (event.report.pulled.get("leads", 0)) if event.report else 0
        self.backend.status.say(f"Leads pulled ({stored:,} new or changed).")
