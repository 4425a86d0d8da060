"""The shell around the areas: the help screen lists the focused screen's keys with their
ids, `[keymap]` in config.toml remaps them, a theme picked in the palette is remembered,
the status bar says online/offline, when the last sync was and the request budget."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable

from outreach_tui.config import Config, app_paths, load_config
from outreach_tui.simulator.live import land_incoming_reply
from outreach_tui.ui.common.screens.help import HelpScreen
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.status_bar import StatusBar
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.screens.label_picker import LabelPicker
from outreach_tui.ui.inbox.screens.thread import ThreadScreen

from .conftest import (
    API_KEY,
    client_factory_for,
    make_app,
    open_inbox,
    screen_text,
    settle,
    stored_row,
    terminal_lines,
    unreachable_client_factory,
    wait_for,
    wait_for_screen,
    wait_for_text,
)


def _help_rows(app: object) -> set[tuple[str, str, str]]:
    table = app.screen.query_one(DataTable)  # type: ignore[attr-defined]
    return {tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)}  # type: ignore[misc]


def _palette_highlight(app: App[object]) -> str:
    """The command palette's highlighted option ("" when none, or no palette is open)."""
    screen = app.screen
    if not isinstance(screen, CommandPalette):
        return ""
    results = screen.query_one(CommandList)
    if results.highlighted is None:
        return ""
    prompt = results.get_option_at_index(results.highlighted).prompt
    return str(getattr(prompt, "plain", prompt))


async def test_help_lists_the_focused_screens_bindings_with_their_ids(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpScreen)
        rows = _help_rows(app)
        assert ("l", "Label", "inbox.label") in rows
        assert ("i", "Interested", "inbox.label_interested") in rows
        assert ("x", "Select", "paged_list.select") in rows  # the focused list's keys
        assert ("^q", "Quit", "app.quit") in rows
        await wait_for_text(pilot, "Keys — Inbox", "inbox.toggle_read", "Id (for [keymap] in")
        assert all(row[2] for row in rows)  # only the app's bindings (Textual's have no id)
        assert not any(row[1] in ("Scroll Left", "Focus Next", "Scroll Up") for row in rows)
        await pilot.press("escape")
        await wait_for_screen(pilot, InboxScreen)
        # In a thread, F1 lists the thread's keys.
        await pilot.press("enter")
        await wait_for_screen(pilot, ThreadScreen)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        rows = _help_rows(app)
        assert ("s", "Save attachment", "thread.save") in rows
        assert not any(row[2] == "inbox.label" for row in rows)
        await wait_for_text(pilot, "Keys — Thread")


