"""Widgets on their own: hosted by a small test `App` with a `FakeBackend` (no
`OutreachApp`, no writer thread, no simulator). What they ask of the backend and what
they show is all that is asserted."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from sqlite_utils import Database
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Static

from outreach_tui.store import outbox
from outreach_tui.store.connection import open_reader, open_writer
from outreach_tui.store.edits.campaigns import create_campaign
from outreach_tui.store.ingest import upsert_campaigns
from outreach_tui.store.queries import campaigns as campaign_queries
from outreach_tui.ui.campaigns.widgets.settings import CampaignSettings
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.status_bar import StatusBar
from tests.store import factories
from tests.ui.conftest import outbox_items, wait_for
from tests.ui.fake_backend import FakeBackend

CAMPAIGN = "camp-1"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    path = tmp_path / "cache.db"
    db = open_writer(path)
    try:
        upsert_campaigns(db, [factories.campaign(CAMPAIGN)])
    finally:
        db.close()
    return path


def _campaign_row(path: Path, campaign_id: str = CAMPAIGN) -> campaign_queries.CampaignRow:
    db = open_reader(path)
    try:
        row = campaign_queries.get_campaign(db, campaign_id)
    finally:
        db.close()
    assert row is not None
    return row


class Host(App[None]):
    """Hosts one widget built by `make(backend)`."""

    def __init__(self, db_path: Path, make: object) -> None:
        super().__init__()
        self.db_path = db_path
        self.make = make
        self.posted: list[CampaignSettings.StatusRequested] = []

    def compose(self) -> ComposeResult:
        self.backend = FakeBackend(self, self.db_path)
        yield self.make(self.backend)  # type: ignore[operator]

    def on_campaign_settings_status_requested(
        self, message: CampaignSettings.StatusRequested
    ) -> None:
        self.posted.append(message)


# --- CampaignSettings ---------------------------------------------------------------------


async def test_campaign_settings_saves_a_valid_daily_limit_and_refuses_a_negative_one(
    cache: Path,
) -> None:
    app = Host(cache, lambda backend: CampaignSettings(backend))
    async with app.run_test(size=(100, 40)) as pilot:
        settings = app.query_one(CampaignSettings)
        settings.show(_campaign_row(cache), [])
        limit = settings.query_one("#daily-limit", Input)
        limit.focus()
        limit.value = ""
        await pilot.press("minus", "5", "enter")
        await pilot.pause()
        assert app.backend.recorded.edits == []
        assert "whole number" in app.backend.status.info.message

        limit.value = ""
        await pilot.press("7", "5", "enter")
        await pilot.pause()
        assert app.backend.recorded.edits == ["Daily limit 75 (syncs next)"]
    assert _campaign_row(cache).daily_limit == 75
    pending = outbox_items(cache, outbox.PENDING)
    assert [(item.resource, item.field, item.value) for item in pending] == [
        ("campaign", "daily_limit", 75)
    ]


async def test_campaign_settings_option_toggle_is_one_edit_and_show_fires_none(
    cache: Path,
) -> None:
    app = Host(cache, lambda backend: CampaignSettings(backend))
    async with app.run_test(size=(100, 40)) as pilot:
        settings = app.query_one(CampaignSettings)
        row = _campaign_row(cache)
        settings.show(row, [])
        settings.show(row, [])  # reflecting values is not an edit
        await pilot.pause()
        assert app.backend.recorded.edits == []

        box = settings.query_one("#opt-text_only", Checkbox)
        before = box.value
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        state = "on" if not before else "off"
        assert app.backend.recorded.edits == [f"text_only {state} (syncs next)"]
    assert _campaign_row(cache).text_only is (not before)


async def test_campaign_settings_says_why_a_launch_is_refused_and_asks_the_screen_to_launch(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cache.db"
    db = open_writer(path)
    try:
        draft = create_campaign(db, "Draft one")
    finally:
        db.close()
    app = Host(path, lambda backend: CampaignSettings(backend))
    async with app.run_test(size=(100, 40)) as pilot:
        settings = app.query_one(CampaignSettings)
        row = _campaign_row(path, draft.resource_id)
        assert row.status == "draft"
        settings.show(row, ["an inbox"])
        await pilot.pause()
        line = str(settings.query_one("#status-line", Static).render())
        assert "Cannot launch: the campaign needs an inbox." in line
        await pilot.click("#launch")
        await pilot.pause()
        assert [m.target for m in app.posted] == ["active"]
        assert app.backend.recorded.edits == []  # the screen decides, not the widget


# --- StatusBar ----------------------------------------------------------------------------


async def test_status_bar_repaints_when_the_status_line_changes(cache: Path) -> None:
    app = Host(cache, lambda backend: StatusBar(backend.status))
    async with app.run_test(size=(120, 10)) as pilot:
        bar = app.query_one(StatusBar)
        app.backend.status.say("Pulled 3 leads")
        await pilot.pause()
        assert "Pulled 3 leads" in str(bar.render())
        app.backend.status.update(pending=4)
        await pilot.pause()
        rendered = str(bar.render())
        assert "↑4 pending" in rendered and "Pulled 3 leads" in rendered
        app.backend.status.say("\x1b[31mred[/]")  # server text is never markup nor escapes
        await pilot.pause()
        rendered = str(bar.render())
        assert "\x1b" not in rendered and "red[/]" in rendered


# --- CacheView ----------------------------------------------------------------------------


class CampaignCount(Static):
    """The smallest view over the cache: how many campaigns there are."""

    def __init__(self, backend: FakeBackend) -> None:
        super().__init__("…")
        self.view = CacheView(self, backend, self._read, self._apply, what="campaigns")  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.view.start()

    def _read(self, db: Database) -> int:
        return len(campaign_queries.list_campaigns(db))

    def _apply(self, count: int) -> None:
        self.update(f"{count} campaigns")


def _shows(widget: Static, text: str) -> bool:
    return str(widget.render()) == text


async def test_a_cache_view_reloads_on_change_while_shown_and_only_once_after_being_hidden(
    cache: Path,
) -> None:
    app = Host(cache, lambda backend: CampaignCount(backend))
    async with app.run_test(size=(80, 10)) as pilot:
        count = app.query_one(CampaignCount)
        await wait_for(pilot, lambda: _shows(count, "1 campaigns"))
        app.backend.edit(lambda db: create_campaign(db, "Second"))
        await wait_for(pilot, lambda: _shows(count, "2 campaigns"))
        reads = count.view.reads

        await app.push_screen(Screen())
        await pilot.pause()
        for name in ("Third", "Fourth"):
            app.backend.edit(lambda db, name=name: create_campaign(db, name))
        await wait_for(pilot, lambda: count.view.stale)
        await pilot.pause()
        assert count.view.reads == reads  # hidden: marked stale, nothing read
        assert _shows(count, "2 campaigns")

        app.pop_screen()
        await wait_for(pilot, lambda: _shows(count, "4 campaigns"))
        assert count.view.reads == reads + 1 and not count.view.stale


class BarScreen(Screen[None]):
    def __init__(self, backend: FakeBackend) -> None:
        super().__init__()
        self.backend = backend

    def compose(self) -> ComposeResult:
        yield StatusBar(self.backend.status)  # type: ignore[arg-type]


async def test_a_long_message_wraps_and_belongs_to_the_screen_it_was_said_on(
    cache: Path,
) -> None:
    app = Host(cache, lambda backend: StatusBar(backend.status))
    message = "Daily campaign limit must be a whole number from 1 to 500 (got 600); nothing saved."
    async with app.run_test(size=(60, 10)) as pilot:
        bar = app.query_one(StatusBar)
        app.backend.status.say(message)
        await pilot.pause()
        lines = [bar.render_line(y).text.strip() for y in range(bar.size.height)]
        assert bar.size.height > 1 and " ".join(" ".join(lines).split()).endswith(message)
        await app.push_screen(BarScreen(app.backend))
        await pilot.pause()
        other = app.screen.query_one(StatusBar)
        assert "whole number" not in str(other.render())  # said on the first screen
        app.pop_screen()
        await pilot.pause()
        assert "whole number" in str(bar.render())
        app.backend.status.key_pressed(app.screen)  # the next key on its screen
        await pilot.pause()
        assert "whole number" not in str(bar.render()) and bar.size.height == 1


class ManyKeys(Screen[None]):
    """Many keys and the help key: more than fit in 40 columns."""

    BINDINGS: ClassVar = [
        *[(letter, "app.bell", f"Action {letter}") for letter in "abcdefgh"],
        ("question_mark", "help", "Help"),
    ]

    def compose(self) -> ComposeResult:
        yield AppFooter()

    def action_help(self) -> None:
        self.app.bell()


class FooterHost(App[None]):
    def on_mount(self) -> None:
        self.push_screen(ManyKeys())


async def test_the_footer_fits_whole_keys_and_survives_a_resize_mid_recompose() -> None:
    app = FooterHost()
    async with app.run_test(size=(40, 5)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ManyKeys))
        footer = app.screen.query_one(AppFooter)
        await wait_for(pilot, lambda: any(k.has_class("-pinned") for k in footer.children))
        await pilot.pause()
        shown = [k for k in footer.children if k.display and not k.has_class("-pinned")]
        assert 0 < len(shown) < 8
        old_keys = list(footer.children)
        footer.call_later(footer.recompose)  # as the footer does when bindings change
        await wait_for(pilot, lambda: not any(key.is_attached for key in old_keys))
        await wait_for(pilot, lambda: bool(footer.children))
        # A resize handled between the removal of the old keys and the fit of the new
        # ones: the removed keys have no styles left to measure.
        footer._keys = old_keys
        footer._fit_keys()
        await pilot.resize_terminal(120, 5)
        await wait_for(pilot, lambda: all(k.display for k in footer.children))
