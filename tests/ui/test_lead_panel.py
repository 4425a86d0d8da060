"""The lead beside the thread: shown from 100 columns (p toggles it, at 80 too), the
lead's name, campaign and variables once its leads are pulled, the step answered, other
conversations of the domain; b blocks the sender after a y/n, C opens the campaign."""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.applications import Starlette

from outreach_tui.store.connection import open_reader
from outreach_tui.store.queries.blocklist import list_blocklist
from outreach_tui.store.queries.lead_profile import lead_profile
from outreach_tui.sync.pull import pull_leads
from outreach_tui.ui.campaigns.screens.detail import CampaignDetailScreen
from outreach_tui.ui.common.screens.confirm import ConfirmDialog
from outreach_tui.ui.inbox.screens.thread import ThreadScreen
from outreach_tui.ui.inbox.widgets.lead_panel import LeadPanel

from .conftest import (
    API_KEY,
    client_factory_for,
    make_app,
    open_inbox,
    terminal_lines,
    wait_for,
    wait_for_screen,
)


def _panel_text(app: object) -> str:
    panel = app.screen.query_one(LeadPanel)  # type: ignore[attr-defined]
    return "\n".join(str(line) for line in panel.query_one("#lead-text").render().split())


async def test_the_panel_shows_the_lead_its_campaign_and_acts_on_it(
    synced_db: Path, simulator: Starlette
) -> None:
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        row = next(
            r
            for i in range(conversations.total)
            if (r := conversations.row_at(i)) is not None and r.lead_id
        )
        conversations.move_cursor(conversations.loaded_rows().index(row))
        await pilot.press("enter")
        await wait_for_screen(pilot, ThreadScreen)
        panel = app.screen.query_one(LeadPanel)
        await wait_for(pilot, lambda: panel.profile is not None)
        assert panel.display  # 120 columns: beside the thread
        assert "No campaign known" in _panel_text(app)  # its leads are not pulled yet
        workspace = simulator.state.simulator.workspace(API_KEY)
        lead = workspace.leads[row.lead_id]  # type: ignore[index]
        pulled = app.backend.writer.run_pull(lambda run: pull_leads(run, lead.campaign_id))
        assert (await asyncio.wrap_future(pulled)).ok
        campaign = workspace.campaigns[lead.campaign_id]
        await wait_for(pilot, lambda: campaign.name[:20] in _panel_text(app))
        text = _panel_text(app)
        assert lead.email[:20] in text and "Replied" in text and "after step" in text
        assert "address not blocked" in text
        # b asks, y blocks: the entry is queued and the panel says so.
        await pilot.press("b")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_for_screen(pilot, ThreadScreen)
        await wait_for(pilot, lambda: "this address is blocked" in _panel_text(app))
        db = open_reader(synced_db)
        try:
            entries = [e for e in list_blocklist(db) if e.email == row.sender_email]
        finally:
            db.close()
        assert len(entries) == 1 and entries[0].local_state == "pending"
        # C opens the campaign console on the lead's campaign.
        await pilot.press("C")
        await wait_for_screen(pilot, CampaignDetailScreen)
        assert app.screen.campaign_id == lead.campaign_id  # type: ignore[attr-defined]


async def test_at_80_columns_the_panel_waits_for_p(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inbox(pilot)
        await pilot.press("enter")
        await wait_for_screen(pilot, ThreadScreen)
        panel = app.screen.query_one(LeadPanel)
        await pilot.pause()
        assert not panel.display
        await pilot.press("p")
        assert panel.display
        await wait_for(pilot, lambda: panel.profile is not None)
        shown = "\n".join(terminal_lines(app))
        assert "Other conversations" in shown or "Blocklist" in shown
        # The choice holds for the next thread of the session.
        await pilot.press("escape", "j", "enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ThreadScreen) and app.screen.is_mounted
        )
        assert app.screen.query_one(LeadPanel).display


def test_a_profile_without_a_lead_still_names_the_person(synced_db: Path) -> None:
    db = open_reader(synced_db)
    try:
        conversation_id, email = db.conn.execute(
            "SELECT id, sender_email FROM conversations WHERE lead_id IS NULL LIMIT 1"
        ).fetchone()
        profile = lead_profile(db, conversation_id)
        assert lead_profile(db, "no-such-conversation") is None
    finally:
        db.close()
    assert profile is not None
    assert profile.lead is None and profile.campaign_id is None
    assert profile.email == email and profile.domain == email.rpartition("@")[2].lower()
    assert all(o.id != conversation_id for o in profile.others)
    assert profile.other_count >= len(profile.others)
