"""One campaign: headline numbers, the 30-day chart, A/B results, controls, schedule,
inboxes and leads.

A `CacheView` reads the campaign on a worker thread whenever the cache changed (an edit
landed, a sync stored pages) and `_apply` shows it. Edits run through `Backend.edit`
(local first, pushed by the next sync). The campaign's detail (daily and per-variant
stats, sequences) is pulled on demand when it has never been pulled; `r` pulls it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, SelectionList, Static, TabbedContent, TabPane, Tabs, TextArea

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store import sync_state
from outreach_tui.store.edits.campaigns import launch_blockers, launch_warnings
from outreach_tui.store.outbox.answers import current_id
from outreach_tui.store.queries import campaigns as campaign_queries
from outreach_tui.store.queries import mailboxes as mailbox_queries
from outreach_tui.store.queries.campaigns import CampaignDetail
from outreach_tui.store.queries.mailboxes import InboxRow
from outreach_tui.sync import pull
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.backend.messages import PullFinished
from outreach_tui.ui.campaigns.screens.blocklist import BlocklistScreen
from outreach_tui.ui.campaigns.screens.dialogs import AddLeadScreen, ask_to_delete
from outreach_tui.ui.campaigns.widgets.ab import CampaignAbResults
from outreach_tui.ui.campaigns.widgets.headline import CampaignHeadline
from outreach_tui.ui.campaigns.widgets.inboxes import CampaignInboxes
from outreach_tui.ui.campaigns.widgets.leads import CampaignLeads
from outreach_tui.ui.campaigns.widgets.schedule import CampaignSchedule
from outreach_tui.ui.campaigns.widgets.settings import (
    CampaignSettings,
    change_status,
    launch_refusal,
    status_actions,
)
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.common.discard import DiscardGuard
from outreach_tui.ui.common.screens.confirm import ConfirmDialog
from outreach_tui.ui.common.widgets.day_chart import DayChart
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.status_bar import StatusBar

TABS = ("overview", "settings", "schedule", "inboxes", "leads")


CHART_TITLE = "Sent vs replies, last 30 days — focus the chart (1 or tab), then ←/→ pick a day"


@dataclass(frozen=True)
class DetailSnapshot:
    """What one background read of the screen found."""

    campaign_id: str  # the id now (a draft's placeholder becomes the server's id)
    detail: CampaignDetail | None
    inboxes: tuple[InboxRow, ...]
    blockers: tuple[str, ...]
    warnings: tuple[str, ...]
    detail_pulled_at: str | None
    leads_pulled_at: str | None


class CampaignDetailScreen(Screen[None]):
    """The campaign console's detail of one campaign."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="campaign.back"),
        Binding("1", "tab('overview')", "Overview", show=False, id="campaign.tab_overview"),
        Binding("2", "tab('settings')", "Settings", show=False, id="campaign.tab_settings"),
        Binding("3", "tab('schedule')", "Schedule", show=False, id="campaign.tab_schedule"),
        Binding("4", "tab('inboxes')", "Inboxes", show=False, id="campaign.tab_inboxes"),
        Binding("5", "tab('leads')", "Leads", show=False, id="campaign.tab_leads"),
        Binding("L", "set_status('active')", "Launch/resume", id="campaign.launch"),
        Binding("P", "set_status('paused')", "Pause", id="campaign.pause"),
        Binding("ctrl+s", "save", "Save", id="campaign.save"),
        Binding("r", "pull_detail", "Refresh", id="campaign.refresh"),
        Binding("B", "blocklist", "Blocklist", id="campaign.blocklist"),
        Binding("D", "delete", "Delete", show=False, id="campaign.delete"),
    ]

    DEFAULT_CSS = """
    CampaignDetailScreen TabbedContent { height: 1fr; }
    CampaignDetailScreen TabPane { padding: 0; }
    CampaignDetailScreen #overview-scroll, CampaignDetailScreen .tab-scroll { height: 1fr; }
    CampaignDetailScreen #chart-title { padding: 0 1; color: $text-muted; }
    CampaignDetailScreen DayChart { height: 11; margin: 0 1; }
    """

    def __init__(self, backend: Backend, campaign_id: str) -> None:
        super().__init__()
        self.backend = backend
        self.campaign_id = campaign_id
        self.snapshot: DetailSnapshot | None = None
        self._asked_detail = False
        self.view = CacheView(self, backend, self.read, self._apply, what="the campaign")
        self.discard = DiscardGuard("the unsaved changes (ctrl+s saves)", backend.status.say)

    def compose(self) -> ComposeResult:
        yield CampaignHeadline(id="headline")
        with TabbedContent(id="campaign-tabs", initial="overview"):
            with TabPane("1 Overview", id="overview"), VerticalScroll(id="overview-scroll"):
                yield Static(CHART_TITLE, id="chart-title")
                yield DayChart(("sent", "replies"), shared_scale=False, id="daily-chart")
                yield CampaignAbResults(id="ab-results")
            with TabPane("2 Settings", id="settings"), VerticalScroll(classes="tab-scroll"):
                yield CampaignSettings(self.backend, id="settings-form")
            with TabPane("3 Schedule", id="schedule"), VerticalScroll(classes="tab-scroll"):
                yield CampaignSchedule(self.backend, id="schedule-form")
            with TabPane("4 Inboxes", id="inboxes"), VerticalScroll(classes="tab-scroll"):
                yield CampaignInboxes(self.backend, id="inbox-form")
            with TabPane("5 Leads", id="leads"):
                yield CampaignLeads(self.backend, self.campaign_id, id="lead-pane")
        yield StatusBar(self.backend.status, id="status")
        yield AppFooter()

    def on_mount(self) -> None:
        self.view.start()  # the leads pane follows the cache itself

    # --- loading ------------------------------------------------------------------------

    def read(self, db: Database) -> DetailSnapshot:
        """The campaign, the inboxes it may use and what blocks a launch (worker thread)."""
        campaign_id = current_id(db, self.campaign_id)
        detail = campaign_queries.campaign_detail(db, campaign_id)
        inboxes = tuple(mailbox_queries.list_inboxes(db)) if detail else ()
        blockers = tuple(launch_blockers(db, campaign_id)) if detail else ()
        warnings = tuple(launch_warnings(db, campaign_id)) if detail else ()
        detail_state = sync_state.get_sync_state(db, "campaign_detail", campaign_id)
        leads_state = sync_state.get_sync_state(db, "leads", campaign_id)
        return DetailSnapshot(
            campaign_id,
            detail,
            inboxes,
            blockers,
            warnings,
            detail_state.last_pulled_at,
            leads_state.last_pulled_at,
        )

    def _apply(self, snapshot: DetailSnapshot) -> None:
        if not self.is_attached or not self.query(CampaignHeadline):
            return  # the screen went away while the read ran
        self.snapshot = snapshot
        if snapshot.campaign_id != self.campaign_id:
            self.campaign_id = snapshot.campaign_id
            self.query_one(CampaignLeads).follow(snapshot.campaign_id)
        detail = snapshot.detail
        if detail is None:
            if self.app.screen is self:
                self.backend.status.say("That campaign is gone (deleted here or on the server).")
                self.dismiss()
            return
        campaign = detail.campaign
        self.sub_title = sanitize_line(campaign.name, 60)
        self.query_one(CampaignHeadline).show(campaign, len(detail.inboxes))
        self.query_one(DayChart).set_data([(p.date, p.sent, p.replies) for p in detail.daily])
        self.query_one(CampaignAbResults).show(detail.sequences)
        self.query_one(CampaignSettings).show(campaign, list(snapshot.blockers))
        self.query_one(CampaignSchedule).show(campaign.id, campaign.schedule)
        self.query_one(CampaignInboxes).show(
            campaign.id, [i.inbox_id for i in detail.inboxes], snapshot.inboxes
        )
        leads = self.query_one(CampaignLeads)
        leads.show(campaign.leads_count, snapshot.leads_pulled_at)
        if self._active_tab() == "leads":
            leads.maybe_auto_pull()
        if snapshot.detail_pulled_at is None and not self._asked_detail:
            self._asked_detail = True
            if self.backend.can_sync and not campaign.id.startswith("local-"):
                self.action_pull_detail()

    def _active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "leads":
            leads = self.query_one(CampaignLeads)
            leads.maybe_auto_pull()
            leads.lead_list.focus()

    # --- actions ------------------------------------------------------------------------

    def action_back(self) -> None:
        """Esc: leave a field first (so 1-5 switch tabs again), then the screen; unsaved
        edits ask before they are dropped."""
        if isinstance(self.focused, Input | TextArea):
            self.query_one(TabbedContent).query_one(Tabs).focus()
            return
        if self.discard.may_close(self.unsaved()):
            self.dismiss()

    @on(Input.Changed)
    @on(SelectionList.SelectedChanged)
    def _edited(self) -> None:
        self.discard.edited()  # typing again: the next esc asks again

    def unsaved(self) -> bool:
        """True when a tab holds an edit not saved yet (limit, schedule, inboxes)."""
        return (
            self.query_one(CampaignSettings).unsaved
            or self.query_one(CampaignSchedule).dirty
            or self.query_one(CampaignInboxes).dirty
        )

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "overview":
            self.query_one(DayChart).focus()

    def action_set_status(self, target: str) -> None:
        """Launch, resume or pause, after a confirmation that lists every problem."""
        snapshot = self.snapshot
        if snapshot is None or snapshot.detail is None:
            return
        campaign = snapshot.detail.campaign
        if target not in status_actions(campaign.status):
            action = "launched" if target == "active" else "paused"
            self.backend.status.say(f"A {campaign.status} campaign cannot be {action}.")
            return
        name = sanitize_line(campaign.name, 50)
        detail = Text()
        if target == "active":
            verb = "Launch" if campaign.status == "draft" else "Resume"
            refusal = launch_refusal(campaign.status, list(snapshot.blockers))
            if refusal:  # every problem in one line, the blockers first
                if snapshot.warnings:  # the refusal's sentence goes on past its full stop
                    also = "; ".join(snapshot.warnings)
                    refusal = f"{refusal.removesuffix('.')}; also: {also}."
                self.backend.status.say(refusal)
                return
            detail.append("Sending starts with the next sync.\n")
            if snapshot.warnings:
                detail.append("\nBefore you go:\n", style="bold")
                detail.append_text(_problem_list(list(snapshot.warnings)))
        else:
            verb = "Pause"
            detail.append("Sending stops (with the next sync) until you resume it.")

        def answered(yes: bool | None) -> None:
            if yes:
                change_status(self.backend, campaign, target)

        self.app.push_screen(ConfirmDialog(f"{verb} {name}?", detail, verb), answered)

    @on(CampaignLeads.AddRequested)
    def _add_lead(self, event: CampaignLeads.AddRequested) -> None:
        self.app.push_screen(AddLeadScreen(), event.leads.add_lead)

    @on(CampaignSettings.StatusRequested)
    def _status_requested(self, event: CampaignSettings.StatusRequested) -> None:
        self.action_set_status(event.target)

    def action_save(self) -> None:
        tab = self._active_tab()
        if tab == "schedule":
            self.query_one(CampaignSchedule).save()
        elif tab == "inboxes":
            self.query_one(CampaignInboxes).apply()

    def action_pull_detail(self) -> None:
        campaign_id = self.campaign_id
        if campaign_id.startswith("local-"):
            self.backend.status.say("This campaign is not on the server yet: sync first.")
            return
        self.backend.pull(
            f"campaign:{campaign_id}",
            lambda run: pull.pull_campaign_detail(run, campaign_id),
            "the campaign's numbers",
            reply_to=self,
        )

    @on(PullFinished)
    def _pulled(self, event: PullFinished) -> None:
        if event.error:
            self.backend.status.say(event.error)
        else:
            self.backend.status.say("Campaign numbers pulled.")

    def action_blocklist(self) -> None:
        self.app.push_screen(BlocklistScreen(self.backend))

    def action_delete(self) -> None:
        snapshot = self.snapshot
        if snapshot is None or snapshot.detail is None:
            return
        campaign = snapshot.detail.campaign

        ask_to_delete(self.app, self.backend, campaign)


def _problem_list(problems: list[str]) -> Text:
    """One bullet per problem."""
    return Text("\n".join(f"• {problem}" for problem in problems))
