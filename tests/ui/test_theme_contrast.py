"""Every text cell readable in every theme the palette offers: no text below 3:1 against
its own background on the inbox, an open thread, the campaign list and detail, the warmup
list, the sequence editor and the snippet picker — cursor rows included."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from outreach_tui.store.connection import open_writer
from outreach_tui.store.edits.snippets import save_snippet
from outreach_tui.ui.app import OutreachApp
from outreach_tui.ui.campaigns.screens.campaigns import CampaignsScreen
from outreach_tui.ui.campaigns.screens.detail import CampaignDetailScreen
from outreach_tui.ui.inbox.screens.reply import ReplyScreen
from outreach_tui.ui.inbox.screens.snippet_picker import SnippetPicker
from outreach_tui.ui.inbox.screens.snooze_picker import SnoozePicker
from outreach_tui.ui.inbox.screens.thread import ThreadScreen
from outreach_tui.ui.sequences.screens.editor import SequenceScreen
from outreach_tui.ui.warmup.screens.warmup import WarmupScreen

from .conftest import make_app, open_inbox, settle, wait_for, wait_for_screen
from .contrast import MINIMUM, count_cells, low_contrast_cells

Opener = Callable[[OutreachApp, Pilot[object]], Awaitable[None]]


async def _inbox(app: OutreachApp, pilot: Pilot[object]) -> None:
    await open_inbox(pilot)
    await pilot.press("j", "j")  # a cursor row with a label and an unread dot


async def _thread(app: OutreachApp, pilot: Pilot[object]) -> None:
    await open_inbox(pilot)
    await pilot.press("enter")
    await wait_for_screen(pilot, ThreadScreen)


async def _campaigns(app: OutreachApp, pilot: Pilot[object]) -> None:
    await pilot.press("f3")
    await wait_for(pilot, lambda: isinstance(app.screen, CampaignsScreen) and app.screen.loaded)
    await pilot.press("down")  # the cursor on a campaign with a status and dates


async def _campaign_detail(app: OutreachApp, pilot: Pilot[object]) -> None:
    await _campaigns(app, pilot)
    await pilot.press("enter")
    await wait_for_screen(pilot, CampaignDetailScreen)


async def _warmup(app: OutreachApp, pilot: Pilot[object]) -> None:
    await pilot.press("f5")
    await wait_for_screen(pilot, WarmupScreen)


async def _sequence_editor(app: OutreachApp, pilot: Pilot[object]) -> None:
    await pilot.press("f4")
    await wait_for(pilot, lambda: app.screen.query("OptionList").first() is not None)
    await pilot.press("enter")
    await wait_for_screen(pilot, SequenceScreen)


async def _snippet_picker(app: OutreachApp, pilot: Pilot[object]) -> None:
    db = open_writer(app.backend.db_path)
    try:
        save_snippet(db, "Pricing", "Hi {{first_name|there}}, our prices.")
        save_snippet(db, "Thanks", "Thanks {{first_name}}!")
    finally:
        db.close()
    await open_inbox(pilot)
    await pilot.press("r")
    await wait_for_screen(pilot, ReplyScreen)
    await pilot.press("ctrl+g")
    await wait_for_screen(pilot, SnippetPicker)
    picker = app.screen
    await wait_for(pilot, lambda: isinstance(picker, SnippetPicker) and len(picker.shown) == 2)
    await pilot.press("down")  # the highlight on the second snippet


async def _snooze_picker(app: OutreachApp, pilot: Pilot[object]) -> None:
    await open_inbox(pilot)
    await pilot.press("s")
    await wait_for_screen(pilot, SnoozePicker)
    await pilot.press("down", *"fri 25")  # a highlight, typed text and its problem


SCREENS: dict[str, Opener] = {
    "inbox": _inbox,
    "thread": _thread,
    "campaigns": _campaigns,
    "campaign detail": _campaign_detail,
    "warmup": _warmup,
    "sequence editor": _sequence_editor,
    "snippet picker": _snippet_picker,
    "snooze picker": _snooze_picker,
}


@pytest.mark.parametrize("screen", list(SCREENS))
async def test_no_text_cell_below_three_to_one_in_any_offered_theme(
    synced_db: Path, screen: str
) -> None:
    app = make_app(synced_db)
    failures: dict[str, list[str]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await SCREENS[screen](app, pilot)
        await settle(pilot)
        themes = sorted(app.available_themes)
        assert {"reachkit-dark", "reachkit-light", "textual-light"} <= set(themes)
        for theme in themes:
            app.theme = theme
            await pilot.pause(0.05)
            runs = low_contrast_cells(app)
            if runs:
                failures[theme] = [f"{r.text[:30]!r} {r.ratio}:1" for r in runs[:5]]
                failures[theme].insert(0, f"{count_cells(runs)} cells below {MINIMUM}:1")
    assert failures == {}
