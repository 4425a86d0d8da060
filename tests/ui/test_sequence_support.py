"""Helpers of the sequence editor's Pilot tests (no tests here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from outreach_tui.simulator.campaigns import Campaign
from outreach_tui.store import outbox
from outreach_tui.store.connection import open_reader
from outreach_tui.store.queries import campaigns as campaign_queries
from outreach_tui.store.queries.campaigns import CampaignRow, VariantRow
from outreach_tui.ui.app import OutreachApp
from outreach_tui.ui.sequences.screens.dialogs import CampaignPicker
from outreach_tui.ui.sequences.screens.editor import SequenceScreen
from outreach_tui.ui.sequences.widgets.steps import VARIANT_PREFIX

from .conftest import API_KEY, wait_for


def campaign_where(db_path: Path, predicate: Callable[[CampaignRow], bool]) -> CampaignRow:
    """The first cached campaign (by name) that `predicate` accepts."""
    db = open_reader(db_path)
    try:
        return next(c for c in campaign_queries.list_campaigns(db) if predicate(c))
    finally:
        db.close()


def items(db_path: Path, *states: str) -> list[outbox.OutboxItem]:
    """The outbox items in those states (all when none given)."""
    db = open_reader(db_path)
    try:
        return outbox.list_items(db, states or None)
    finally:
        db.close()


def server_campaign(simulator: Starlette, campaign_id: str) -> Campaign:
    """What the simulator holds for a campaign."""
    return simulator.state.simulator.workspace(API_KEY).campaigns[campaign_id]


def text_of(screen: SequenceScreen, selector: str) -> str:
    """The plain text a Static shows."""
    return str(screen.query_one(selector, Static).render())


async def open_editor(app: OutreachApp, pilot: Pilot[Any], campaign_id: str) -> SequenceScreen:
    """F4, pick the campaign, wait for its sequence (and leads when a pull was started)."""
    await pilot.press("f4")
    await wait_for(pilot, lambda: isinstance(app.screen, CampaignPicker))
    picker = app.screen
    assert isinstance(picker, CampaignPicker)
    picker.query_one(OptionList).highlighted = [c.id for c in picker.campaigns].index(campaign_id)
    await pilot.press("enter")

    def loaded() -> bool:
        screen = app.screen
        return (
            isinstance(screen, SequenceScreen)
            and screen.data is not None
            and screen.data.campaign.id == campaign_id
            and screen.sample is not None
        )

    await wait_for(pilot, loaded)
    screen = app.screen
    assert isinstance(screen, SequenceScreen)
    if app.backend.writer.can_sync:
        await wait_for(pilot, lambda: screen.sample is not None and screen.sample.pulled)
    return screen


async def highlight(pilot: Pilot[Any], screen: SequenceScreen, row_id: str) -> None:
    """Move the steps list's highlight to a row as the arrow keys would."""
    steps = screen.steps
    steps.focus()
    steps.highlighted = list(steps.targets).index(row_id)
    await pilot.pause()


async def open_first_variant(
    app: OutreachApp, pilot: Pilot[Any], campaign_id: str
) -> tuple[SequenceScreen, VariantRow]:
    """Open the campaign in the editor with its first step's first variant highlighted."""
    screen = await open_editor(app, pilot, campaign_id)
    assert screen.data is not None
    variant = screen.data.steps[0].variants[0]
    await highlight(pilot, screen, VARIANT_PREFIX + variant.id)
    return screen, variant


async def sync(app: OutreachApp, pilot: Pilot[Any]) -> None:
    """Run the app's sync and wait until nothing is pending."""
    app.action_sync_now()
    await wait_for(pilot, lambda: not app.syncing, 20)
    await pilot.pause(0.1)