async def test_the_palette_offers_one_keys_command(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
    assert titles.count("Keys") == 1


async def test_keymap_in_config_remaps_a_binding_by_id(synced_db: Path) -> None:
    config = Config(keymap={"inbox.label": "L", "app.help": "f12"})
    app = make_app(synced_db, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)  # the old key does nothing now
        await pilot.press("L")
        await wait_for_screen(pilot, LabelPicker)
        await pilot.press("escape")
        await wait_for_screen(pilot, InboxScreen)
        await pilot.press("f12")
        await wait_for_screen(pilot, HelpScreen)
        assert ("L", "Label", "inbox.label") in _help_rows(app)


async def test_theme_picked_in_the_palette_is_remembered(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        assert app.theme == "reachkit-dark"
        await pilot.press("ctrl+p")
        await pilot.press(*"theme")
        # The palette searches in the background: enter waits for the match.
        await wait_for(pilot, lambda: "theme" in _palette_highlight(app).lower())
        await pilot.press("enter")
        await wait_for(pilot, lambda: _palette_highlight(app) != "")
        await pilot.press(*"reachkit-light")
        await wait_for(pilot, lambda: _palette_highlight(app) == "reachkit-light")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.theme == "reachkit-light")
        await wait_for(pilot, lambda: load_config(app_paths()).theme == "reachkit-light")
    # The next start opens in it.
    again = make_app(synced_db, config=load_config(app_paths()))
    async with again.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        assert again.theme == "reachkit-light"


async def test_status_bar_online_last_synced_and_request_budget(
    synced_db: Path, simulator: Starlette
) -> None:
    simulator.state.simulator.set_rate_limit("600/min")  # the server then reports its budget
    app = make_app(synced_db, client_factory_for(simulator), sync_on_start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        await wait_for(pilot, lambda: app.status_info.online is True and not app.syncing)
        remaining = app.status_info.rate_remaining
        assert remaining is not None and 0 < remaining < 600
        await wait_for_text(pilot, "test  ● online  synced just now", f"api {remaining} left")


async def test_status_bar_says_offline_and_why_when_the_server_is_unreachable(
    synced_db: Path,
) -> None:
    app = make_app(synced_db, unreachable_client_factory, sync_on_start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        await wait_for(pilot, lambda: app.status_info.online is False and not app.syncing)
        text = await wait_for_text(pilot, "● offline", "could not connect")
        [line] = [line for line in text.splitlines() if "● offline" in line]
        # When the last good sync was, and that this attempt failed, side by side.
        assert "● offline  last sync failed  synced " in line
        assert "Traceback" not in text
        # The cache stays usable; the next key read the message, and it goes.
        assert conversations.total == 43
        await pilot.press("j")
        await wait_for(pilot, lambda: "could not connect" not in screen_text(app))
        assert "● offline  last sync failed" in screen_text(app)


async def test_a_sync_in_progress_does_not_claim_online_before_the_server_answers(
    synced_db: Path,
) -> None:
    app = make_app(synced_db, unreachable_client_factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_inbox(pilot)
        app.backend.status.update(online=True)  # the state of an earlier, good sync
        app.action_sync_now()
        # Read at once (no await): an unreachable server fails fast.
        bar = str(app.screen.query_one(StatusBar).render())
        assert "◌ connecting…" in bar and "● online" not in bar
        await wait_for(pilot, lambda: app.status_info.online is False and not app.syncing)
        await wait_for_text(pilot, "● offline  last sync failed")


async def test_ctrl_r_syncs_and_a_new_reply_is_announced(
    synced_db: Path, simulator: Starlette
) -> None:
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_inbox(pilot)
        sim = simulator.state.simulator
        with sim.lock:
            conversation_id = land_incoming_reply(sim.workspace(API_KEY))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.status_info.online is True and not app.syncing)
        await wait_for_text(pilot, "1 new reply", "● online")
        row = stored_row(synced_db, conversation_id)
        assert not row.is_read


async def test_the_help_key_is_always_in_the_footer_and_triage_keys_come_first(
    synced_db: Path,
) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inbox(pilot)
        await pilot.pause()
        footer = terminal_lines(app)[-1]
        assert footer.rstrip().endswith("? Help")  # pinned at the right edge
        assert footer.lstrip().startswith("l Label  i Interested")
        await pilot.press("enter")
        await wait_for_screen(pilot, ThreadScreen)
        await pilot.pause()
        assert terminal_lines(app)[-1].rstrip().endswith("? Help")


@pytest.mark.parametrize("width", [80, 100, 120, 160])
async def test_the_footer_shows_whole_keys_only(synced_db: Path, width: int) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(width, 30)) as pilot:
        await open_inbox(pilot)
        footer = app.screen.query_one(AppFooter)

        def whole_keys_only() -> bool:
            """On screen, left of the pinned help key: the keys shown, each whole, the
            last one ending the line; below 160 columns some are left for help."""
            keys = [key for key in footer.children if not key.has_class("-pinned")]
            shown = [key for key in keys if key.display]
            line = terminal_lines(app)[-1]
            if not shown or "▏" not in line:
                return False  # the footer is (re)composing its keys
            left = line[: line.index("▏")].rstrip()
            texts = [str(key.render()).strip() for key in shown]
            in_order = all(text in left for text in texts)
            return (
                in_order and left.endswith(texts[-1]) and (width >= 160 or len(shown) < len(keys))
            )

        # The footer composes its keys once the screen's bindings are known, and again
        # when they change: what holds is the state it settles in.
        await settle(pilot)
        await wait_for(pilot, whole_keys_only, seconds=5)
